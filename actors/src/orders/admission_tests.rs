use chrono::{TimeZone, Utc};
use kalshi::{ClientOrderId, Count, OrderId, Price, Ticker, rest::Market, types::BookSide};

use super::*;
use crate::orders::{OrdersConfig, risk::RiskLimits};

fn p(s: &str) -> Price {
    Price::parse(s).unwrap()
}

fn market() -> Market {
    serde_json::from_value(serde_json::json!({
        "ticker": "KXHIGHNY-26DEC02-B50.5", "event_ticker": "KXHIGHNY-26DEC02",
        "market_type": "binary", "created_time": "2026-12-01T00:00:00Z",
        "updated_time": "2026-12-01T00:00:00Z", "open_time": "2026-12-01T00:00:00Z",
        "close_time": "2026-12-02T23:59:00Z", "latest_expiration_time": "2026-12-09T00:00:00Z",
        "settlement_timer_seconds": 60, "status": "active", "notional_value_dollars": "1.0000",
        "yes_bid_dollars": "0.4000", "yes_ask_dollars": "0.4200", "no_bid_dollars": "0.5800",
        "no_ask_dollars": "0.6000", "yes_bid_size_fp": "1.00", "yes_ask_size_fp": "1.00",
        "last_price_dollars": "0.4100", "volume_fp": "0.00", "open_interest_fp": "0.00",
        "result": "", "price_level_structure": "linear_cent", "price_ranges": []
    }))
    .unwrap()
}

/// A resting bid of 10 at 0.40, its exchange id known.
fn resting() -> OrderRecord {
    let now = Utc.with_ymd_and_hms(2026, 12, 2, 12, 0, 0).unwrap();
    let spec = OrderSpec {
        ticker: Ticker::new("KXHIGHNY-26DEC02-B50.5").unwrap(),
        side: BookSide::Bid,
        price: p("0.40"),
        count: Count::from_whole(10),
        time_in_force: TimeInForce::GoodTillCanceled,
        post_only: false,
        reduce_only: false,
    };
    let cid = ClientOrderId::new("tw-test-1").unwrap();
    let mut o = OrderRecord::intent(cid, 1, spec, None, now);
    o.state = OrderState::Resting;
    o.order_id = Some(OrderId::new("9b0f6b43-5b68-4f9f-9f02-a2a8f3c6b1d2").unwrap());
    o
}

#[test]
fn an_amend_is_a_decrease_only_at_the_same_price_and_smaller() {
    let o = resting();
    let c = Count::from_whole;
    assert_eq!(
        amend_kind(&o, p("0.40"), c(4)).unwrap().1,
        AmendKind::Decrease { by: c(6) }
    );
    assert_eq!(
        amend_kind(&o, p("0.40"), c(12)).unwrap().1,
        AmendKind::Amend { total: c(12) }
    );
    assert_eq!(
        amend_kind(&o, p("0.41"), c(4)).unwrap().1,
        AmendKind::Amend { total: c(4) }
    );
    assert!(amend_kind(&o, p("0.40"), Count::ZERO).is_err());
    let mut pending = resting();
    pending.state = OrderState::PendingNew;
    assert!(matches!(
        amend_kind(&pending, p("0.40"), c(4)),
        Err(Refusal::WrongState { .. })
    ));
}

#[test]
fn a_full_amend_is_refused_while_the_blackout_state_is_not_known() {
    let (o, m) = (resting(), market());
    let ledger = Ledger::default();
    let positions = Positions::default();
    let limits = RiskLimits::from_config(&OrdersConfig::default());
    let open = |blackout| OpenState {
        ledger: &ledger,
        positions: &positions,
        limits: &limits,
        blackout,
        orders_last_minute: 0,
        now: Utc.with_ymd_and_hms(2026, 12, 2, 12, 0, 0).unwrap(),
    };
    let unknown = open(Some("the blackout clock has not told its state yet"));
    let r = check_amend_open(&o, p("0.41"), Count::from_whole(10), &m, &unknown);
    assert!(matches!(r, Err(Refusal::Blackout(_))), "{r:?}");
    assert!(check_amend_open(&o, p("0.41"), Count::from_whole(10), &m, &open(None)).is_ok());
    let off_grid = check_amend_open(&o, p("0.405"), Count::from_whole(1), &m, &open(None));
    assert!(matches!(
        off_grid,
        Err(Refusal::Invalid { field: "price", .. })
    ));
}
