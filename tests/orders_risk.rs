//! Each risk limit refuses the intent that would break it, naming the limit, and sends
//! nothing; the order rate follows the injected clock; the daily loss limit and `Halt` stop
//! new orders (cancelling resting ones) until `Resume`.

mod common;
mod orders_support;

use std::{sync::Arc, time::Duration};

use kalshi::{Money, types::BookSide};
use orders_support::{Maker, Setup, TempDir, WAIT, gtc, ioc, sim_position, start_bot};
use tradewind_actors::{
    clock::FakeClock,
    orders::{
        FlushJournal, GetMetrics, GetTrackedPositions, Halt, OrderEvent, OrderState, OrdersConfig,
        Reconcile, Refusal, Resume, Submit, risk::Limit,
    },
};

fn limits(f: impl FnOnce(&mut OrdersConfig)) -> Setup {
    let mut s = Setup::default();
    f(&mut s.orders);
    s
}

#[actix::test]
async fn each_risk_limit_refuses_the_intent_that_would_break_it_naming_the_limit() {
    let sim = common::quiet_sim();
    let ticker = common::ny_market(&sim);
    // (setup, intents that pass, the intent that breaks the limit, the limit)
    let cases: Vec<(Setup, Vec<Submit>, Submit, Limit)> = vec![
        (
            limits(|c| c.max_contracts_per_order = 5),
            vec![gtc(&ticker, BookSide::Bid, 5, 5)],
            gtc(&ticker, BookSide::Bid, 5, 6),
            Limit::MaxContractsPerOrder,
        ),
        (
            limits(|c| c.max_position_per_market = 10),
            vec![gtc(&ticker, BookSide::Bid, 5, 6)],
            gtc(&ticker, BookSide::Bid, 4, 5),
            Limit::MaxPositionPerMarket,
        ),
        (
            limits(|c| c.max_total_exposure_dollars = Money::parse("0.50").unwrap()),
            vec![gtc(&ticker, BookSide::Bid, 5, 8)],
            gtc(&ticker, BookSide::Bid, 5, 3),
            Limit::MaxTotalExposureDollars,
        ),
        (
            limits(|c| c.max_open_orders = 2),
            vec![
                gtc(&ticker, BookSide::Bid, 5, 1),
                gtc(&ticker, BookSide::Bid, 4, 1),
            ],
            gtc(&ticker, BookSide::Bid, 3, 1),
            Limit::MaxOpenOrders,
        ),
        (
            limits(|c| c.max_orders_per_minute = 2),
            vec![
                gtc(&ticker, BookSide::Bid, 5, 1),
                gtc(&ticker, BookSide::Bid, 4, 1),
            ],
            gtc(&ticker, BookSide::Bid, 3, 1),
            Limit::MaxOrdersPerMinute,
        ),
    ];
    for (setup, pass, breaks, limit) in cases {
        let (signer, account) = common::ed25519_account(&sim, "prime");
        let dir = TempDir::new("orders-risk");
        let bot = start_bot(&sim, signer, &account, &dir, setup).await;
        let n = pass.len();
        for intent in pass {
            let r = bot.orders.send(intent).await.unwrap();
            assert_eq!(r.unwrap().state, OrderState::Resting, "{limit}");
        }
        let r = bot.orders.send(breaks).await.unwrap();
        match r {
            Err(Refusal::Risk(b)) => {
                assert_eq!(b.limit, limit);
                assert!(b.to_string().contains(limit.name()), "{b}");
            }
            other => panic!("{limit}: expected a refusal, got {other:?}"),
        }
        assert_eq!(
            sim.control().order_log(Some(&account)).len(),
            n,
            "{limit}: nothing sent"
        );
        let m = bot.orders.send(GetMetrics).await.unwrap();
        assert_eq!(m.counters.refused.get(&format!("risk:{limit}")), Some(&1));
    }
}

#[actix::test]
async fn the_order_rate_limit_follows_the_injected_clock() {
    let sim = common::quiet_sim();
    let ticker = common::ny_market(&sim);
    let (signer, account) = common::ed25519_account(&sim, "prime");
    let dir = TempDir::new("orders-rate");
    let clock = FakeClock::new(chrono::Utc::now());
    let mut setup = limits(|c| c.max_orders_per_minute = 3);
    setup.clock = Arc::new(clock.clone());
    let bot = start_bot(&sim, signer, &account, &dir, setup).await;
    for cents in [5, 4, 3] {
        let r = bot
            .orders
            .send(gtc(&ticker, BookSide::Bid, cents, 1))
            .await
            .unwrap();
        assert!(r.is_ok(), "{r:?}");
        clock.advance(Duration::from_secs(10));
    }
    let r = bot
        .orders
        .send(gtc(&ticker, BookSide::Bid, 2, 1))
        .await
        .unwrap();
    assert!(
        matches!(r, Err(Refusal::Risk(ref b)) if b.limit == Limit::MaxOrdersPerMinute),
        "{r:?}"
    );
    // 60 s after the first order, one slot is free again.
    clock.advance(Duration::from_secs(31));
    let r = bot
        .orders
        .send(gtc(&ticker, BookSide::Bid, 2, 1))
        .await
        .unwrap();
    assert!(r.is_ok(), "{r:?}");
    let r = bot
        .orders
        .send(gtc(&ticker, BookSide::Bid, 1, 1))
        .await
        .unwrap();
    assert!(
        matches!(r, Err(Refusal::Risk(ref b)) if b.limit == Limit::MaxOrdersPerMinute),
        "{r:?}"
    );
}

#[actix::test]
async fn the_daily_loss_limit_halts_new_orders_and_cancels_resting_ones_until_resume() {
    let sim = common::quiet_sim();
    let ticker = common::ny_market(&sim);
    let (signer, account) = common::ed25519_account(&sim, "prime");
    let dir = TempDir::new("orders-loss");
    let (events, log) = common::probe::probe::<OrderEvent>();
    let mut setup = limits(|c| c.max_daily_loss_dollars = Money::parse("1.00").unwrap());
    setup.listeners = vec![events];
    let bot = start_bot(&sim, signer, &account, &dir, setup).await;
    let other = orders_support::other_market(&sim);
    let resting = bot
        .orders
        .send(gtc(&other, BookSide::Bid, 3, 1))
        .await
        .unwrap()
        .unwrap();

    // Buy 10 YES at 0.90, sell them at 0.10: a realised loss of $8.
    let mut maker = Maker::new(&sim);
    maker.rest(&ticker, BookSide::Ask, 90, 10).await;
    let bought = bot
        .orders
        .send(ioc(&ticker, BookSide::Bid, 90, 10))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(bought.state, OrderState::Executed);
    maker.rest(&ticker, BookSide::Bid, 10, 10).await;
    let sold = bot
        .orders
        .send(ioc(&ticker, BookSide::Ask, 10, 10))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(sold.state, OrderState::Executed);
    // No feed here: the fills reach the order manager by reconciliation.
    bot.orders.send(Reconcile).await.unwrap().unwrap();

    let m = bot.orders.send(GetMetrics).await.unwrap();
    let halted = m.halted.expect("halted by the loss limit");
    assert!(halted.contains("max_daily_loss_dollars"), "{halted}");
    assert!(
        m.daily_pnl <= Money::parse("-8.00").unwrap(),
        "{}",
        m.daily_pnl
    );
    let positions = bot.orders.send(GetTrackedPositions).await.unwrap();
    assert_eq!(positions[0].position, sim_position(&sim, &account, &ticker));
    let key = resting.key.clone();
    log.wait_until(WAIT, "the resting order cancelled by the halt", |evs| {
        evs.iter().any(|e| matches!(e, OrderEvent::Updated(o) if o.key == key && o.state == OrderState::Canceled))
    })
    .await;
    let r = bot
        .orders
        .send(gtc(&other, BookSide::Bid, 3, 1))
        .await
        .unwrap();
    assert!(
        matches!(r, Err(Refusal::Halted(ref why)) if why.contains("max_daily_loss_dollars")),
        "{r:?}"
    );

    bot.orders.send(Resume).await.unwrap();
    // Still beyond the limit today: the next check halts again, but Resume itself lifts it.
    assert_eq!(bot.orders.send(GetMetrics).await.unwrap().halted, None);
}

#[actix::test]
async fn halt_stops_new_orders_and_cancels_resting_ones_and_resume_lifts_it() {
    let sim = common::quiet_sim();
    let ticker = common::ny_market(&sim);
    let (signer, account) = common::ed25519_account(&sim, "prime");
    let dir = TempDir::new("orders-halt");
    let (events, log) = common::probe::probe::<OrderEvent>();
    let setup = Setup {
        listeners: vec![events],
        ..Setup::default()
    };
    let bot = start_bot(&sim, signer, &account, &dir, setup).await;
    let placed = bot
        .orders
        .send(gtc(&ticker, BookSide::Bid, 5, 2))
        .await
        .unwrap()
        .unwrap();
    bot.orders
        .send(Halt {
            reason: "operator".into(),
        })
        .await
        .unwrap();
    let r = bot
        .orders
        .send(gtc(&ticker, BookSide::Bid, 5, 2))
        .await
        .unwrap();
    assert_eq!(r, Err(Refusal::Halted("operator".into())));
    let key = placed.key.clone();
    log.wait_until(WAIT, "the resting order cancelled", |evs| {
        evs.iter().any(|e| matches!(e, OrderEvent::Updated(o) if o.key == key && o.state == OrderState::Canceled))
    })
    .await;
    assert_eq!(
        sim.control().orders(&account)[0].status.as_str(),
        "canceled"
    );
    bot.orders.send(Resume).await.unwrap();
    let r = bot
        .orders
        .send(gtc(&ticker, BookSide::Bid, 5, 2))
        .await
        .unwrap();
    assert_eq!(r.unwrap().state, OrderState::Resting);
    assert!(
        bot.orders.send(FlushJournal).await.unwrap(),
        "journal flushed"
    );
    let j = tradewind_actors::orders::journal::Journal::open_read_only(&bot.journal).unwrap();
    assert_eq!(j.count("halts").unwrap(), 2, "halt and resume journaled");
}
