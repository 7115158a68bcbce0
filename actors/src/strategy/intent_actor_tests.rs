//! The strategy actor's whole vocabulary against the stand-in order manager: an order's change
//! reaches [`Strategy::on_order`] with its key; an amend and a cancel by key reach the order
//! manager as `Amend` and `Cancel`; a refused amend comes back through
//! [`Strategy::on_refused`]; and a wake from another thread is answered by
//! [`Strategy::on_wake`].

use std::sync::{Arc, Mutex};

use kalshi::{ClientOrderId, types::TimeInForce};

use super::*;
use crate::{
    orders::{OrderEvent, OrderRecord, state::Origin},
    strategy::interface::{AmendIntent, Waker},
};

/// What the strategy under test saw.
#[derive(Default)]
struct Seen {
    orders: Vec<(String, OrderState)>,
    refused: Vec<String>,
    waker: Option<Waker>,
}

/// Amends and then cancels every order it is told is new; pulls a market when woken.
struct Keyed(Arc<Mutex<Seen>>);

impl Strategy for Keyed {
    fn on_book(&mut self, _: &MarketView) -> Vec<Intent> {
        Vec::new()
    }
    fn on_order(&mut self, order: &OrderRecord) -> Vec<Intent> {
        self.0
            .lock()
            .unwrap()
            .orders
            .push((order.key.clone(), order.state));
        if order.state != OrderState::PendingNew {
            return Vec::new();
        }
        vec![
            Intent::Amend(AmendIntent {
                key: order.key.clone(),
                price: Price::from_cents(41).unwrap(),
                remaining: Count::ONE,
            }),
            Intent::Cancel(order.key.clone()),
        ]
    }
    fn on_refused(&mut self, intent: &Intent, reason: &str) -> Vec<Intent> {
        let what = matches!(intent, Intent::Amend(_))
            .then_some("amend")
            .unwrap_or("other");
        self.0
            .lock()
            .unwrap()
            .refused
            .push(format!("{what}: {reason}"));
        Vec::new()
    }
    fn on_start(&mut self, waker: Waker) -> Vec<Intent> {
        self.0.lock().unwrap().waker = Some(waker);
        Vec::new()
    }
    fn on_wake(&mut self) -> Vec<Intent> {
        vec![Intent::CancelMarket(
            Ticker::new("KXHIGHNY-26NOV28-B50.5").unwrap(),
        )]
    }
}

fn new_order(key: &str) -> OrderRecord {
    OrderRecord {
        key: key.into(),
        client_order_id: ClientOrderId::new(key).ok(),
        order_id: None,
        intent_seq: Some(1),
        origin: Origin::Intent,
        spec: OrderSpec {
            ticker: Ticker::new("KXHIGHNY-26NOV28-B50.5").unwrap(),
            side: BookSide::Bid,
            price: Price::from_cents(40).unwrap(),
            count: Count::ONE,
            time_in_force: TimeInForce::GoodTillCanceled,
            post_only: true,
            reduce_only: false,
        },
        fill_sum: Count::ZERO,
        reported_filled: Count::ZERO,
        book_epoch: Some(1),
        state: OrderState::PendingNew,
        reason: None,
        created_at: Utc::now(),
        updated_at: Utc::now(),
        cancel_requested: false,
    }
}

#[actix_rt::test]
async fn orders_by_key_refusals_and_wakes_reach_the_strategy() {
    let seen = Arc::new(Mutex::new(Seen::default()));
    let asked = Arc::new(Mutex::new(Asked::default()));
    let peer = Peer(asked.clone(), market("KXHIGHNY-26NOV28-B50.5")).start();
    let mut cfg = StrategyConfig::default();
    cfg.forecast.source = ForecastSource::None;
    let made = seen.clone();
    let factory = StrategyFactory::new(move || Keyed(made.clone()));
    let actor = StrategyActor::new(
        cfg,
        factory,
        String::new(),
        peers(&peer),
        LiveClock::shared(),
    )
    .start();

    actor
        .send(OrderEvent::Updated(Box::new(new_order("tw-a-1-0000beef"))))
        .await
        .unwrap();
    let mut tries = 0;
    while seen.lock().unwrap().refused.is_empty() {
        let _ = actor.send(super::super::GetMetrics).await; // a round trip: answers are handled
        tries += 1;
        assert!(tries < 1000, "the amend's refusal never came back");
    }
    {
        let asked = asked.lock().unwrap();
        assert_eq!(asked.amends.len(), 1);
        assert_eq!(asked.amends[0].key, "tw-a-1-0000beef");
        assert_eq!(asked.amends[0].price, Price::from_cents(41).unwrap());
        assert_eq!(asked.order_cancels.len(), 1);
        assert_eq!(asked.order_cancels[0].key, "tw-a-1-0000beef");
    }
    let waker = {
        let seen = seen.lock().unwrap();
        let new = ("tw-a-1-0000beef".to_string(), OrderState::PendingNew);
        assert_eq!(seen.orders, [new]);
        assert_eq!(seen.refused.len(), 1);
        assert!(seen.refused[0].starts_with("amend: "), "{:?}", seen.refused);
        seen.waker.clone().expect("on_start gave a waker")
    };
    let m = actor.send(super::super::GetMetrics).await.unwrap();
    assert_eq!((m.counters.amends, m.counters.order_cancels), (1, 1));

    // A wake from another thread: the strategy's answer is sent.
    std::thread::spawn(move || waker.wake()).join().unwrap();
    let mut tries = 0;
    while asked.lock().unwrap().cancels.is_empty() {
        let _ = actor.send(super::super::GetMetrics).await;
        tries += 1;
        assert!(tries < 1000, "the wake was never answered");
    }
    let cancels = &asked.lock().unwrap().cancels;
    assert_eq!(
        cancels[0].ticker.as_ref().map(|t| t.as_str()),
        Some("KXHIGHNY-26NOV28-B50.5")
    );
}
