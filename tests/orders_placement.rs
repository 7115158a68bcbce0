//! The order manager places, amends and cancels against the simulator; a placement whose
//! response is lost ends as exactly one order under its original client id, whether the
//! gateway adopts it after a 409 or reconciliation settles the unknown outcome; an intent is
//! in the journal before it is sent.

mod common;
mod orders_support;

use std::{
    path::PathBuf,
    sync::{Arc, Mutex},
};

use actix::{Actor, Context, Handler};
use kalshi::{Count, Price, types::BookSide};
use kalshi_sim::server::faults::FaultPatch;
use orders_support::{Bot, Setup, TempDir, WAIT, gtc, start_bot};
use tradewind_actors::{
    gateway::{GatewayConfig, GatewayError, PlaceOrder, PlaceOrderAck},
    orders::{
        Amend, Cancel, FlushJournal, GetMetrics, GetTrackedOrders, OrderEvent, OrderState, Orders,
        OrdersPeers, Refusal, WaitReady, journal::Journal,
    },
    stamps::{PathStamps, Stamp},
};

async fn open_orders(bot: &Bot) -> Vec<tradewind_actors::orders::OrderRecord> {
    bot.orders
        .send(GetTrackedOrders {
            ticker: None,
            open_only: false,
        })
        .await
        .unwrap()
}

#[actix::test]
async fn a_dropped_placement_response_ends_as_one_resting_order_under_its_client_id() {
    let sim = common::quiet_sim();
    let (signer, account) = common::ed25519_account(&sim, "prime");
    let dir = TempDir::new("orders-drop");
    let bot = start_bot(&sim, signer, &account, &dir, Setup::default()).await;
    let ticker = common::ny_market(&sim);
    sim.control()
        .set_faults(&FaultPatch {
            reset_after_accept_next: Some(1),
            ..Default::default()
        })
        .unwrap();

    let placed = bot
        .orders
        .send(gtc(&ticker, BookSide::Bid, 11, 2))
        .await
        .unwrap()
        .expect("accepted");
    assert_eq!(placed.state, OrderState::Resting);
    let cid = placed.client_order_id.clone().expect("a client id");
    let expected = tradewind_actors::orders::ids::client_order_id("test", &ticker, 1).unwrap();
    assert_eq!(cid, expected);

    let truth = sim.control().orders(&account);
    let same: Vec<_> = truth
        .iter()
        .filter(|o| o.client_order_id.as_ref() == Some(&cid))
        .collect();
    assert_eq!(
        same.len(),
        1,
        "exactly one order on the exchange: {truth:?}"
    );
    assert_eq!(Some(&same[0].order_id), placed.order_id.as_ref());
    assert_eq!(
        sim.control().stats().resets_after_accept,
        1,
        "the fault fired"
    );
    assert_eq!(sim.control().stats().duplicate_client_order_ids, 0);
    let held = open_orders(&bot).await;
    assert_eq!(held.len(), 1);
    assert_eq!(
        (held[0].state, held[0].key.as_str()),
        (OrderState::Resting, cid.as_str())
    );
}

#[actix::test]
async fn an_unknown_outcome_blocks_its_market_until_reconciliation_adopts_the_order() {
    let sim = common::quiet_sim();
    let (signer, account) = common::ed25519_account(&sim, "prime");
    let dir = TempDir::new("orders-unknown");
    let (events, log) = common::probe::probe::<OrderEvent>();
    let setup = Setup {
        // No retry: the reset comes back as an ambiguous outcome.
        gateway: GatewayConfig {
            max_write_retries: 0,
            ..GatewayConfig::default()
        },
        listeners: vec![events],
        ..Setup::default()
    };
    let bot = start_bot(&sim, signer, &account, &dir, setup).await;
    let ticker = common::ny_market(&sim);
    sim.control()
        .set_faults(&FaultPatch {
            reset_after_accept_next: Some(1),
            ..Default::default()
        })
        .unwrap();

    let placed = bot
        .orders
        .send(gtc(&ticker, BookSide::Bid, 12, 3))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(placed.state, OrderState::Unknown);
    let blocked = bot
        .orders
        .send(gtc(&ticker, BookSide::Bid, 10, 1))
        .await
        .unwrap();
    assert!(
        matches!(blocked, Err(Refusal::Blocked { ref key, .. }) if *key == placed.key),
        "{blocked:?}"
    );

    let key = placed.key.clone();
    log.wait_until(WAIT, "the unknown order settled", |evs| {
        evs.iter().any(|e| matches!(e, OrderEvent::Updated(o) if o.key == key && o.state == OrderState::Resting))
    })
    .await;
    let held = open_orders(&bot).await;
    let order = held.iter().find(|o| o.key == key).unwrap();
    let truth = sim.control().orders(&account);
    assert_eq!(truth.len(), 1, "adopted, not re-sent: {truth:?}");
    assert_eq!(order.order_id.as_ref(), Some(&truth[0].order_id));
    let m = bot.orders.send(GetMetrics).await.unwrap();
    assert_eq!(m.counters.unknown_outcomes, 1);
    assert_eq!(
        m.counters.differences.get("unacknowledged_placement"),
        Some(&1)
    );
    // The market is open again.
    let next = bot
        .orders
        .send(gtc(&ticker, BookSide::Bid, 10, 1))
        .await
        .unwrap();
    assert_eq!(next.unwrap().state, OrderState::Resting);
}

#[actix::test]
async fn amends_decreases_and_cancels_reach_the_exchange() {
    let sim = common::quiet_sim();
    let (signer, account) = common::ed25519_account(&sim, "prime");
    let dir = TempDir::new("orders-amend");
    let (events, log) = common::probe::probe::<OrderEvent>();
    let setup = Setup {
        listeners: vec![events],
        ..Setup::default()
    };
    let bot = start_bot(&sim, signer, &account, &dir, setup).await;
    let ticker = common::ny_market(&sim);
    let placed = bot
        .orders
        .send(gtc(&ticker, BookSide::Bid, 10, 5))
        .await
        .unwrap()
        .unwrap();
    let key = placed.key.clone();
    let amend = |cents: u32, n: i64| Amend {
        key: key.clone(),
        price: Price::from_cents(cents).unwrap(),
        remaining: Count::from_whole(n),
    };
    let up = bot.orders.send(amend(12, 7)).await.unwrap().unwrap();
    assert_eq!(up.state, OrderState::Resting);
    let down = bot.orders.send(amend(12, 4)).await.unwrap().unwrap();
    assert_eq!(down.state, OrderState::Resting);
    let truth = &sim.control().orders(&account)[0];
    assert_eq!(truth.yes_price_dollars, Price::from_cents(12).unwrap());
    assert_eq!(truth.remaining_count_fp, Count::from_whole(4));
    let held = open_orders(&bot).await;
    assert_eq!(held[0].remaining(), Count::from_whole(4));

    let state = bot
        .orders
        .send(Cancel { key: key.clone() })
        .await
        .unwrap()
        .unwrap();
    assert_eq!(state, OrderState::PendingCancel);
    log.wait_until(WAIT, "the cancel answered", |evs| {
        evs.iter().any(|e| matches!(e, OrderEvent::Updated(o) if o.key == key && o.state == OrderState::Canceled))
    })
    .await;
    assert_eq!(
        sim.control().orders(&account)[0].status.as_str(),
        "canceled"
    );
    let again = bot.orders.send(Cancel { key }).await.unwrap();
    assert!(
        matches!(
            again,
            Err(Refusal::WrongState {
                state: "canceled",
                ..
            })
        ),
        "{again:?}"
    );
}

/// What the witness saw: each placement's client order id, and whether its number lay in a
/// reserved block when it was sent.
type Sightings = Arc<Mutex<Vec<(String, bool)>>>;

/// Stands in for the gateway: on a placement, reads the journal from outside (read-only),
/// notes what it holds, and answers that the order was never sent.
struct JournalWitness {
    journal: PathBuf,
    seen: Sightings,
    /// The path stamps each placement arrived with.
    stamped: Arc<Mutex<Vec<PathStamps>>>,
}

impl Actor for JournalWitness {
    type Context = Context<Self>;
}

impl Handler<PlaceOrder> for JournalWitness {
    type Result = Result<PlaceOrderAck, GatewayError>;

    fn handle(&mut self, msg: PlaceOrder, _ctx: &mut Context<Self>) -> Self::Result {
        let j = Journal::open_read_only(&self.journal).expect("journal readable while running");
        let cid = msg
            .request
            .client_order_id
            .expect("sent with a client id")
            .to_string();
        let seq = tradewind_actors::orders::ids::seq_of("test", &cid).expect("one of ours");
        let reserved = j
            .id_blocks()
            .unwrap()
            .iter()
            .any(|b| (b.start..b.end).contains(&seq));
        self.seen.lock().unwrap().push((cid, reserved));
        self.stamped.lock().unwrap().push(msg.stamps);
        Err(GatewayError::Expired)
    }
}

#[actix::test]
async fn an_intents_number_is_reserved_in_the_journal_before_it_is_sent_and_its_rows_follow() {
    let sim = common::quiet_sim();
    let (signer, account) = common::ed25519_account(&sim, "prime");
    let dir = TempDir::new("orders-witness");
    let gw = common::gateway(&sim, signer, GatewayConfig::default());
    let metadata = tradewind_actors::metadata::Metadata::new(
        Default::default(),
        tradewind_actors::clock::LiveClock::shared(),
        tradewind_actors::metadata::MetadataPeers::from_gateway(&gw, Vec::new()),
    )
    .unwrap()
    .start();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let stamped = Arc::new(Mutex::new(Vec::new()));
    let witness = JournalWitness {
        journal: dir.journal(),
        seen: seen.clone(),
        stamped: stamped.clone(),
    }
    .start();
    let mut peers = OrdersPeers::from_gateway(&gw, metadata.recipient());
    peers.place = witness.recipient();
    let setup = Setup::default();
    let journal = Journal::open(&dir.journal(), setup.orders.journal_synchronous).unwrap();
    let orders = Orders::new(setup.orders, journal, peers, setup.clock)
        .unwrap()
        .start();
    orders.send(WaitReady).await.unwrap();
    orders_support::no_blackout(&orders).await;

    let ticker = common::ny_market(&sim);
    let r = orders
        .send(gtc(&ticker, BookSide::Bid, 10, 1))
        .await
        .unwrap();
    assert!(
        matches!(
            &r,
            Err(Refusal::NotSent { error, .. }) if **error == GatewayError::Expired
        ),
        "{r:?}"
    );
    let seen = seen.lock().unwrap().clone();
    assert_eq!(
        seen,
        vec![(
            tradewind_actors::orders::ids::client_order_id("test", &ticker, 1)
                .unwrap()
                .to_string(),
            true
        )]
    );
    assert!(orders.send(FlushJournal).await.unwrap());
    let after = Journal::open_read_only(&dir.journal())
        .unwrap()
        .intent_outcomes()
        .unwrap();
    assert_eq!(after[0].state.as_deref(), Some("not_sent"));
    assert!(sim.control().order_log(Some(&account)).is_empty());
    // The placement carried the order manager's stamps, admission no later than recording.
    let stamps = stamped.lock().unwrap()[0];
    let admitted = stamps.get(Stamp::Admitted).expect("admitted stamped");
    let journaled = stamps.get(Stamp::Journaled).expect("journaled stamped");
    assert!(admitted <= journaled, "{stamps:?}");
    assert_eq!(stamps.get(Stamp::FrameReceived), None, "not from a book");
}
