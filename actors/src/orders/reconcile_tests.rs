use chrono::TimeZone;
use kalshi::{ClientOrderId, OrderId, Price, types::BookSide, types::TimeInForce};

use super::*;
use crate::orders::{spec::OrderSpec, state::Origin};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 1, 12, 0, 0).unwrap()
}

fn exchange_order(order_id: &str, cid: Option<&str>, status: &str) -> Order {
    serde_json::from_value(serde_json::json!({
        "order_id": order_id, "client_order_id": cid.unwrap_or(""), "ticker": "T-1",
        "outcome_side": "yes", "book_side": "bid", "status": status,
        "yes_price_dollars": "0.4000", "no_price_dollars": "0.6000",
        "fill_count_fp": "0.00", "remaining_count_fp": "5.00", "initial_count_fp": "5.00",
        "taker_fees_dollars": "0", "maker_fees_dollars": "0",
        "taker_fill_cost_dollars": "0", "maker_fill_cost_dollars": "0"
    }))
    .unwrap()
}

fn ours(seq: u64, state: OrderState, order_id: Option<&str>, age_s: i64) -> OrderRecord {
    let key = format!("s:T-1:{seq}");
    OrderRecord {
        key: key.clone(),
        client_order_id: Some(ClientOrderId::new(key).unwrap()),
        order_id: order_id.map(|o| OrderId::new(o).unwrap()),
        intent_seq: Some(seq),
        origin: Origin::Intent,
        spec: OrderSpec {
            ticker: Ticker::new("T-1").unwrap(),
            side: BookSide::Bid,
            price: Price::from_cents(40).unwrap(),
            count: Count::from_whole(5),
            time_in_force: TimeInForce::GoodTillCanceled,
            post_only: false,
            reduce_only: false,
        },
        fill_sum: Count::ZERO,
        reported_filled: Count::ZERO,
        book_epoch: None,
        state,
        reason: None,
        created_at: now() - Duration::seconds(age_s),
        updated_at: now(),
        cancel_requested: false,
    }
}

fn cx(halted: Option<&str>) -> Context<'_> {
    Context {
        strategy: "s",
        now: now(),
        resend_window: Duration::seconds(10),
        halted,
        deferred: None,
        recover: None,
    }
}

fn kinds(plan: &Plan) -> Vec<&'static str> {
    plan.differences.iter().map(|d| d.kind).collect()
}

#[test]
fn an_unacknowledged_placement_found_by_client_id_is_settled_and_flagged() {
    let mut ledger = Ledger::default();
    ledger.insert(ours(1, OrderState::PendingNew, None, 1));
    let exchange = vec![exchange_order("o-1", Some("s:T-1:1"), "resting")];
    let cands: Vec<&OrderRecord> = ledger.open().collect();
    let plan = plan_orders(&ledger, &cands, &exchange, &cx(None));
    assert!(matches!(&plan.actions[..], [OrderAction::Settle { key, .. }] if key == "s:T-1:1"));
    assert_eq!(kinds(&plan), ["unacknowledged_placement"]);
    assert_eq!(plan.next_seq_floor, 2);
}

#[test]
fn a_missing_intent_is_resent_when_young_and_given_up_when_old_or_blocked() {
    let mut ledger = Ledger::default();
    ledger.insert(ours(1, OrderState::PendingNew, None, 1));
    ledger.insert(ours(2, OrderState::Unknown, None, 60));
    let cands: Vec<&OrderRecord> = ledger.open().collect();
    let plan = plan_orders(&ledger, &cands, &[], &cx(None));
    assert_eq!(
        plan.actions[0],
        OrderAction::Resend {
            key: "s:T-1:1".into()
        }
    );
    assert!(matches!(&plan.actions[1], OrderAction::GiveUp { key, .. } if key == "s:T-1:2"));
    assert_eq!(kinds(&plan), ["never_sent"]);

    let plan = plan_orders(&ledger, &cands, &[], &cx(Some("halted")));
    assert!(
        plan.actions
            .iter()
            .all(|a| matches!(a, OrderAction::GiveUp { .. }))
    );
}

#[test]
fn in_a_blackout_a_young_missing_intent_waits_and_an_old_one_is_given_up() {
    let mut ledger = Ledger::default();
    ledger.insert(ours(1, OrderState::PendingNew, None, 1));
    ledger.insert(ours(2, OrderState::Unknown, None, 60));
    let cands: Vec<&OrderRecord> = ledger.open().collect();
    let blackout = Context {
        deferred: Some("blackout: gfs 06z"),
        ..cx(None)
    };
    let plan = plan_orders(&ledger, &cands, &[], &blackout);
    assert_eq!(
        plan.actions[0],
        OrderAction::Defer {
            key: "s:T-1:1".into()
        }
    );
    assert!(matches!(&plan.actions[1], OrderAction::GiveUp { key, .. } if key == "s:T-1:2"));
    assert_eq!(kinds(&plan), ["resend_deferred", "never_sent"]);
}

#[test]
fn an_acknowledged_order_the_exchange_lost_is_marked_lost() {
    let mut ledger = Ledger::default();
    ledger.insert(ours(1, OrderState::Resting, Some("o-1"), 100));
    let cands: Vec<&OrderRecord> = ledger.open().collect();
    let plan = plan_orders(&ledger, &cands, &[], &cx(None));
    assert_eq!(
        plan.actions,
        vec![OrderAction::Lost {
            key: "s:T-1:1".into()
        }]
    );
    assert_eq!(kinds(&plan), ["lost_order"]);
}

#[test]
fn a_resting_order_the_journal_lacks_is_adopted_and_flagged() {
    let ledger = Ledger::default();
    let exchange = vec![
        exchange_order("o-9", Some("manual-1"), "resting"),
        exchange_order("o-8", None, "canceled"),
        exchange_order("o-7", Some("s:T-1:41"), "executed"),
    ];
    let plan = plan_orders(&ledger, &[], &exchange, &cx(None));
    assert!(
        matches!(&plan.actions[..], [OrderAction::Adopt { order }] if order.order_id.as_str() == "o-9")
    );
    assert_eq!(kinds(&plan), ["foreign_order"]);
    assert_eq!(plan.next_seq_floor, 42, "our old ids are never reused");
}

#[test]
fn our_orders_sent_and_not_journaled_are_recovered_with_their_numbers_whatever_their_status() {
    let mut ledger = Ledger::default();
    ledger.insert(ours(10, OrderState::Resting, Some("o-10"), 100));
    let tw = |seq: u64| {
        crate::orders::ids::client_order_id("s", &Ticker::new("T-1").unwrap(), seq)
            .unwrap()
            .to_string()
    };
    let (c9, c11, c12, c300, other) = (tw(9), tw(11), tw(12), tw(300), {
        crate::orders::ids::client_order_id("x", &Ticker::new("T-1").unwrap(), 11)
            .unwrap()
            .to_string()
    });
    let exchange = vec![
        exchange_order("o-10", Some("s:T-1:10"), "resting"), // journaled: settled elsewhere
        exchange_order("o-11", Some(&c11), "executed"),
        exchange_order("o-12", Some(&c12), "resting"),
        exchange_order("o-9", Some(&c9), "canceled"), // below the range: left alone
        exchange_order("o-300", Some(&c300), "resting"), // above it: a foreign order
        exchange_order("o-x", Some(&other), "executed"), // another strategy's
    ];
    let recover = Context {
        recover: Some(11..257),
        ..cx(None)
    };
    let plan = plan_orders(&ledger, &[], &exchange, &recover);
    let got: Vec<(&str, Option<u64>)> = plan
        .actions
        .iter()
        .map(|a| match a {
            OrderAction::Recover { order, seq } => (order.order_id.as_str(), Some(*seq)),
            OrderAction::Adopt { order } => (order.order_id.as_str(), None),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        got,
        [("o-11", Some(11)), ("o-12", Some(12)), ("o-300", None)]
    );
    assert_eq!(
        kinds(&plan),
        ["sent_not_journaled", "sent_not_journaled", "foreign_order"]
    );
    assert_eq!(plan.next_seq_floor, 301);
    // Without a recovery range (any pass but start-up's), only the resting ones are adopted.
    let plan = plan_orders(&ledger, &[], &exchange, &cx(None));
    assert_eq!(kinds(&plan), ["foreign_order", "foreign_order"]);
}

#[test]
fn an_order_finished_while_away_takes_the_exchanges_state() {
    let mut ledger = Ledger::default();
    ledger.insert(ours(1, OrderState::Resting, Some("o-1"), 100));
    let exchange = vec![exchange_order("o-1", Some("s:T-1:1"), "executed")];
    let cands: Vec<&OrderRecord> = ledger.open().collect();
    let plan = plan_orders(&ledger, &cands, &exchange, &cx(None));
    assert!(matches!(&plan.actions[..], [OrderAction::Settle { .. }]));
    assert_eq!(kinds(&plan), ["finished_while_away"]);
}

#[test]
fn positions_differ_where_counts_differ_and_a_missing_market_is_flat() {
    let t1 = Ticker::new("T-1").unwrap();
    let t2 = Ticker::new("T-2").unwrap();
    let theirs: Vec<MarketPosition> = serde_json::from_value(serde_json::json!([
        {"ticker": "T-1", "total_traded_dollars": "4.00", "position_fp": "10.00",
         "market_exposure_dollars": "4.00", "realized_pnl_dollars": "0", "fees_paid_dollars": "0",
         "last_updated_ts": "2026-01-01T12:00:00Z"},
        {"ticker": "T-3", "total_traded_dollars": "1.00", "position_fp": "-2.00",
         "market_exposure_dollars": "1.00", "realized_pnl_dollars": "0", "fees_paid_dollars": "0",
         "last_updated_ts": "2026-01-01T12:00:00Z"}
    ]))
    .unwrap();
    let mine = [(&t1, Count::from_whole(10)), (&t2, Count::from_whole(3))];
    let fixes = plan_positions(mine, &theirs);
    let got: Vec<(&str, Count, Count)> = fixes
        .iter()
        .map(|f| (f.ticker.as_str(), f.ours, f.theirs))
        .collect();
    assert_eq!(
        got,
        vec![
            ("T-2", Count::from_whole(3), Count::ZERO),
            ("T-3", Count::ZERO, Count::from_whole(-2)),
        ]
    );
    assert_eq!(fixes[1].exposure, Money::parse("1.00").unwrap());
}
