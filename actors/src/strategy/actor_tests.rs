//! The strategy actor against stand-in peers: it acts only on fresh books, stamps intents
//! with the book's epoch, stays silent on a stale book until a newer epoch arrives, and pulls
//! its quotes when a quoted book goes stale; a strategy that panics is rebuilt from its
//! factory while the actor keeps its address; lifecycle events reach the views (`tradable`,
//! `close_time`).

use std::sync::{
    Arc, Mutex,
    atomic::{AtomicUsize, Ordering},
};

use actix::{Actor, Addr, Context, Handler};
use chrono::{TimeZone, Utc};
use kalshi::{
    Count, Price, Ticker, book::OrderBook, level::PriceLevel, rest::Market, types::BookSide,
};

use super::{
    actor::{StrategyActor, StrategyPeers},
    config::{ForecastSource, StrategyConfig},
    interface::{Intent, MarketView, Strategy, StrategyFactory},
};
use crate::{
    clock::{Clock, FakeClock, LiveClock},
    market_data::{BookStale, BookUpdated, StaleReason},
    metadata::{LookupMarket, MetadataError},
    orders::OrderSpec,
    orders::{Amend, Cancel, CancelAll, OrderState, Placed, Refusal, Submit},
    stamps::{PathStamps, Stamp},
    supervision::{ChildEvent, ChildEventKind, OnStop, supervise},
};

/// What the stand-in order manager was asked.
#[derive(Default)]
struct Asked {
    submits: Vec<Submit>,
    cancels: Vec<CancelAll>,
    order_cancels: Vec<Cancel>,
    amends: Vec<Amend>,
}

/// The stand-in order manager and metadata cache: records what it is asked, accepts every
/// placement and cancel, and refuses every amend (an unknown order).
struct Peer(Arc<Mutex<Asked>>, Market);

impl Actor for Peer {
    type Context = Context<Self>;
}

/// The strategy's peers, all `peer`; positions are seeded by hand.
fn peers(peer: &Addr<Peer>) -> StrategyPeers {
    StrategyPeers {
        submit: peer.clone().recipient(),
        cancel_all: peer.clone().recipient(),
        cancel: peer.clone().recipient(),
        amend: peer.clone().recipient(),
        markets: peer.clone().recipient(),
        positions: None,
        record: None,
    }
}

impl Handler<Cancel> for Peer {
    type Result = Result<OrderState, Refusal>;

    fn handle(&mut self, msg: Cancel, _: &mut Context<Self>) -> Self::Result {
        self.0.lock().unwrap().order_cancels.push(msg);
        Ok(OrderState::PendingCancel)
    }
}

impl Handler<Amend> for Peer {
    type Result = Result<Placed, Refusal>;

    fn handle(&mut self, msg: Amend, _: &mut Context<Self>) -> Self::Result {
        let key = msg.key.clone();
        self.0.lock().unwrap().amends.push(msg);
        Err(Refusal::NoSuchOrder(key))
    }
}

impl Handler<Submit> for Peer {
    type Result = Result<Placed, Refusal>;

    fn handle(&mut self, msg: Submit, _: &mut Context<Self>) -> Self::Result {
        self.0.lock().unwrap().submits.push(msg);
        Ok(Placed {
            key: "k".into(),
            client_order_id: None,
            order_id: None,
            state: OrderState::Resting,
            filled: Count::ZERO,
        })
    }
}

impl Handler<CancelAll> for Peer {
    type Result = usize;

    fn handle(&mut self, msg: CancelAll, _: &mut Context<Self>) -> usize {
        self.0.lock().unwrap().cancels.push(msg);
        0
    }
}

impl Handler<LookupMarket> for Peer {
    type Result = Result<Market, MetadataError>;

    fn handle(&mut self, _: LookupMarket, _: &mut Context<Self>) -> Self::Result {
        Ok(self.1.clone())
    }
}

/// Buys whenever asked about a book with a fair value, and quotes: records nothing itself.
struct Eager;

impl Strategy for Eager {
    fn on_book(&mut self, view: &MarketView) -> Vec<Intent> {
        view.fair
            .map(|_| {
                vec![Intent::Place(super::PlaceIntent {
                    spec: OrderSpec {
                        ticker: view.ticker.clone(),
                        side: BookSide::Bid,
                        price: Price::from_cents(40).unwrap(),
                        count: Count::ONE,
                        time_in_force: kalshi::types::TimeInForce::GoodTillCanceled,
                        post_only: true,
                        reduce_only: false,
                    },
                    book_epoch: view.epoch,
                })]
            })
            .unwrap_or_default()
    }
    fn on_book_stale(&mut self, ticker: &Ticker) -> Vec<Intent> {
        vec![Intent::CancelMarket(ticker.clone())]
    }
    fn on_fill(&mut self, _: &Ticker, _: BookSide, _: Price, _: Count) -> Vec<Intent> {
        Vec::new()
    }
    fn on_order_done(&mut self, _: &Ticker) -> Vec<Intent> {
        Vec::new()
    }
    fn on_timer(&mut self, _: chrono::DateTime<Utc>) -> Vec<Intent> {
        Vec::new()
    }
    fn on_blackout(&mut self, _: bool) -> Vec<Intent> {
        Vec::new()
    }
}

fn market(ticker: &str) -> Market {
    let t0 = Utc.with_ymd_and_hms(2026, 11, 28, 12, 0, 0).unwrap();
    serde_json::from_value(serde_json::json!({
        "ticker": ticker,
        "event_ticker": ticker.rsplit_once('-').unwrap().0,
        "market_type": "binary",
        "created_time": t0, "updated_time": t0, "open_time": t0,
        "close_time": t0 + chrono::Duration::hours(10),
        "latest_expiration_time": t0 + chrono::Duration::days(7),
        "settlement_timer_seconds": 60, "status": "active",
        "notional_value_dollars": "1.0000",
        "yes_bid_dollars": "0.4000", "yes_ask_dollars": "0.4200",
        "no_bid_dollars": "0.5800", "no_ask_dollars": "0.6000",
        "yes_bid_size_fp": "10.00", "yes_ask_size_fp": "10.00",
        "last_price_dollars": "0.4100", "volume_fp": "0.00", "open_interest_fp": "0.00",
        "result": "", "price_level_structure": "linear_cent",
        "price_ranges": [{"start": "0.0000", "end": "1.0000", "step": "0.0100"}]
    }))
    .unwrap()
}

fn update(ticker: &Ticker, epoch: u64) -> BookUpdated {
    let level = |c| PriceLevel {
        price: Price::from_cents(c).unwrap(),
        count: Count::from_whole(10),
    };
    BookUpdated {
        stamps: Default::default(),
        ticker: ticker.clone(),
        epoch,
        seq: 1,
        book: Arc::new(OrderBook::from_snapshot(&[level(40)], &[level(58)]).unwrap()),
        exchange_ts_ms: None,
        received_at: Utc::now(),
    }
}

#[actix_rt::test]
async fn acts_only_on_fresh_books_and_stamps_the_epoch() {
    let ticker = Ticker::new("KXHIGHNY-26NOV28-B50.5").unwrap();
    let dir = std::env::temp_dir().join(format!("tw-strategy-actor-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("forecast.json");
    std::fs::write(
        &file,
        format!(r#"{{"probabilities": {{"{ticker}": 0.7}}}}"#),
    )
    .unwrap();
    let asked = Arc::new(Mutex::new(Asked::default()));
    let peer = Peer(asked.clone(), market(ticker.as_str())).start();
    let mut cfg = StrategyConfig::default();
    cfg.forecast.source = ForecastSource::File;
    cfg.forecast.file = file.display().to_string();
    let clock = Arc::new(FakeClock::new(Utc::now()));
    let actor = StrategyActor::new(
        cfg,
        StrategyFactory::new(|| Eager),
        String::new(),
        peers(&peer),
        clock.clone(),
    )
    .start();
    let metrics = || async { actor.send(super::GetMetrics).await.unwrap() };
    // The feed's stamps, on the same clock: frame received, then applied 1 ms later.
    let frame_ns = clock.monotonic_ns();
    clock.advance(std::time::Duration::from_millis(1));
    let feed_stamps = PathStamps::default()
        .with(Stamp::FrameReceived, frame_ns)
        .with(Stamp::BookApplied, clock.monotonic_ns());
    clock.advance(std::time::Duration::from_millis(1));
    let submits = |asked: &Arc<Mutex<Asked>>| -> Vec<Option<u64>> {
        asked
            .lock()
            .unwrap()
            .submits
            .iter()
            .map(|s| s.book_epoch)
            .collect()
    };

    // The first update fetches the market's metadata; the next one is acted on.
    actor.send(update(&ticker, 1)).await.unwrap();
    assert_eq!(metrics().await.counters.skipped_no_metadata, 1);
    // The lookup answer arrives through the actor's mailbox: wait for it by asking again.
    let mut tries = 0;
    while submits(&asked).is_empty() {
        let mut stamped = update(&ticker, 1);
        stamped.stamps = feed_stamps;
        actor.send(stamped).await.unwrap();
        let _ = peer.send(CancelAll { ticker: None }).await; // a round trip through the peer
        tries += 1;
        assert!(tries < 1000, "the strategy never acted");
    }
    assert!(submits(&asked).iter().all(|e| *e == Some(1)));
    // The intent carries the book's stamps on, with the decision's after them.
    let sent = asked.lock().unwrap().submits[0].stamps;
    let path: Vec<u64> = [Stamp::FrameReceived, Stamp::BookApplied, Stamp::Decided]
        .iter()
        .map(|s| sent.get(*s).expect("stamped"))
        .collect();
    assert!(path.windows(2).all(|w| w[0] < w[1]), "{path:?}");

    // Stale: the strategy is told (it pulls its quotes), and epoch-1 updates are ignored.
    actor
        .send(BookStale {
            ticker: ticker.clone(),
            epoch: 1,
            reason: StaleReason::Gap,
        })
        .await
        .unwrap();
    let _ = peer.send(CancelAll { ticker: None }).await;
    let before = submits(&asked).len();
    actor.send(update(&ticker, 1)).await.unwrap();
    let _ = peer.send(CancelAll { ticker: None }).await; // anything sent has arrived
    assert_eq!(submits(&asked).len(), before, "acted on a stale book");
    assert!(metrics().await.counters.skipped_stale >= 1);
    assert!(
        asked
            .lock()
            .unwrap()
            .cancels
            .iter()
            .any(|c| c.ticker.as_ref() == Some(&ticker)),
        "quotes pulled on BookStale"
    );

    // A newer epoch is fresh again.
    actor.send(update(&ticker, 2)).await.unwrap();
    let _ = peer.send(CancelAll { ticker: None }).await;
    assert_eq!(submits(&asked).last(), Some(&Some(2)));
    let _ = std::fs::remove_dir_all(&dir);
}

/// Panics on its first timer tick when it is the first one built; later builds are calm.
struct Fragile {
    generation: usize,
}

impl Strategy for Fragile {
    fn on_book(&mut self, _: &MarketView) -> Vec<Intent> {
        Vec::new()
    }
    fn on_timer(&mut self, _: chrono::DateTime<Utc>) -> Vec<Intent> {
        assert!(self.generation > 1, "a strategy bug");
        Vec::new()
    }
}

/// Records what the guard tells the guardian; answers it on [`Seen`].
struct Events(Vec<ChildEvent>);

/// What [`Events`] recorded.
#[derive(actix::Message)]
#[rtype(result = "Vec<ChildEvent>")]
struct Seen;

impl Handler<Seen> for Events {
    type Result = actix::MessageResult<Seen>;

    fn handle(&mut self, _: Seen, _: &mut Context<Self>) -> Self::Result {
        actix::MessageResult(self.0.clone())
    }
}

impl Actor for Events {
    type Context = Context<Self>;
}

impl Handler<ChildEvent> for Events {
    type Result = ();

    fn handle(&mut self, msg: ChildEvent, _: &mut Context<Self>) {
        self.0.push(msg);
    }
}

#[actix_rt::test]
async fn a_strategy_that_panics_is_rebuilt_from_its_factory() {
    let builds = Arc::new(AtomicUsize::new(0));
    let counted = builds.clone();
    let factory = StrategyFactory::new(move || Fragile {
        generation: counted.fetch_add(1, Ordering::SeqCst) + 1,
    });
    let mut cfg = StrategyConfig::default();
    cfg.forecast.source = ForecastSource::None;
    cfg.timer_ms = 1;
    let asked = Arc::new(Mutex::new(Asked::default()));
    let peer = Peer(asked.clone(), market("KXHIGHNY-26NOV28-B50.5")).start();
    let probe = Events(Vec::new()).start();
    let peers = peers(&peer);
    let actor = StrategyActor::new(cfg, factory, String::new(), peers, LiveClock::shared());
    let actor = supervise(
        "strategy",
        Context::new(),
        actor,
        OnStop::End,
        probe.clone().recipient(),
    );

    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while builds.load(Ordering::SeqCst) < 2 {
        assert!(std::time::Instant::now() < deadline, "never rebuilt");
        actor.send(super::GetMetrics).await.unwrap();
        actix_rt::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    // The rebuilt strategy runs its timer without panicking: still the second one, and the
    // actor answers at the same address.
    for _ in 0..20 {
        actor.send(super::GetMetrics).await.unwrap();
        actix_rt::time::sleep(std::time::Duration::from_millis(2)).await;
    }
    assert_eq!(builds.load(Ordering::SeqCst), 2);
    // The old strategy's orders were cancelled, every market's, before the new one started.
    let _ = peer
        .send(Cancel {
            key: "probe".into(),
        })
        .await; // a round trip: mail read
    assert!(
        asked
            .lock()
            .unwrap()
            .cancels
            .iter()
            .any(|c| c.ticker.is_none()),
        "no cancel of every order on the restart"
    );
    let seen = probe.send(Seen).await.unwrap();
    assert!(
        seen.iter().any(|e| e.actor == "strategy"
            && matches!(&e.kind, ChildEventKind::Panicked { reason } if reason.contains("a strategy bug"))),
        "{seen:?}"
    );
}

#[path = "cycle_actor_tests.rs"]
mod cycle;

#[path = "intent_actor_tests.rs"]
mod intents;

/// What a view said of its market: tradable, and its close.
type MarketSaid = (bool, chrono::DateTime<Utc>);

/// Records what each view said of its market.
struct Recorder(Arc<Mutex<Vec<MarketSaid>>>);

impl Strategy for Recorder {
    fn on_book(&mut self, view: &MarketView) -> Vec<Intent> {
        self.0
            .lock()
            .unwrap()
            .push((view.tradable, view.close_time));
        Vec::new()
    }
}

#[actix_rt::test]
async fn lifecycle_events_reach_the_view_tradable_and_close_time() {
    use crate::market_data::LifecycleReceived;
    let ticker = Ticker::new("KXHIGHNY-26NOV28-B50.5").unwrap();
    let asked = Arc::new(Mutex::new(Asked::default()));
    let peer = Peer(asked, market(ticker.as_str())).start();
    let mut cfg = StrategyConfig::default();
    cfg.forecast.source = ForecastSource::None;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = seen.clone();
    let actor = StrategyActor::new(
        cfg,
        StrategyFactory::new(move || Recorder(record.clone())),
        String::new(),
        peers(&peer),
        LiveClock::shared(),
    )
    .start();
    // The first updates fetch the metadata; wait for a view.
    let mut tries = 0;
    while seen.lock().unwrap().is_empty() {
        actor.send(update(&ticker, 1)).await.unwrap();
        let _ = peer.send(CancelAll { ticker: None }).await;
        tries += 1;
        assert!(tries < 1000, "no view");
    }
    let close = market(ticker.as_str()).close_time;
    assert_eq!(seen.lock().unwrap().last().copied(), Some((true, close)));
    let event = |json: serde_json::Value| LifecycleReceived {
        event: serde_json::from_value(json).unwrap(),
        received_at: Utc::now(),
    };
    let last = || async {
        actor.send(update(&ticker, 1)).await.unwrap();
        seen.lock().unwrap().last().copied().unwrap()
    };
    let t = ticker.as_str();
    let views = seen.lock().unwrap().len();
    actor
        .send(event(
            serde_json::json!({"event_type": "deactivated", "market_ticker": t}),
        ))
        .await
        .unwrap();
    // Asked again at once with the market's last book, not at its next one.
    assert_eq!(seen.lock().unwrap().len(), views + 1);
    assert_eq!(seen.lock().unwrap().last().copied(), Some((false, close)));
    assert_eq!(last().await, (false, close));
    let moved = close - chrono::Duration::hours(1);
    let ts = moved.timestamp();
    let moved_json =
        serde_json::json!({"event_type": "close_date_updated", "market_ticker": t, "close_ts": ts});
    actor.send(event(moved_json)).await.unwrap();
    actor
        .send(event(
            serde_json::json!({"event_type": "activated", "market_ticker": t}),
        ))
        .await
        .unwrap();
    assert_eq!(last().await, (true, moved));
}
