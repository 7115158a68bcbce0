//! P&L (realised, settled, fees), average cost, round trips and the hit rate.

use super::*;

#[test]
fn a_buy_then_sell_realises_the_difference_and_keeps_fees_apart() {
    let r = run(
        0,
        10,
        [
            buy(1, "A", "0.40", 10, "0.17"),
            sell(2, "A", "0.55", 10, "0.12"),
        ],
    );
    let s = &r.summary;
    assert_eq!(
        (s.realised, s.fees, s.settled),
        (money("1.50"), money("0.29"), Money::ZERO)
    );
    assert_eq!((s.unrealised, s.total), (Money::ZERO, money("1.21")));
    assert_eq!((s.fills, s.contracts), (2, Count::from_whole(20)));
    assert_eq!((r.round_trips.closed, r.round_trips.wins), (1, 1));
    assert_eq!(r.round_trips.hit_rate.as_deref(), Some("1.0000"));
    assert!(r.open.is_empty());
    let row = &r.markets[0];
    assert_eq!(
        (row.bought, row.sold),
        (Count::from_whole(10), Count::from_whole(10))
    );
    assert_eq!((row.realised, row.total), (money("1.50"), money("1.21")));
    assert_eq!(r.equity_curve.last().unwrap().equity, money("1.21"));
}

#[test]
fn settlement_pays_yes_and_no_holders_on_both_outcomes() {
    let r = run(
        0,
        100,
        [
            buy(1, "YES-WINS", "0.30", 10, "0"),  // +10 × (1 − 0.30) = 7.00
            sell(2, "NO-WINS", "0.60", 5, "0"),   // NO at 0.40 pays 1: +5 × 0.60 = 3.00
            sell(3, "NO-LOSES", "0.70", 4, "0"),  // NO at 0.30 pays 0: −4 × 0.30 = −1.20
            buy(4, "YES-LOSES", "0.80", 2, "0"),  // −2 × 0.80 = −1.60
            buy(5, "SCALAR", "0.40", 10, "0.05"), // +10 × (0.55 − 0.40) = 1.50
            settle(10, "YES-WINS", "1"),
            settle(11, "NO-WINS", "0"),
            settle(12, "NO-LOSES", "1"),
            settle(13, "YES-LOSES", "0"),
            settle(14, "SCALAR", "0.55"),
        ],
    );
    let settled: Vec<(&str, Money)> = r
        .markets
        .iter()
        .map(|m| (m.ticker.as_str(), m.settled))
        .collect();
    assert_eq!(
        settled,
        [
            ("NO-LOSES", money("-1.20")),
            ("NO-WINS", money("3.00")),
            ("SCALAR", money("1.50")),
            ("YES-LOSES", money("-1.60")),
            ("YES-WINS", money("7.00")),
        ]
    );
    assert_eq!(
        (r.summary.settled, r.summary.total),
        (money("8.70"), money("8.65"))
    );
    assert_eq!(
        (
            r.round_trips.closed,
            r.round_trips.wins,
            r.round_trips.losses
        ),
        (5, 3, 2)
    );
    assert_eq!(r.round_trips.hit_rate.as_deref(), Some("0.6000"));
    // Edge before fees equals settled P&L here: each market had one fill held to the end.
    let e = &r.settlement_edge;
    assert_eq!((e.fills, e.positive, e.amount), (5, 3, money("8.70")));
    assert!(r.open.is_empty());
}

#[test]
fn partial_closes_realise_against_average_cost() {
    let r = run(
        0,
        10,
        [
            buy(1, "A", "0.40", 10, "0"),
            buy(2, "A", "0.60", 10, "0"), // 20 at average 0.50
            sell(3, "A", "0.70", 5, "0"), // 5 × (0.70 − 0.50) = 1.00
        ],
    );
    assert_eq!(r.summary.realised, money("1.00"));
    assert_eq!(r.open[0].position, Count::from_whole(15));
    // Marked at the last fill (no mark yet): 15 × (0.70 − 0.50).
    assert_eq!((r.open[0].mark, r.open[0].mark_ns), (Some(p("0.70")), None));
    assert_eq!(r.summary.unrealised, money("3.00"));
    assert_eq!(r.round_trips.open, 1);
    let r = run(
        0,
        10,
        [
            buy(1, "A", "0.40", 10, "0"),
            buy(2, "A", "0.60", 10, "0"),
            sell(3, "A", "0.70", 5, "0"),
            sell(4, "A", "0.45", 15, "0"),
        ],
    );
    // 15 × (0.45 − 0.50) = −0.75; total realised = 20 × … = 3.50 + 6.75 − 10.00.
    assert_eq!(r.summary.realised, money("0.25"));
}

#[test]
fn average_cost_rounding_never_loses_a_fraction_over_a_round_trip() {
    let r = run(
        0,
        10,
        [
            buy(1, "A", "0.10", 1, "0"),
            buy(2, "A", "0.11", 2, "0"),  // cost 0.32 for 3
            sell(3, "A", "0.20", 1, "0"), // 0.20 − 0.32/3
        ],
    );
    assert_eq!(r.summary.realised, money("0.093333"));
    let r = run(
        0,
        10,
        [
            buy(1, "A", "0.10", 1, "0"),
            buy(2, "A", "0.11", 2, "0"),
            sell(3, "A", "0.20", 1, "0"),
            sell(4, "A", "0.20", 2, "0"),
        ],
    );
    assert_eq!(r.summary.realised, money("0.28"));
}

#[test]
fn a_fill_that_flips_the_position_splits_its_fee_between_round_trips() {
    let r = run(
        0,
        10,
        [
            buy(1, "A", "0.40", 10, "0"),
            sell(2, "A", "0.50", 15, "0.15"), // closes +10 (1.00 − 0.10 fee), opens −5
            buy(3, "A", "0.60", 5, "0"),      // −5 × 0.10 = −0.50, trip −0.55
        ],
    );
    assert_eq!(
        (r.summary.realised, r.summary.fees, r.summary.total),
        (money("0.50"), money("0.15"), money("0.35"))
    );
    assert_eq!(
        (
            r.round_trips.closed,
            r.round_trips.wins,
            r.round_trips.losses
        ),
        (2, 1, 1)
    );
}

#[test]
fn hit_rate_counts_closed_round_trips_by_sign_of_pnl_after_fees() {
    let r = run(
        0,
        10,
        [
            buy(1, "WIN", "0.40", 1, "0"),
            sell(2, "WIN", "0.50", 1, "0.01"),
            buy(3, "LOSE", "0.40", 1, "0"),
            sell(4, "LOSE", "0.45", 1, "0.06"), // +0.05 gross, −0.01 after fees
            buy(5, "FLAT", "0.50", 1, "0"),
            sell(6, "FLAT", "0.50", 1, "0"),
            buy(7, "OPEN", "0.50", 1, "0"),
        ],
    );
    let rt = &r.round_trips;
    assert_eq!(
        (rt.closed, rt.wins, rt.losses, rt.flat, rt.open),
        (3, 1, 1, 1, 1)
    );
    assert_eq!(rt.hit_rate.as_deref(), Some("0.3333"));
}

#[test]
fn ratios_round_half_up_to_four_places() {
    assert_eq!(ratio(2, 3).as_deref(), Some("0.6667"));
    assert_eq!(ratio(1, 20_000).as_deref(), Some("0.0001"));
    assert_eq!(ratio(3, 3).as_deref(), Some("1.0000"));
    assert_eq!(ratio(0, 0), None);
}
