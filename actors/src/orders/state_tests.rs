use chrono::TimeZone;
use kalshi::{
    Ticker,
    types::{BookSide, TimeInForce},
};

use crate::orders::spec::OrderSpec;

use super::*;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 1, 12, 0, 0).unwrap()
}

fn c(n: i64) -> Count {
    Count::from_whole(n)
}

fn oid(s: &str) -> OrderId {
    OrderId::new(s).unwrap()
}

fn order(state: OrderState) -> OrderRecord {
    OrderRecord {
        key: "s:T-1:1".into(),
        client_order_id: Some(ClientOrderId::new("s:T-1:1").unwrap()),
        order_id: None,
        intent_seq: Some(1),
        origin: Origin::Intent,
        spec: OrderSpec {
            ticker: Ticker::new("T-1").unwrap(),
            side: BookSide::Bid,
            price: Price::from_cents(40).unwrap(),
            count: c(10),
            time_in_force: TimeInForce::GoodTillCanceled,
            post_only: false,
            reduce_only: false,
        },
        fill_sum: Count::ZERO,
        reported_filled: Count::ZERO,
        book_epoch: None,
        state,
        reason: None,
        created_at: now(),
        updated_at: now(),
        cancel_requested: false,
    }
}

fn acked(filled: i64, remaining: i64) -> Event {
    Event::Acked {
        order_id: oid("o-1"),
        filled: c(filled),
        remaining: c(remaining),
    }
}

fn exchange(status: OrderStatus, filled: i64, remaining: i64) -> Event {
    Event::Exchange {
        order_id: oid("o-1"),
        status,
        filled: c(filled),
        remaining: c(remaining),
    }
}

/// (state before, event, state after or None for "no change").
#[test]
fn transitions_table() {
    use OrderState as S;
    let cases: Vec<(S, Event, Option<S>)> = vec![
        (S::PendingNew, acked(0, 10), Some(S::Resting)),
        (S::PendingNew, acked(4, 6), Some(S::Resting)),
        (S::PendingNew, acked(10, 0), Some(S::Executed)),
        (S::PendingNew, acked(3, 0), Some(S::Canceled)), // IOC remainder cancelled
        (S::Unknown, acked(0, 10), Some(S::Resting)),    // adopted after a 409
        (S::NotSent, acked(0, 10), Some(S::Resting)),    // the exchange had it after all
        (S::Executed, acked(0, 10), Some(S::Executed)),  // older news than the feed's
        (
            S::PendingNew,
            Event::Failed(Failure::NotSent("expired".into())),
            Some(S::NotSent),
        ),
        (
            S::PendingNew,
            Event::Failed(Failure::Rejected("insufficient_balance".into())),
            Some(S::Rejected),
        ),
        (
            S::PendingNew,
            Event::Failed(Failure::Unknown("reset".into())),
            Some(S::Unknown),
        ),
        (
            S::Resting,
            Event::Failed(Failure::Unknown("x".into())),
            None,
        ),
        (S::Resting, Event::CancelSent, Some(S::PendingCancel)),
        (S::PendingNew, Event::CancelSent, None),
        (S::PendingCancel, Event::Canceled, Some(S::Canceled)),
        (
            S::PendingCancel,
            Event::CancelFailed("404".into()),
            Some(S::Resting),
        ),
        (S::Executed, Event::Canceled, None),
        (
            S::Unknown,
            exchange(OrderStatus::Resting, 0, 10),
            Some(S::Resting),
        ),
        (
            S::Unknown,
            exchange(OrderStatus::Executed, 10, 0),
            Some(S::Executed),
        ),
        (
            S::Resting,
            exchange(OrderStatus::Canceled, 2, 0),
            Some(S::Canceled),
        ),
        (
            S::PendingCancel,
            exchange(OrderStatus::Resting, 0, 10),
            Some(S::PendingCancel),
        ),
        (S::Canceled, exchange(OrderStatus::Resting, 0, 10), None), // stale
        (S::Unknown, Event::Resent, Some(S::PendingNew)),
        (S::Resting, Event::Resent, None),
        (
            S::Unknown,
            Event::GaveUp("too old".into()),
            Some(S::NotSent),
        ),
        (S::Resting, Event::GaveUp("too old".into()), None),
        (S::Resting, Event::Lost("gone".into()), Some(S::Canceled)),
        (S::Resting, Event::Filled(c(10)), Some(S::Executed)),
        (S::Resting, Event::Filled(c(3)), Some(S::Resting)),
        (S::Canceled, Event::Filled(c(3)), Some(S::Canceled)),
    ];
    for (before, ev, after) in cases {
        let mut ledger = Ledger::default();
        ledger.insert(order(before));
        let change = ledger.apply("s:T-1:1", &ev, now());
        match after {
            None => assert_eq!(change, None, "{before:?} + {ev:?}"),
            Some(want) => {
                let change = change.unwrap_or_else(|| panic!("{before:?} + {ev:?}: no change"));
                assert_eq!((change.from, change.to), (before, want), "{ev:?}");
            }
        }
    }
}

#[test]
fn a_fill_seen_as_a_fill_and_as_a_status_counts_once() {
    let mut ledger = Ledger::default();
    ledger.insert(order(OrderState::PendingNew));
    let k = "s:T-1:1";
    ledger.apply(k, &acked(0, 10), now());
    ledger.apply(k, &Event::Filled(c(4)), now());
    ledger.apply(k, &exchange(OrderStatus::Resting, 4, 6), now());
    let o = ledger.get(k).unwrap();
    assert_eq!((o.filled(), o.remaining()), (c(4), c(6)));
    // An older status (fewer fills) is ignored.
    assert_eq!(
        ledger.apply(k, &exchange(OrderStatus::Resting, 2, 8), now()),
        None
    );
    ledger.apply(k, &Event::Filled(c(6)), now());
    let o = ledger.get(k).unwrap();
    assert_eq!(o.state, OrderState::Executed);
    assert_eq!((o.filled(), o.remaining()), (c(10), Count::ZERO));
}

#[test]
fn the_exchange_id_indexes_the_order_once_known() {
    let mut ledger = Ledger::default();
    ledger.insert(order(OrderState::PendingNew));
    assert_eq!(ledger.find("o-1", None), None);
    assert_eq!(
        ledger.find("o-1", Some("s:T-1:1")).as_deref(),
        Some("s:T-1:1")
    );
    ledger.apply("s:T-1:1", &acked(0, 10), now());
    assert_eq!(ledger.find("o-1", None).as_deref(), Some("s:T-1:1"));
}

#[test]
fn an_unknown_order_blocks_its_market_until_settled() {
    let mut ledger = Ledger::default();
    ledger.insert(order(OrderState::Unknown));
    assert!(ledger.blocking("T-1").is_some());
    assert!(ledger.blocking("T-2").is_none());
    ledger.apply("s:T-1:1", &exchange(OrderStatus::Resting, 0, 10), now());
    assert!(ledger.blocking("T-1").is_none());
}

#[test]
fn amends_change_price_and_total_size() {
    let mut ledger = Ledger::default();
    ledger.insert(order(OrderState::Resting));
    let k = "s:T-1:1";
    ledger.apply(k, &Event::Filled(c(2)), now());
    ledger.apply(
        k,
        &Event::Amended {
            price: Price::from_cents(45).unwrap(),
            count: c(5),
        },
        now(),
    );
    let o = ledger.get(k).unwrap();
    assert_eq!(o.spec.price, Price::from_cents(45).unwrap());
    assert_eq!(o.remaining(), c(3));
}

#[test]
fn pruning_keeps_open_orders() {
    let mut ledger = Ledger::default();
    let mut done = order(OrderState::Executed);
    done.key = "done".into();
    ledger.insert(done);
    ledger.insert(order(OrderState::Resting));
    ledger.prune(now() + chrono::Duration::days(1));
    assert_eq!(ledger.len(), 1);
    assert!(ledger.get("s:T-1:1").is_some());
    assert_eq!(ledger.count_by_state()["resting"], 1);
}
