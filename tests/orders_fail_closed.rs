//! The order manager fails closed: a placement whose book goes stale while it waits in the
//! gateway's queue is taken back and never sent, and an intent journaled before a restart
//! that lands inside a blackout waits — unsent — until the window ends; a stalled journal
//! refuses new placements once its queue is full, and loses none of the rows it holds.

mod common;
mod orders_support;

use std::time::{Duration, Instant};

use actix::Actor;
use chrono::Utc;
use kalshi::{
    ClientOrderId, Count, Price,
    types::{BookSide, TimeInForce},
};
use kalshi_sim::server::faults::FaultPatch;
use orders_support::{Setup, TempDir, WAIT, gtc, start_bot};
use tradewind_actors::{
    blackout::{BlackoutClock, BlackoutConfig, BlackoutPeers, config::FixedWindowConfig},
    clock::LiveClock,
    gateway::{GatewayConfig, GetMarkets},
    market_data::{BookStale, StaleReason},
    orders::{
        FlushJournal, GetMetrics, GetTrackedOrders, HoldJournal, OrderSpec, OrderState,
        OrdersConfig, Refusal, ids,
        journal::{Journal, Synchronous, Write},
        state::{OrderRecord, Origin},
    },
};

#[actix::test]
async fn a_placement_queued_when_its_book_goes_stale_is_never_sent() {
    let sim = common::quiet_sim();
    let ticker = common::ny_market(&sim);
    let (signer, account) = common::ed25519_account(&sim, "prime");
    let dir = TempDir::new("orders-stale-queue");
    // One request on the wire at a time, and every request slow: a read holds the slot while
    // the placement waits behind it.
    let setup = Setup {
        gateway: GatewayConfig {
            max_in_flight: 1,
            ..Setup::default().gateway
        },
        ..Setup::default()
    };
    let bot = start_bot(&sim, signer, &account, &dir, setup).await;
    // A first order on the market: its metadata is cached, so the next intent is admitted
    // (and queued) at once.
    bot.orders
        .send(gtc(&ticker, BookSide::Bid, 2, 1))
        .await
        .unwrap()
        .expect("the first order rests");
    sim.control()
        .set_faults(&FaultPatch {
            latency_ms: Some(600),
            ..Default::default()
        })
        .unwrap();
    let slow_read = bot.gateway.send(GetMarkets {
        params: Default::default(),
    });
    let placement = bot.orders.send(gtc(&ticker, BookSide::Bid, 5, 1));
    let stale = async {
        // The placement is queued once the order manager has journaled it.
        let deadline = Instant::now() + WAIT;
        while bot
            .orders
            .send(GetTrackedOrders {
                ticker: Some(ticker.clone()),
                open_only: true,
            })
            .await
            .unwrap()
            .len()
            < 2
        {
            assert!(Instant::now() < deadline, "never journaled");
            actix_rt::time::sleep(Duration::from_millis(5)).await;
        }
        bot.orders
            .send(BookStale {
                ticker: ticker.clone(),
                epoch: 1,
                reason: StaleReason::Reconnect,
            })
            .await
            .unwrap();
    };
    let (read, placed, ()) = tokio::join!(slow_read, placement, stale);
    assert!(read.unwrap().is_ok());
    let refused = placed.unwrap();
    assert!(
        matches!(&refused, Err(Refusal::NotSent { error, .. }) if error.to_string().contains("withdrawn")),
        "{refused:?}"
    );
    let log = sim.control().order_log(Some(&account));
    assert_eq!(
        log.len(),
        1,
        "only the first order reached the exchange: {log:?}"
    );
    // A new intent priced on the stale book is refused outright.
    let again = bot
        .orders
        .send(gtc(&ticker, BookSide::Bid, 5, 1))
        .await
        .unwrap();
    assert!(matches!(again, Err(Refusal::StaleBook { .. })), "{again:?}");
}

/// A journal holding one intent, journaled now and never answered (`pending_new`).
fn journal_with_an_unsent_intent(dir: &TempDir, ticker: &kalshi::Ticker) -> ClientOrderId {
    let cid = ids::client_order_id("test", ticker, 1).unwrap();
    let now = Utc::now();
    let order = OrderRecord {
        key: cid.to_string(),
        client_order_id: Some(cid.clone()),
        order_id: None,
        intent_seq: Some(1),
        origin: Origin::Intent,
        spec: OrderSpec {
            ticker: ticker.clone(),
            side: BookSide::Bid,
            price: Price::from_cents(5).unwrap(),
            count: Count::ONE,
            time_in_force: TimeInForce::GoodTillCanceled,
            post_only: false,
            reduce_only: false,
        },
        fill_sum: Count::ZERO,
        reported_filled: Count::ZERO,
        book_epoch: None,
        state: OrderState::PendingNew,
        reason: None,
        created_at: now,
        updated_at: now,
        cancel_requested: false,
    };
    let mut j = Journal::open(&dir.journal(), Synchronous::Full).unwrap();
    let label = ids::label("test", ticker, 1);
    let writes = [
        Write::Intent {
            order: &order,
            label: &label,
        },
        Write::Order(&order),
        Write::Event(&order, None),
    ];
    j.commit(now, &writes).unwrap();
    cid
}

#[actix::test]
async fn starting_inside_a_blackout_a_journaled_intent_waits_for_the_window_to_end() {
    let sim = common::quiet_sim();
    let ticker = common::ny_market(&sim);
    let (signer, account) = common::ed25519_account(&sim, "prime");
    let dir = TempDir::new("orders-resend-blackout");
    let cid = journal_with_an_unsent_intent(&dir, &ticker);
    let window_end = Utc::now() + chrono::Duration::seconds(2);
    let clock = BlackoutClock::new(
        BlackoutConfig {
            recurring: Vec::new(),
            weekly_maintenance: false,
            exchange_schedule: false,
            fixed: vec![FixedWindowConfig {
                name: "release".into(),
                start: (Utc::now() - chrono::Duration::seconds(5)).to_rfc3339(),
                end: window_end.to_rfc3339(),
            }],
            ..BlackoutConfig::default()
        },
        BlackoutPeers {
            gateway: common::gateway(
                &sim,
                common::ed25519_account(&sim, "prime").0,
                GatewayConfig::default(),
            )
            .recipient(),
            subscribers: Vec::new(),
        },
        LiveClock::shared(),
    )
    .unwrap()
    .start();
    let setup = Setup {
        blackout: Some(clock.recipient()),
        ..Setup::default()
    };
    let bot = start_bot(&sim, signer, &account, &dir, setup).await;
    // Reconciled and ready, inside the window: the intent is held back, not given up.
    assert!(sim.control().order_log(Some(&account)).is_empty());
    let held = bot
        .orders
        .send(GetTrackedOrders {
            ticker: None,
            open_only: true,
        })
        .await
        .unwrap();
    assert_eq!(held.len(), 1, "{held:?}");
    // Once the window ends it goes out, once, under its own client order id.
    let deadline = Instant::now() + WAIT;
    let sent = loop {
        let log = sim.control().order_log(Some(&account));
        if !log.is_empty() {
            break log;
        }
        assert!(Instant::now() < deadline, "never re-sent");
        actix_rt::time::sleep(Duration::from_millis(20)).await;
    };
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(sent[0].client_order_id.as_ref(), Some(&cid));
    assert!(
        sent[0].arrival_time >= window_end,
        "sent at {} inside the window ending {window_end}",
        sent[0].arrival_time
    );
}

#[actix::test]
async fn a_stalled_journal_refuses_placements_past_its_bound_and_loses_no_row() {
    let sim = common::quiet_sim();
    let ticker = common::ny_market(&sim);
    let (signer, account) = common::ed25519_account(&sim, "prime");
    let dir = TempDir::new("orders-backlog");
    let setup = Setup {
        orders: OrdersConfig {
            journal_queue_max: 3,
            ..Setup::default().orders
        },
        ..Setup::default()
    };
    let bot = start_bot(&sim, signer, &account, &dir, setup).await;
    // The disk stalls: every batch from here on waits in the writer's queue.
    bot.orders.send(HoldJournal { held: true }).await.unwrap();
    // Each placement queues its intent's rows, then its answer's: the bound of 3 batches is
    // reached after one or two orders.
    let mut accepted = 0;
    let refusal = loop {
        match bot
            .orders
            .send(gtc(&ticker, BookSide::Bid, 2 + accepted, 1))
            .await
            .unwrap()
        {
            Ok(_) => accepted += 1,
            Err(r) => break r,
        }
        assert!(accepted <= 3, "never refused past the bound");
    };
    assert!(accepted >= 1, "the first placement fits");
    assert_eq!(refusal.reason(), "journal_backlog", "{refusal}");
    let refused = bot.orders.send(GetMetrics).await.unwrap().counters.refused;
    assert_eq!(refused.get("journal_backlog"), Some(&1), "{refused:?}");
    // Nothing refused was sent.
    assert_eq!(
        sim.control().order_log(Some(&account)).len(),
        accepted as usize
    );
    // The disk comes back: every row of every order sent is committed; placements pass again.
    bot.orders.send(HoldJournal { held: false }).await.unwrap();
    assert!(bot.orders.send(FlushJournal).await.unwrap());
    let journal = Journal::open_read_only(&bot.journal).unwrap();
    assert_eq!(journal.intent_outcomes().unwrap().len(), accepted as usize);
    bot.orders
        .send(gtc(&ticker, BookSide::Bid, 10, 1))
        .await
        .unwrap()
        .expect("placements pass once the backlog drained");
}
