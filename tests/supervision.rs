//! The supervision tree against the simulator: a panic injected into each actor (feature
//! `fault-injection`, which tests turn on) is caught, the actor restarted in place within a
//! second, `/healthz`'s reason names it until it is ready again, and the engine trades on; the
//! order manager takes no new risk while it or the blackout clock is down; too many panics of
//! one actor, or a journal that refuses writes, make the engine give up.

mod common;

use std::time::{Duration, Instant};

use kalshi::types::BookSide;
use kalshi_sim::{SimConfig, SimHandle, SimServer, server::faults::FaultPatch};
use tradewind_actors::{
    blackout::BlackoutConfig,
    clock::LiveClock,
    fault_injection::InjectPanic,
    health,
    orders::{GetMetrics, OrderSpec, OrdersConfig, Refusal, Submit},
    root::{Engine, EngineMetrics, EngineSpec, Observers},
    strategy::StrategyConfig,
    supervision::{Escalation, SupervisionConfig},
};

const WAIT: Duration = Duration::from_secs(60);
/// Books stale tolerated by the health check here (a restarted feed resyncs them all).
const STALE_PCT: f64 = 100.0;

struct Rig {
    sim: SimHandle,
    engine: Engine,
    _dir: TempDir,
}

struct TempDir(std::path::PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// An engine trading one series of a lively simulator.
async fn start(tag: &str, supervision: SupervisionConfig) -> Rig {
    let sim = SimServer::start(SimConfig {
        seed: 5,
        ..SimConfig::default()
    })
    .expect("simulator starts");
    let key = kalshi::sign::SigningKey::generate_ed25519().unwrap();
    let (signer, _) = common::account(&sim, key, "prime", "100000.00");
    let dir = std::env::temp_dir().join(format!("tw-sup-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut strategy = StrategyConfig::default();
    strategy.fair_value.min_edge = 0.02;
    strategy.fair_value.cooldown_ms = 250;
    let spec = EngineSpec {
        rest_url: sim.rest_url(),
        ws_url: sim.ws_url(),
        signer,
        forecast_base: format!("{}/_sim/forecast", sim.base_url()),
        clock: LiveClock::shared(),
        gateway: Default::default(),
        feed: Default::default(),
        metadata: tradewind_actors::metadata::MetadataConfig {
            series: vec!["KXHIGHNY".into(), "KXHIGHCHI".into()],
            ..Default::default()
        },
        blackout: BlackoutConfig {
            recurring: Vec::new(),
            weekly_maintenance: false,
            ..BlackoutConfig::default()
        },
        orders: OrdersConfig {
            journal_path: dir.join("journal.sqlite").display().to_string(),
            ..OrdersConfig::default()
        },
        strategy,
        strategy_factory: None,
        supervision,
        observers: Observers::default(),
    };
    let engine = Engine::start(spec).await.expect("the engine starts");
    let rig = Rig {
        sim,
        engine,
        _dir: TempDir(dir),
    };
    rig.until("healthy", |m| health::unhealthy(m, STALE_PCT).is_none())
        .await;
    rig
}

impl Rig {
    /// Polls the metrics until `ok` holds; answers the snapshot that made it hold.
    async fn until(&self, what: &str, ok: impl Fn(&EngineMetrics) -> bool) -> EngineMetrics {
        let deadline = Instant::now() + WAIT;
        loop {
            let m = self.engine.metrics().await;
            if ok(&m) {
                return m;
            }
            assert!(
                Instant::now() < deadline,
                "{what}: {:?}",
                health::unhealthy(&m, STALE_PCT)
            );
            actix_rt::time::sleep(Duration::from_millis(5)).await;
        }
    }

    fn panic(&self, actor: &str) {
        let p = InjectPanic {
            reason: format!("test panic in the {actor}"),
        };
        let e = &self.engine;
        match actor {
            "gateway" => e.gateway.do_send(p),
            "feed" => e.feed.do_send(p),
            "metadata" => e.metadata.do_send(p),
            "blackout" => e.blackout.do_send(p),
            "orders" => e.orders.do_send(p),
            "strategy" => e.strategy.do_send(p),
            other => panic!("no actor {other}"),
        }
    }

    /// Delays every API answer of the simulator by `ms` (None: no delay).
    fn hold_answers(&self, ms: Option<u64>) {
        let patch = FaultPatch {
            latency_ms: Some(ms.unwrap_or(0)),
            ..FaultPatch::default()
        };
        self.sim.control().set_faults(&patch).unwrap();
    }

    /// A small resting bid far from the market, straight to the order manager.
    async fn submit(&self) -> Result<(), Refusal> {
        let ticker = common::ny_market(&self.sim);
        let spec = OrderSpec {
            ticker,
            side: BookSide::Bid,
            price: kalshi::Price::from_cents(1).unwrap(),
            count: kalshi::Count::ONE,
            time_in_force: kalshi::types::TimeInForce::GoodTillCanceled,
            post_only: false,
            reduce_only: false,
        };
        let msg = Submit {
            spec,
            book_epoch: None,
            stamps: Default::default(),
        };
        self.engine.orders.send(msg).await.unwrap().map(|_| ())
    }
}

/// While the order manager or the blackout clock restarts, nothing that adds risk passes.
async fn refuses_while_restarting(rig: &Rig, actor: &str) {
    let refused = rig.submit().await;
    match actor {
        "blackout" => assert!(
            matches!(&refused, Err(Refusal::Blackout(why)) if why.contains("blackout clock is down")),
            "{refused:?}"
        ),
        "orders" => assert!(
            matches!(refused, Err(Refusal::NotReady | Refusal::Blackout(_))),
            "{refused:?}"
        ),
        _ => {}
    }
}

fn restarts(m: &EngineMetrics, actor: &str) -> u64 {
    m.supervision
        .as_ref()
        .and_then(|s| s.restarts.get(actor).copied())
        .unwrap_or(0)
}

/// A panic in `actor`: restarted in place within a second, named by the health check until it
/// is ready, then healthy, answering, and the engine still trades without duplicates.
async fn recovers(actor: &str) -> Rig {
    let supervision = if actor == "blackout" {
        // A restarted blackout clock is ready at the guardian's next heartbeat: space them
        // out so the probe surely arrives before it.
        SupervisionConfig {
            heartbeat_ms: 1_500,
            heartbeat_timeout_ms: 5_000,
            ..SupervisionConfig::default()
        }
    } else {
        SupervisionConfig::default()
    };
    let rig = start(actor, supervision).await;
    let fills_before = rig
        .engine
        .metrics()
        .await
        .strategy
        .map_or(0, |s| s.counters.fills);
    if actor == "orders" {
        // Hold the exchange's answers so the restarted order manager is still reconciling
        // when the probe arrives (on loopback it would otherwise be done within a poll).
        rig.hold_answers(Some(1_500));
    }
    let t0 = Instant::now();
    rig.panic(actor);
    let restarted = rig.until("the restart", |m| restarts(m, actor) == 1).await;
    assert!(t0.elapsed() < Duration::from_secs(1), "{:?}", t0.elapsed());
    let why = health::unhealthy(&restarted, STALE_PCT).expect("unhealthy while restarting");
    assert!(why.contains(actor), "{why}");
    let last = &restarted.supervision.as_ref().unwrap().last_failure[actor];
    assert!(last.contains("test panic"), "{last}");
    refuses_while_restarting(&rig, actor).await;
    rig.hold_answers(None);
    rig.until("healthy again", |m| {
        health::unhealthy(m, STALE_PCT).is_none()
    })
    .await;
    rig.until("trading on", |m| {
        m.strategy
            .as_ref()
            .is_some_and(|s| s.counters.fills > fills_before)
    })
    .await;
    assert_eq!(rig.sim.control().stats().duplicate_client_order_ids, 0);
    rig
}

#[actix::test]
async fn a_panicking_gateway_is_restarted_in_place() {
    recovers("gateway").await;
}

#[actix::test]
async fn a_panicking_feed_is_restarted_in_place() {
    recovers("feed").await;
}

#[actix::test]
async fn a_panicking_metadata_cache_is_restarted_in_place() {
    recovers("metadata").await;
}

#[actix::test]
async fn a_panicking_strategy_is_restarted_in_place() {
    recovers("strategy").await;
}

#[actix::test]
async fn a_panicking_blackout_clock_is_restarted_and_no_new_risk_is_taken_meanwhile() {
    recovers("blackout").await;
}

#[actix::test]
async fn a_panicking_order_manager_reconciles_before_it_accepts_anything() {
    recovers("orders").await;
}

#[actix::test]
async fn an_actor_failing_past_its_restart_intensity_makes_the_engine_give_up() {
    let supervision = SupervisionConfig {
        max_restarts: 2,
        window_s: 60,
        ..SupervisionConfig::default()
    };
    let rig = start("escalate", supervision).await;
    for n in 1..=3 {
        rig.panic("metadata");
        rig.until("the failure counted", |m| restarts(m, "metadata") == n)
            .await;
    }
    let why = rig.engine.escalation.borrow().clone();
    assert!(
        matches!(
            &why,
            Some(Escalation::ActorFailures {
                actor: "metadata",
                failures: 3,
                ..
            })
        ),
        "{why:?}"
    );
    let m = rig.engine.metrics().await;
    let health = health::unhealthy(&m, STALE_PCT).unwrap();
    assert!(health.starts_with("giving up"), "{health}");
}

#[actix::test]
async fn a_journal_that_refuses_writes_makes_the_engine_give_up() {
    let rig = start("journal", SupervisionConfig::default()).await;
    // Another process holds the journal locked for writing past the busy timeout.
    let path = rig._dir.0.join("journal.sqlite");
    let lock = rusqlite::Connection::open(&path).unwrap();
    lock.execute_batch("BEGIN EXCLUSIVE").unwrap();
    // The order goes out at once (its number was reserved before the lock); its rows cannot
    // be written: the journal writer reports it, and the engine gives up.
    let sent = rig.submit().await;
    assert!(sent.is_ok(), "{sent:?}");
    rig.until("the escalation", |m| {
        m.supervision
            .as_ref()
            .is_some_and(|s| s.escalated.is_some())
    })
    .await;
    let why = rig.engine.escalation.borrow().clone();
    assert!(
        matches!(&why, Some(Escalation::JournalUnusable { .. })),
        "{why:?}"
    );
    let metrics = rig.engine.orders.send(GetMetrics).await.unwrap();
    assert!(metrics.counters.journal_errors > 0);
    let refused = rig.submit().await;
    assert!(
        matches!(&refused, Err(Refusal::Halted(why)) if why.contains("journal")),
        "{refused:?}"
    );
    lock.execute_batch("ROLLBACK").unwrap();
}
