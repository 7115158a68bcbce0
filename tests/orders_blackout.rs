//! The blackout gate, driven by the real blackout clock on an injected clock: while a
//! blackout is active no new or size-increasing order is sent, while cancels, decreases and
//! reduce-only orders pass; resting orders are left alone unless `cancel_on_blackout`.

mod common;
mod orders_support;

use std::sync::Arc;

use actix::Actor;
use chrono::{Duration, Utc};
use kalshi::{Count, Price, types::BookSide};
use orders_support::{Maker, Setup, TempDir, WAIT, gtc, ioc, start_bot};
use tradewind_actors::{
    blackout::{
        BlackoutChanged, BlackoutClock, BlackoutConfig, BlackoutPeers, BlackoutState,
        config::FixedWindowConfig,
    },
    clock::FakeClock,
    orders::{
        Amend, Cancel, GetMetrics, GetTrackedPositions, OrderEvent, OrderState, Reconcile, Refusal,
    },
};

/// A blackout clock whose only window, "test window", covers its fake clock's present.
fn blackout_clock(sim: &kalshi_sim::SimHandle) -> actix::Addr<BlackoutClock> {
    let now = Utc::now();
    let cfg = BlackoutConfig {
        recurring: Vec::new(),
        fixed: vec![FixedWindowConfig {
            name: "test window".into(),
            start: (now - Duration::minutes(5)).to_rfc3339(),
            end: (now + Duration::minutes(5)).to_rfc3339(),
        }],
        weekly_maintenance: false,
        exchange_schedule: false,
        ..BlackoutConfig::default()
    };
    let (signer, _) = common::ed25519_account(sim, "prime");
    let gw = common::gateway(sim, signer, Default::default());
    let peers = BlackoutPeers {
        gateway: gw.recipient(),
        subscribers: Vec::new(),
    };
    BlackoutClock::new(cfg, peers, Arc::new(FakeClock::new(now)))
        .expect("blackout config")
        .start()
}

#[actix::test]
async fn the_blackout_gate_blocks_new_orders_and_passes_cancels_decreases_and_reduce_only() {
    let sim = common::quiet_sim();
    let ticker = common::ny_market(&sim);
    let (signer, account) = common::ed25519_account(&sim, "prime");
    let dir = TempDir::new("orders-blackout");
    let bot = start_bot(&sim, signer, &account, &dir, Setup::default()).await;
    // Before the blackout: a position of 5 YES and a resting bid.
    let mut maker = Maker::new(&sim);
    maker.rest(&ticker, BookSide::Ask, 60, 5).await;
    bot.orders
        .send(ioc(&ticker, BookSide::Bid, 60, 5))
        .await
        .unwrap()
        .unwrap();
    bot.orders.send(Reconcile).await.unwrap().unwrap();
    assert_eq!(
        bot.orders.send(GetTrackedPositions).await.unwrap()[0].position,
        Count::from_whole(5)
    );
    let resting = bot
        .orders
        .send(gtc(&ticker, BookSide::Bid, 5, 4))
        .await
        .unwrap()
        .unwrap();

    // The blackout clock tells the order manager its state as soon as it subscribes.
    let clock = blackout_clock(&sim);
    clock
        .send(tradewind_actors::blackout::SubscribeBlackout {
            recipient: bot.orders.clone().recipient(),
        })
        .await
        .unwrap();
    let sent_before = sim.control().order_log(Some(&account)).len();

    let new = bot
        .orders
        .send(gtc(&ticker, BookSide::Bid, 5, 1))
        .await
        .unwrap();
    assert!(
        matches!(new, Err(Refusal::Blackout(ref why)) if why.contains("test window")),
        "{new:?}"
    );
    let bigger = Amend {
        key: resting.key.clone(),
        price: Price::from_cents(5).unwrap(),
        remaining: Count::from_whole(6),
    };
    assert!(matches!(
        bot.orders.send(bigger).await.unwrap(),
        Err(Refusal::Blackout(_))
    ));
    assert_eq!(
        sim.control().order_log(Some(&account)).len(),
        sent_before,
        "nothing new sent"
    );

    let smaller = Amend {
        key: resting.key.clone(),
        price: Price::from_cents(5).unwrap(),
        remaining: Count::from_whole(2),
    };
    let decreased = bot
        .orders
        .send(smaller)
        .await
        .unwrap()
        .expect("a decrease passes");
    assert_eq!(decreased.state, OrderState::Resting);
    maker.rest(&ticker, BookSide::Bid, 55, 2).await;
    let mut reduce = ioc(&ticker, BookSide::Ask, 55, 2);
    reduce.spec.reduce_only = true;
    let reduced = bot
        .orders
        .send(reduce)
        .await
        .unwrap()
        .expect("reduce-only passes");
    assert_eq!(reduced.state, OrderState::Executed);
    let cancel = bot
        .orders
        .send(Cancel {
            key: resting.key.clone(),
        })
        .await
        .unwrap();
    assert_eq!(cancel, Ok(OrderState::PendingCancel));
    let m = bot.orders.send(GetMetrics).await.unwrap();
    assert!(m.blackout);
    assert_eq!(m.counters.refused.get("blackout"), Some(&2));

    // The window ends (the clock would say so at its end): new orders pass again.
    bot.orders
        .send(BlackoutChanged {
            state: BlackoutState {
                active: false,
                reason: Vec::new(),
                until: None,
            },
        })
        .await
        .unwrap();
    let after = bot
        .orders
        .send(gtc(&ticker, BookSide::Bid, 5, 1))
        .await
        .unwrap();
    assert_eq!(after.unwrap().state, OrderState::Resting);
}

#[actix::test]
async fn resting_orders_are_cancelled_when_a_blackout_starts_only_if_configured() {
    let sim = common::quiet_sim();
    let ticker = common::ny_market(&sim);
    for cancel_on_blackout in [false, true] {
        let (signer, account) = common::ed25519_account(&sim, "prime");
        let dir = TempDir::new("orders-blackout-cancel");
        let (events, log) = common::probe::probe::<OrderEvent>();
        let mut setup = Setup {
            listeners: vec![events],
            ..Setup::default()
        };
        setup.orders.cancel_on_blackout = cancel_on_blackout;
        let bot = start_bot(&sim, signer, &account, &dir, setup).await;
        let placed = bot
            .orders
            .send(gtc(&ticker, BookSide::Bid, 5, 3))
            .await
            .unwrap()
            .unwrap();
        let state = BlackoutState {
            active: true,
            reason: vec!["gfs 12z".into()],
            until: None,
        };
        bot.orders.send(BlackoutChanged { state }).await.unwrap();
        if cancel_on_blackout {
            let key = placed.key.clone();
            log.wait_until(WAIT, "the resting order cancelled", |evs| {
                evs.iter().any(|e| matches!(e, OrderEvent::Updated(o) if o.key == key && o.state == OrderState::Canceled))
            })
            .await;
            assert_eq!(
                sim.control().orders(&account)[0].status.as_str(),
                "canceled"
            );
        } else {
            // A request sent after the BlackoutChanged is answered after it was handled.
            let m = bot.orders.send(GetMetrics).await.unwrap();
            assert_eq!(m.counters.cancels, 0);
            assert_eq!(sim.control().orders(&account)[0].status.as_str(), "resting");
        }
    }
}
