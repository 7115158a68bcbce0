//! Drawdown, exposure and the sampled equity curve.

use super::*;

#[test]
fn maximum_drawdown_on_a_known_equity_path() {
    let r = run(
        0,
        100,
        [
            buy(1, "A", "0.50", 10, "0"),
            mark(2, "A", "0.60"), // +1
            mark(3, "A", "0.70"), // +2  peak
            mark(4, "A", "0.40"), // −1
            mark(5, "A", "0.55"), // +0.5
            mark(6, "A", "0.30"), // −2  trough: fall of 4
            mark(7, "A", "0.80"), // +3
            mark(8, "B", "0.10"), // not traded: ignored
        ],
    );
    let d = &r.drawdown;
    assert_eq!(
        (d.amount, d.peak, d.trough),
        (money("4.00"), money("2.00"), money("-2.00"))
    );
    assert_eq!((d.peak_ns, d.trough_ns), (3, 6));
    assert_eq!(r.markets.len(), 1);
    assert_eq!(r.summary.unrealised, money("3.00"));
    assert_eq!(
        (r.open[0].mark, r.open[0].mark_ns),
        (Some(p("0.80")), Some(7))
    );
    let deepest = r.equity_curve.iter().map(|c| c.drawdown).max().unwrap();
    assert_eq!(deepest, money("4.00"));
}

#[test]
fn exposure_is_at_risk_at_the_mark_weighted_by_time() {
    let r = run(
        0,
        100,
        [
            buy(10, "A", "0.40", 10, "0"),  // 4.00 from 10 to 30
            mark(30, "A", "0.50"),          // 5.00 from 30 to 50
            sell(50, "A", "0.50", 10, "0"), // 0 from 50 to 60
            sell(60, "B", "0.75", 4, "0"),  // NO: 4 × 0.25 = 1.00 from 60 to 100
        ],
    );
    let e = &r.exposure;
    assert_eq!((e.max, e.max_ns), (money("5.00"), 30));
    assert_eq!(e.mean, money("2.20")); // (80 + 100 + 40) / 100
    assert_eq!(
        (e.max_contracts, e.max_contracts_ns),
        (Count::from_whole(10), 10)
    );
}

#[test]
fn the_curve_is_thinned_but_keeps_the_exact_drawdown() {
    let r = run(0, 200_000_000_000, busy_events());
    assert!(
        r.equity_curve.len() <= MAX_POINTS,
        "{}",
        r.equity_curve.len()
    );
    let deepest = r.equity_curve.iter().map(|c| c.drawdown).max().unwrap();
    assert_eq!(deepest, r.drawdown.amount);
    assert!(r.equity_curve.windows(2).all(|w| w[0].ns <= w[1].ns));
    assert_eq!(r.equity_curve.last().unwrap().equity, r.summary.total);
}
