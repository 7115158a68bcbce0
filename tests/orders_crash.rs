//! Crash safety. A child process (this test binary, re-run with `TW_CRASH_CHILD` set) runs an
//! order manager against a simulator that lives in the parent, and is SIGKILLed at random
//! points of a run of 200 intents — during reconciliation, between a journal commit and its
//! send, with a request on the wire, between an answer and its journal write. After every
//! restart and reconciliation the parent checks, against the simulator's ground truth and the
//! journal read from outside: no two orders share a client id, every journaled intent is on
//! the exchange (in the state the journal says) or marked not sent, and positions — in the
//! order manager and in the journal — equal the simulator's.

mod common;
mod crash_support;
mod orders_support;

use std::{
    collections::{BTreeMap, HashMap},
    time::{Duration, Instant},
};

use crash_support::{Life, Rng, TAG, env};
use kalshi::{Count, Ticker, types::BookSide};
use kalshi_sim::{readings::DuplicateRule, server::faults::FaultPatch};
use orders_support::{Maker, Setup, TempDir, WAIT, gtc, ioc};
use tradewind_actors::orders::{
    Cancel, GetTrackedOrders, GetTrackedPositions, OrderEvent, OrderState, OrdersConfig,
    journal::Journal,
};

const INTENTS: u64 = 200;
const MIN_KILLS: usize = 20;

/// The child: reconcile, report, wait for "GO", then submit intents until the journal holds
/// `INTENTS` (or until killed).
#[test]
#[ignore = "the child process of the crash runs below"]
fn crash_child() {
    if std::env::var("TW_CRASH_CHILD").is_err() {
        return;
    }
    actix::System::new().block_on(child());
    std::process::exit(0);
}

async fn child() {
    let signer = std::sync::Arc::new(
        kalshi::sign::Signer::from_pem_file(env("TW_KEY_ID"), env("TW_KEY_FILE")).unwrap(),
    );
    let tickers: Vec<Ticker> = env("TW_TICKERS")
        .split(',')
        .map(|t| Ticker::new(t).unwrap())
        .collect();
    let dir = TempDir(env("TW_DIR").into());
    let (events, log) = common::probe::probe::<OrderEvent>();
    let mut setup = Setup {
        listeners: vec![events],
        ..Setup::default()
    };
    setup.orders = OrdersConfig {
        max_position_per_market: 1_000_000,
        max_total_exposure_dollars: kalshi::Money::parse("1000000").unwrap(),
        max_open_orders: 100_000,
        max_orders_per_minute: 100_000,
        max_daily_loss_dollars: kalshi::Money::parse("1000000").unwrap(),
        ..setup.orders
    };
    let sim_url = env("TW_SIM_REST");
    let bot = orders_support::start_bot_at(&sim_url, signer, &dir, setup).await;
    std::mem::forget(dir); // the parent owns the directory
    // Let re-sends and re-sent cancels finish, so the journal can be compared with the truth.
    loop {
        // Counted before asking, so an event that lands while the answer is on its way is not
        // waited for again.
        let seen = log.all().len();
        let open = bot
            .orders
            .send(GetTrackedOrders {
                ticker: None,
                open_only: true,
            })
            .await
            .unwrap();
        if open.iter().all(|o| o.state == OrderState::Resting) {
            break;
        }
        let moved = log
            .try_wait_until(WAIT, |evs| evs.len() > seen)
            .await
            .is_some();
        assert!(moved, "orders still settling after {WAIT:?}: {open:#?}");
    }
    let positions: BTreeMap<String, String> = bot
        .orders
        .send(GetTrackedPositions)
        .await
        .unwrap()
        .into_iter()
        .map(|p| (p.ticker, p.position.to_string()))
        .collect();
    println!("{TAG} READY {}", serde_json::to_string(&positions).unwrap());
    let mut line = String::new();
    std::io::stdin().read_line(&mut line).unwrap();
    if line.trim() != "GO" {
        return;
    }
    let mut done = Journal::open_read_only(&bot.journal)
        .unwrap()
        .count("intents")
        .unwrap();
    let mut rng = Rng(env("TW_SEED").parse::<u64>().unwrap() | 1);
    while done < INTENTS {
        let t = &tickers[rng.below(tickers.len() as u64) as usize];
        let n = 1 + rng.below(4) as i64;
        let intent = match rng.below(10) {
            0..=3 => ioc(t, BookSide::Bid, 60, n),
            4..=5 => ioc(t, BookSide::Ask, 40, n),
            6..=8 => gtc(t, BookSide::Bid, 5 + rng.below(20) as u32, n),
            _ => {
                let open = bot
                    .orders
                    .send(GetTrackedOrders {
                        ticker: None,
                        open_only: true,
                    })
                    .await
                    .unwrap();
                if let Some(o) = open.get(rng.below(open.len().max(1) as u64) as usize) {
                    let _ = bot
                        .orders
                        .send(Cancel { key: o.key.clone() })
                        .await
                        .unwrap();
                }
                continue;
            }
        };
        let r = bot.orders.send(intent).await.unwrap();
        done += u64::from(r.is_ok());
        println!("{TAG} SENT {done}");
    }
    println!("{TAG} DONE");
}

/// The invariants, after a restart's reconciliation; answers the number of intents.
fn check(
    sim: &kalshi_sim::SimHandle,
    account: &str,
    journal: &std::path::Path,
    reported: &str,
) -> u64 {
    let truth = sim.control().orders(account);
    let mut by_cid: HashMap<String, &kalshi::rest::Order> = HashMap::new();
    for o in &truth {
        if let Some(c) = &o.client_order_id {
            assert!(
                by_cid.insert(c.to_string(), o).is_none(),
                "two orders with client id {c}"
            );
        }
    }
    assert_eq!(sim.control().stats().duplicate_client_order_ids, 0);
    let j = Journal::open_read_only(journal).unwrap();
    let intents = j.intent_outcomes().unwrap();
    for i in &intents {
        let state = i.state.as_deref().unwrap_or("missing");
        match by_cid.get(&i.client_order_id) {
            None => assert_eq!(
                state, "not_sent",
                "intent {} is not on the exchange",
                i.client_order_id
            ),
            Some(o) => assert_eq!(
                state,
                o.status.as_str(),
                "intent {} journaled {state}, exchange {}",
                i.client_order_id,
                o.status
            ),
        }
    }
    let sim_pos: BTreeMap<String, Count> = sim
        .control()
        .positions(account)
        .into_iter()
        .map(|p| (p.ticker.to_string(), p.position_fp))
        .collect();
    let ours: BTreeMap<String, String> = serde_json::from_str(reported).unwrap();
    let journal_pos: BTreeMap<String, Count> = j
        .positions()
        .unwrap()
        .into_iter()
        .map(|(t, p)| (t.to_string(), p.position))
        .collect();
    for t in sim_pos.keys().chain(ours.keys()).chain(journal_pos.keys()) {
        let want = sim_pos.get(t).copied().unwrap_or(Count::ZERO);
        let got = ours
            .get(t)
            .map_or(Count::ZERO, |s| Count::parse(s).unwrap());
        assert_eq!(got, want, "order manager's position in {t}");
        assert_eq!(
            journal_pos.get(t).copied().unwrap_or(Count::ZERO),
            want,
            "journal's position in {t}"
        );
    }
    intents.len() as u64
}

#[test]
fn a_process_killed_at_random_points_loses_and_duplicates_nothing() {
    killed_at_random_points(DuplicateRule::Ever);
}

#[test]
fn killed_at_random_points_it_places_nothing_twice_where_ended_orders_free_their_ids() {
    killed_at_random_points(DuplicateRule::OpenOnly);
}

/// The crash run against an exchange applying `rule` to reused client order ids.
fn killed_at_random_points(rule: DuplicateRule) {
    let started = Instant::now();
    let sim = common::quiet_sim();
    sim.control()
        .set_faults(&FaultPatch {
            duplicate_client_id: Some(rule),
            ..Default::default()
        })
        .unwrap();
    let tickers = [common::ny_market(&sim), orders_support::other_market(&sim)];
    let dir = TempDir::new("orders-crash");
    let pem = kalshi::sign::generate_ed25519_pem().unwrap();
    let key_file = dir.0.join("key.pem");
    std::fs::write(&key_file, pem.as_bytes()).unwrap();
    let key = kalshi::sign::SigningKey::from_pem(&pem).unwrap();
    let ids = sim
        .control()
        .register_account(&key.public_key_pem().unwrap(), "prime", "10000.00")
        .unwrap();
    // Liquidity the child trades against: asks at 0.60 and bids at 0.40, deep.
    actix::System::new().block_on(async {
        let mut maker = Maker::new(&sim);
        for t in &tickers {
            maker.rest(t, BookSide::Ask, 60, 4000).await;
            maker.rest(t, BookSide::Bid, 40, 4000).await;
        }
    });
    let seed = std::env::var("TW_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
        });
    eprintln!("crash test: seed {seed} (TW_CRASH_SEED={seed} replays it)");
    let mut rng = Rng(seed | 1);
    let log = dir.0.join("child.log");
    let mut vars = vec![
        ("TW_SIM_REST", sim.rest_url()),
        ("TW_KEY_ID", ids.api_key_id.clone()),
        ("TW_KEY_FILE", key_file.display().to_string()),
        ("TW_DIR", dir.0.display().to_string()),
        (
            "TW_TICKERS",
            tickers
                .iter()
                .map(|t| t.to_string())
                .collect::<Vec<_>>()
                .join(","),
        ),
        ("TW_SEED", String::new()),
    ];
    let (mut kills, mut lives, mut intents) = (0usize, 0usize, 0u64);
    loop {
        lives += 1;
        vars[5].1 = rng.next().to_string();
        let mut life = Life::spawn("crash_child", &vars, &log);
        // Now and then, kill it during start-up reconciliation.
        if intents > 0 && rng.below(8) == 0 {
            std::thread::sleep(Duration::from_millis(100 + rng.below(150)));
            life.kill();
            kills += 1;
            continue;
        }
        let ready = life.next(&log).unwrap_or_else(|| {
            panic!(
                "the child ended before reporting (seed {seed}); its log:\n{}",
                std::fs::read_to_string(&log).unwrap_or_default()
            )
        });
        let report = ready
            .strip_prefix("READY ")
            .unwrap_or_else(|| panic!("unexpected line {ready}"));
        intents = check(&sim, &ids.account_id, &dir.journal(), report);
        if intents >= INTENTS {
            life.say("STOP");
            life.child.wait().unwrap();
            break;
        }
        life.say("GO");
        // Let a random number of intents through, then kill at a random instant of the next.
        let target = intents + 1 + rng.below(9);
        let mut finished = false;
        while let Some(line) = life.next(&log) {
            if line == "DONE" {
                finished = true;
                break;
            }
            let n: u64 = line
                .strip_prefix("SENT ")
                .and_then(|n| n.parse().ok())
                .unwrap_or(0);
            if n >= target {
                break;
            }
        }
        if finished {
            life.child.wait().unwrap();
            continue;
        }
        std::thread::sleep(Duration::from_micros(rng.below(8_000)));
        life.kill();
        kills += 1;
    }
    println!(
        "crash test ({rule:?}): seed {seed}, {kills} kills over {lives} lives, {intents} intents, {:.1} s",
        started.elapsed().as_secs_f64()
    );
    assert!(kills >= MIN_KILLS, "only {kills} kill points (seed {seed})");
    assert_eq!(intents, INTENTS);
}
