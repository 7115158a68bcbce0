//! The window between a send and its journal rows. A child process (this test binary, re-run
//! with `TW_CRASH_CHILD` set) runs an order manager whose journal writer is held — as if the
//! disk stalled — sends an order that fills at once and one that rests, and is SIGKILLed
//! while the exchange has both and the journal neither. After a restart, the journal holds
//! both as the intents of their sequence numbers, in the exchange's states, with the
//! position; the next intent gets a number above every one reserved before; and the exchange
//! has exactly one order per client id.

mod common;
mod crash_support;
mod orders_support;

use std::{collections::BTreeMap, sync::Arc};

use crash_support::{Life, env, report};
use kalshi::{Count, Ticker, types::BookSide};
use orders_support::{Maker, Setup, TempDir, gtc, ioc};
use tradewind_actors::orders::{HoldJournal, ids, journal::Journal};

/// The child: start, report, then obey the parent's lines (`HOLD`, `TAKE`, `REST`).
#[test]
#[ignore = "the child process of the window test runs below"]
fn window_child() {
    if std::env::var("TW_CRASH_CHILD").is_err() {
        return;
    }
    actix::System::new().block_on(child());
    std::process::exit(0);
}

async fn child() {
    let signer = Arc::new(
        kalshi::sign::Signer::from_pem_file(env("TW_KEY_ID"), env("TW_KEY_FILE")).unwrap(),
    );
    let ticker = Ticker::new(env("TW_TICKER")).unwrap();
    let dir = TempDir(env("TW_DIR").into());
    let bot =
        orders_support::start_bot_at(&env("TW_SIM_REST"), signer, &dir, Setup::default()).await;
    std::mem::forget(dir); // the parent owns the directory
    report("READY");
    loop {
        let mut line = String::new();
        if std::io::stdin().read_line(&mut line).unwrap() == 0 {
            return;
        }
        let intent = match line.trim() {
            "HOLD" => {
                bot.orders.send(HoldJournal { held: true }).await.unwrap();
                report("HELD");
                continue;
            }
            "TAKE" => ioc(&ticker, BookSide::Bid, 60, 2),
            "REST" => gtc(&ticker, BookSide::Bid, 10, 1),
            _ => return,
        };
        let placed = bot.orders.send(intent).await.unwrap().expect("placed");
        let cid = placed.client_order_id.expect("a client id");
        report(&format!("SENT {cid} {}", placed.state.as_str()));
    }
}

/// `SENT <client id> <state>` → (client id, state).
fn sent(rest: &str) -> (String, String) {
    let (cid, state) = rest.split_once(' ').expect("client id and state");
    (cid.to_owned(), state.to_owned())
}

struct World {
    sim: kalshi_sim::SimHandle,
    account: String,
    ticker: Ticker,
    dir: TempDir,
    vars: Vec<(&'static str, String)>,
}

/// A simulator with asks at 0.60 on one market, an account for the child and its variables.
fn world() -> World {
    let sim = common::quiet_sim();
    let ticker = common::ny_market(&sim);
    let dir = TempDir::new("orders-window");
    let pem = kalshi::sign::generate_ed25519_pem().unwrap();
    let key_file = dir.0.join("key.pem");
    std::fs::write(&key_file, pem.as_bytes()).unwrap();
    let key = kalshi::sign::SigningKey::from_pem(&pem).unwrap();
    let ids = sim
        .control()
        .register_account(&key.public_key_pem().unwrap(), "prime", "10000.00")
        .unwrap();
    actix::System::new().block_on(async {
        Maker::new(&sim).rest(&ticker, BookSide::Ask, 60, 100).await;
    });
    let vars = vec![
        ("TW_SIM_REST", sim.rest_url()),
        ("TW_KEY_ID", ids.api_key_id.clone()),
        ("TW_KEY_FILE", key_file.display().to_string()),
        ("TW_DIR", dir.0.display().to_string()),
        ("TW_TICKER", ticker.to_string()),
    ];
    World {
        sim,
        account: ids.account_id,
        ticker,
        dir,
        vars,
    }
}

/// The exchange's orders of the account by client id; no id twice.
fn by_client_id(w: &World) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for o in w.sim.control().orders(&w.account) {
        let cid = o
            .client_order_id
            .expect("ours carry a client id")
            .to_string();
        let status = o.status.as_str().to_owned();
        assert!(out.insert(cid.clone(), status).is_none(), "{cid} twice");
    }
    assert_eq!(w.sim.control().stats().duplicate_client_order_ids, 0);
    out
}

#[test]
fn an_order_sent_and_never_journaled_is_recovered_with_its_number_after_a_sigkill() {
    let w = world();
    let log = w.dir.0.join("child.log");
    let seq = |cid: &str| ids::seq_of("test", cid).expect("one of ours");

    // First life: journal held, one order fills, one rests; killed with neither journaled.
    let mut life = Life::spawn("window_child", &w.vars, &log);
    life.expect("READY", &log);
    life.say("HOLD");
    life.expect("HELD", &log);
    life.say("TAKE");
    let (taken, state) = sent(&life.expect("SENT", &log));
    assert_eq!(state, "executed");
    life.say("REST");
    let (rested, state) = sent(&life.expect("SENT", &log));
    assert_eq!(state, "resting");
    let truth = by_client_id(&w);
    assert_eq!(truth.get(&taken).map(String::as_str), Some("executed"));
    assert_eq!(truth.get(&rested).map(String::as_str), Some("resting"));
    let j = Journal::open_read_only(&w.dir.journal()).unwrap();
    assert!(j.intent_outcomes().unwrap().is_empty(), "nothing journaled");
    let high_water = j.id_blocks().unwrap().iter().map(|b| b.end).max().unwrap();
    assert!(seq(&rested) < high_water, "sent from a reserved block");
    life.kill();

    // Second life: both recovered with their numbers, in the exchange's states.
    let mut life = Life::spawn("window_child", &w.vars, &log);
    life.expect("READY", &log);
    let j = Journal::open_read_only(&w.dir.journal()).unwrap();
    let journaled: BTreeMap<String, (u64, Option<String>)> = j
        .intent_outcomes()
        .unwrap()
        .into_iter()
        .map(|i| (i.client_order_id, (i.seq, i.state)))
        .collect();
    for (cid, state) in [(&taken, "executed"), (&rested, "resting")] {
        assert_eq!(
            journaled.get(cid.as_str()),
            Some(&(seq(cid), Some(state.to_owned()))),
            "{cid} in {journaled:?}"
        );
    }
    let position: BTreeMap<String, Count> = j
        .positions()
        .unwrap()
        .into_iter()
        .map(|(t, p)| (t.to_string(), p.position))
        .collect();
    assert_eq!(position.get(w.ticker.as_str()), Some(&Count::from_whole(2)));

    // The next intent: a number above every one reserved before the crash; one order per id.
    life.say("REST");
    let (next, _) = sent(&life.expect("SENT", &log));
    assert!(seq(&next) >= high_water, "{next} reuses a reserved number");
    assert_eq!(by_client_id(&w).len(), 3);
    life.say("STOP");
    life.child.wait().unwrap();
}
