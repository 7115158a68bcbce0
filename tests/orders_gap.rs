//! Fills missed while the WebSocket was away are read back from `GET /portfolio/fills` after
//! the reconnect and booked exactly once: late duplicates change nothing, and positions equal
//! the simulator's. Once with fills forwarded by the test (a gap chosen exactly), once with the
//! real feed and a forced connection cut.

mod common;
mod orders_support;

use std::time::Duration;

use chrono::Utc;
use kalshi::{Ticker, types::BookSide};
use kalshi_sim::server::faults::{DropMode, FaultPatch};
use orders_support::{Bot, Maker, Setup, TempDir, WAIT, ioc, sim_position, start_bot, ws_fill};
use tradewind_actors::{
    clock::LiveClock,
    feed::{Feed, FeedConfig, FeedPeers},
    market_data::{FeedEvent, FillReceived},
    orders::{
        FlushJournal, GetMetrics, GetTrackedPositions, OrderEvent, OrderState, journal::Journal,
    },
};

/// Buys `n` lots of 2 YES from the maker, one IOC each; answers the simulator's fills of the
/// account, oldest first.
async fn buy_lots(
    bot: &Bot,
    maker: &mut Maker,
    ticker: &Ticker,
    sim: &kalshi_sim::SimHandle,
    n: u32,
) -> Vec<kalshi::rest::Fill> {
    for i in 0..n {
        let cents = 40 + i;
        maker.rest(ticker, BookSide::Ask, cents, 2).await;
        let placed = bot
            .orders
            .send(ioc(ticker, BookSide::Bid, cents, 2))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(placed.state, OrderState::Executed);
    }
    sim.control().fills(&bot.account_id)
}

fn filled_count(evs: &[OrderEvent]) -> usize {
    evs.iter()
        .filter(|e| matches!(e, OrderEvent::Filled { .. }))
        .count()
}

async fn positions_match(bot: &Bot, sim: &kalshi_sim::SimHandle, ticker: &Ticker) {
    let ours = bot.orders.send(GetTrackedPositions).await.unwrap();
    let mine = ours.iter().find(|p| p.ticker == ticker.as_str()).unwrap();
    assert_eq!(mine.position, sim_position(sim, &bot.account_id, ticker));
}

#[actix::test]
async fn fills_withheld_during_a_gap_are_recovered_from_rest_exactly_once() {
    let sim = common::quiet_sim();
    let ticker = common::ny_market(&sim);
    let (signer, account) = common::ed25519_account(&sim, "prime");
    let dir = TempDir::new("orders-gap");
    let (events, log) = common::probe::probe::<OrderEvent>();
    let bot = start_bot(
        &sim,
        signer,
        &account,
        &dir,
        Setup {
            listeners: vec![events],
            ..Setup::default()
        },
    )
    .await;
    let mut maker = Maker::new(&sim);
    let fills = buy_lots(&bot, &mut maker, &ticker, &sim, 4).await;
    assert_eq!(fills.len(), 4);

    // The "feed" delivers the first fill, then the connection drops and the rest are lost.
    let deliver = |f: &kalshi::rest::Fill| FillReceived {
        fill: ws_fill(f),
        received_at: Utc::now(),
    };
    bot.orders.send(deliver(&fills[0])).await.unwrap();
    bot.orders
        .send(FeedEvent::Disconnected {
            reason: "test".into(),
        })
        .await
        .unwrap();
    bot.orders.send(FeedEvent::Connected).await.unwrap();
    log.wait_until(WAIT, "four fills booked", |evs| filled_count(evs) == 4)
        .await;
    positions_match(&bot, &sim, &ticker).await;

    // Late copies of every fill (the WebSocket replaying, a second reconnect) change nothing.
    for f in &fills {
        bot.orders.send(deliver(f)).await.unwrap();
    }
    bot.orders.send(FeedEvent::Connected).await.unwrap();
    let m = bot.orders.send(GetMetrics).await.unwrap();
    assert_eq!(m.counters.fills.get("ws"), Some(&1));
    assert_eq!(m.counters.fills.get("rest_gap"), Some(&3));
    assert_eq!(m.counters.duplicate_fills, 4);
    positions_match(&bot, &sim, &ticker).await;
    assert_eq!(filled_count(&log.all()), 4);
    assert!(
        bot.orders.send(FlushJournal).await.unwrap(),
        "journal flushed"
    );
    let j = Journal::open_read_only(&bot.journal).unwrap();
    assert_eq!(j.count("fills").unwrap(), 4);
}

#[actix::test]
async fn with_the_real_feed_a_forced_websocket_cut_loses_no_fill_and_books_none_twice() {
    let sim = common::quiet_sim();
    let ticker = common::ny_market(&sim);
    let (signer, account) = common::ed25519_account(&sim, "prime");
    let dir = TempDir::new("orders-gap-feed");
    let (events, log) = common::probe::probe::<OrderEvent>();
    let bot = start_bot(
        &sim,
        signer.clone(),
        &account,
        &dir,
        Setup {
            listeners: vec![events],
            ..Setup::default()
        },
    )
    .await;
    let (feed_events, feed_log) = common::probe::probe::<FeedEvent>();
    let peers = FeedPeers {
        events: vec![bot.orders.clone().recipient(), feed_events],
        fills: vec![bot.orders.clone().recipient()],
        user_orders: vec![bot.orders.clone().recipient()],
        ..FeedPeers::default()
    };
    // A long pause before reconnecting: the gap is certain to hold the trades made in it.
    let cfg = FeedConfig {
        reconnect_min_ms: 3_000,
        reconnect_base_ms: 3_000,
        watch: vec![ticker.clone()],
        ..FeedConfig::default()
    };
    let _feed =
        Feed::start_supervised(cfg, &sim.ws_url(), signer, LiveClock::shared(), peers).unwrap();
    let connected = |n: usize| {
        move |evs: &[FeedEvent]| evs.iter().filter(|e| **e == FeedEvent::Connected).count() >= n
    };
    feed_log
        .wait_until(WAIT, "the feed connected", connected(1))
        .await;

    let mut maker = Maker::new(&sim);
    buy_lots(&bot, &mut maker, &ticker, &sim, 1).await;
    log.wait_until(WAIT, "the first fill over the WebSocket", |evs| {
        filled_count(evs) == 1
    })
    .await;

    sim.control()
        .set_faults(&FaultPatch {
            ws_drop_now: Some(DropMode::Cut),
            ..Default::default()
        })
        .unwrap();
    feed_log
        .wait_until(WAIT, "the feed lost its connection", |evs| {
            evs.iter()
                .any(|e| matches!(e, FeedEvent::Disconnected { .. }))
        })
        .await;
    let fills = buy_lots(&bot, &mut maker, &ticker, &sim, 3).await;
    assert_eq!(fills.len(), 3 + 1);
    feed_log
        .wait_until(
            Duration::from_secs(30),
            "the feed reconnected",
            connected(2),
        )
        .await;
    log.wait_until(WAIT, "every fill booked", |evs| filled_count(evs) == 4)
        .await;

    let m = bot.orders.send(GetMetrics).await.unwrap();
    assert_eq!(
        m.counters.fills.get("ws"),
        Some(&1),
        "{:?}",
        m.counters.fills
    );
    assert_eq!(
        m.counters.fills.get("rest_gap"),
        Some(&3),
        "{:?}",
        m.counters.fills
    );
    positions_match(&bot, &sim, &ticker).await;
    assert!(
        bot.orders.send(FlushJournal).await.unwrap(),
        "journal flushed"
    );
    let j = Journal::open_read_only(&bot.journal).unwrap();
    assert_eq!(j.count("fills").unwrap(), 4);
    assert_eq!(filled_count(&log.all()), 4, "no fill booked twice");
}
