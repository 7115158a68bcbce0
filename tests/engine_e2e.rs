//! The whole engine — gateway, metadata cache, order manager, feed, blackout clock, strategy —
//! against the simulator with faults on (WebSocket drops, seq gaps, 429 bursts, dropped
//! order responses, a paused market) and a blackout window inside the run. Checked against
//! the simulator's ground truth: no order arrived during the window, every order was priced
//! on a book epoch the feed published as fresh, no client id was used twice, positions equal
//! the simulator's, and orders were placed and filled.

mod common;

use std::{
    collections::{BTreeMap, HashSet},
    sync::Arc,
    time::Duration,
};

use chrono::Utc;
use kalshi::Count;
use kalshi_sim::{
    SimConfig, SimServer,
    server::faults::{DropMode, FaultPatch},
};
use tradewind_actors::{
    blackout::{BlackoutConfig, config::FixedWindowConfig},
    clock::LiveClock,
    feed::{BookConsumer, FeedConfig},
    gateway::GatewayConfig,
    market_data::{BookResynced, BookStale, BookUpdated, FeedEvent},
    metadata::MetadataConfig,
    orders::{GetTrackedOrders, GetTrackedPositions, OrderEvent, OrdersConfig, Reconcile},
    root::{Engine, EngineSpec, Observers},
    strategy::StrategyConfig,
};

const WAIT: Duration = Duration::from_secs(60);

struct TempDir(std::path::PathBuf);

impl TempDir {
    fn new(tag: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!(
            "tradewind-{tag}-{}-{}",
            std::process::id(),
            Utc::now().timestamp_nanos_opt().unwrap_or(0)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn set(sim: &kalshi_sim::SimHandle, patch: FaultPatch) {
    sim.control().set_faults(&patch).unwrap();
}

#[test]
fn the_engine_under_faults_and_a_blackout_keeps_every_invariant() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_test_writer()
        .try_init();
    let dir = TempDir::new("engine-e2e");
    let sim_cfg = SimConfig {
        seed: 11,
        ..SimConfig::default()
    };
    let sim = SimServer::start(sim_cfg).expect("simulator starts");
    let key = kalshi::sign::SigningKey::generate_ed25519().unwrap();
    let (signer, account) = common::account(&sim, key, "prime", "100000.00");

    actix::System::new().block_on(async {
        let (updates, updates_log) = common::probe::probe::<BookUpdated>();
        let (stale, _stale_log) = common::probe::probe::<BookStale>();
        let (resynced, _) = common::probe::probe::<BookResynced>();
        let (order_events, order_log) = common::probe::probe::<OrderEvent>();
        let (feed_events, feed_log) = common::probe::probe::<FeedEvent>();

        // A blackout window inside the run: from 25 s to 33 s after the start. The faults
        // begin at the first fill, well before it (asserted below).
        let t0 = Utc::now();
        let (bo_start, bo_end) = (
            t0 + chrono::Duration::seconds(25),
            t0 + chrono::Duration::seconds(33),
        );
        let blackout = BlackoutConfig {
            recurring: Vec::new(),
            weekly_maintenance: false,
            fixed: vec![FixedWindowConfig {
                name: "test window".into(),
                start: bo_start.to_rfc3339(),
                end: bo_end.to_rfc3339(),
            }],
            ..BlackoutConfig::default()
        };
        let mut strategy = StrategyConfig::default();
        strategy.fair_value.min_edge = 0.02;
        strategy.fair_value.cooldown_ms = 250;
        let orders = OrdersConfig {
            journal_path: dir.0.join("journal.sqlite").display().to_string(),
            ..OrdersConfig::default()
        };
        let spec = EngineSpec {
            rest_url: sim.rest_url(),
            ws_url: sim.ws_url(),
            signer: Arc::clone(&signer),
            forecast_base: format!("{}/_sim/forecast", sim.base_url()),
            clock: LiveClock::shared(),
            gateway: GatewayConfig::default(),
            feed: FeedConfig::default(),
            metadata: MetadataConfig {
                series: [
                    "KXHIGHNY",
                    "KXHIGHCHI",
                    "KXHIGHMIA",
                    "KXHIGHLAX",
                    "KXHIGHAUS",
                    "KXHIGHDEN",
                ]
                .map(String::from)
                .to_vec(),
                ..MetadataConfig::default()
            },
            blackout,
            orders,
            strategy,
            strategy_factory: None,
            supervision: Default::default(),
            observers: Observers {
                books: vec![BookConsumer {
                    updated: updates,
                    stale,
                    resynced,
                }],
                orders: vec![order_events],
                feed: vec![feed_events],
                record: None,
            },
        };
        let engine = Engine::start(spec).await.expect("the engine starts");

        // Trading begins: wait for the first fill.
        order_log
            .wait_until(WAIT, "a first fill", |evs| {
                evs.iter().any(|e| matches!(e, OrderEvent::Filled { .. }))
            })
            .await;

        assert!(
            Utc::now() < bo_start - chrono::Duration::seconds(5),
            "trading started too late to put faults before the blackout window"
        );
        // Faults, all at once and repeated: drops, gaps, 429s, lost responses, a pause.
        let paused = engine
            .orders
            .send(GetTrackedOrders {
                ticker: None,
                open_only: false,
            })
            .await
            .unwrap()
            .first()
            .map(|o| o.spec.ticker.to_string());
        set(
            &sim,
            FaultPatch {
                rest_429_next: Some(5),
                ws_skip_seq_next: Some(2),
                ws_duplicate_next: Some(1),
                reset_after_accept_next: Some(2),
                ws_drop_every_s: Some(4.0),
                ws_drop_mode: Some(DropMode::Close),
                pause_market: paused.clone(),
                ..FaultPatch::default()
            },
        );
        // Through the blackout and a little after it, and until the feed has been dropped
        // at least twice.
        let after = (bo_end - Utc::now()).to_std().unwrap_or_default() + Duration::from_secs(4);
        actix_rt::time::sleep(after).await;
        feed_log
            .wait_until(WAIT, "two feed drops", |evs| {
                evs.iter()
                    .filter(|e| matches!(e, FeedEvent::Disconnected { .. }))
                    .count()
                    >= 2
            })
            .await;
        // The blackout clock did open and close the window.
        let changes = engine
            .blackout
            .send(tradewind_actors::blackout::GetMetrics)
            .await
            .unwrap()
            .counters
            .changes;
        assert!(
            changes >= 3,
            "blackout changes {changes}: open, active, open"
        );
        set(
            &sim,
            FaultPatch {
                clear: true,
                unpause_market: paused,
                ..FaultPatch::default()
            },
        );
        let n = engine.shutdown().await;
        println!("shutdown cancels: {n}");

        // Settle: reconcile with the exchange, then compare with the ground truth.
        engine.orders.send(Reconcile).await.unwrap().unwrap();
        let truth = sim.control();

        // No order arrived during the blackout window.
        let attempts = truth.order_log(Some(&account));
        let during: Vec<_> = attempts
            .iter()
            .filter(|a| a.arrival_time >= bo_start && a.arrival_time < bo_end)
            .collect();
        assert!(during.is_empty(), "orders during the blackout: {during:#?}");

        // No client id twice.
        assert_eq!(truth.stats().duplicate_client_order_ids, 0);
        let mut seen = HashSet::new();
        for o in truth.orders(&account) {
            if let Some(c) = &o.client_order_id {
                assert!(seen.insert(c.to_string()), "client id {c} twice");
            }
        }

        // Every order was priced on an epoch the feed published fresh.
        let fresh: HashSet<(String, u64)> = updates_log
            .all()
            .iter()
            .map(|u| (u.ticker.to_string(), u.epoch))
            .collect();
        let ours = engine
            .orders
            .send(GetTrackedOrders {
                ticker: None,
                open_only: false,
            })
            .await
            .unwrap();
        for o in &ours {
            if let Some(e) = o.book_epoch {
                assert!(
                    fresh.contains(&(o.spec.ticker.to_string(), e)),
                    "order {} priced on epoch {e}, never published fresh",
                    o.key
                );
            }
        }

        // Positions equal the simulator's.
        let sim_pos: BTreeMap<String, Count> = truth
            .positions(&account)
            .into_iter()
            .map(|p| (p.ticker.to_string(), p.position_fp))
            .filter(|(_, p)| *p != Count::ZERO)
            .collect();
        let our_pos: BTreeMap<String, Count> = engine
            .orders
            .send(GetTrackedPositions)
            .await
            .unwrap()
            .into_iter()
            .map(|p| (p.ticker.to_string(), p.position))
            .filter(|(_, p)| *p != Count::ZERO)
            .collect();
        assert_eq!(our_pos, sim_pos, "positions");

        let m = engine.metrics().await;
        let fills = truth.fills(&account).len();
        println!(
            "engine e2e: {} orders ({} on the exchange), {fills} fills, {} attempts, \
             feed reconnects {}, resyncs {}, 429s seen {}, metrics {}",
            ours.len(),
            truth.orders(&account).len(),
            attempts.len(),
            m.feed.as_ref().map_or(0, |f| f.counters.reconnects),
            m.feed.as_ref().map_or(0, |f| f.counters.resyncs),
            m.gateway.as_ref().map_or(0, |g| g.counters.rate_limited),
            serde_json::to_string(&m.strategy).unwrap()
        );
        assert!(!ours.is_empty() && fills > 0, "the engine traded");
    });
}
