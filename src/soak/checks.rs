//! The soak's invariants, checked against the simulator's ground truth: while running (client
//! ids, blackout, epochs) and at the end (intents lost, positions, books). Each check reads an
//! [`Inputs`] and adds what it finds to [`Violations`].

use std::{
    collections::{BTreeMap, BTreeSet},
    time::{Duration, Instant},
};

use chrono::{DateTime, Utc};
use kalshi::{Count, Ticker, book::OrderBook};
use kalshi_sim::{SimControl, SimHandle};
use tradewind_actors::{
    feed::GetBook,
    orders::{GetTrackedOrders, GetTrackedPositions, OrderState, Reconcile},
    root::Engine,
};

use super::published::Published;

/// Violations found, each kept once by what it concerns.
#[derive(Debug, Default)]
pub struct Violations {
    duplicate_client_ids: BTreeSet<String>,
    orders_during_blackout: BTreeSet<String>,
    orders_on_stale_books: BTreeSet<String>,
    intents_lost: BTreeSet<String>,
    position_mismatches: BTreeSet<String>,
    book_mismatches: BTreeSet<String>,
    process_restarts: u64,
}

impl Violations {
    /// All of them.
    pub fn total(&self) -> usize {
        self.rows().iter().map(|(_, n)| n).sum()
    }

    /// The report's rows.
    pub fn rows(&self) -> Vec<(&'static str, usize)> {
        vec![
            ("duplicate client ids", self.duplicate_client_ids.len()),
            ("intents lost", self.intents_lost.len()),
            ("orders on stale books", self.orders_on_stale_books.len()),
            ("orders during blackout", self.orders_during_blackout.len()),
            ("book mismatches after resync", self.book_mismatches.len()),
            ("position mismatches", self.position_mismatches.len()),
            ("process restarts", self.process_restarts as usize),
        ]
    }
}

/// What the checks read: the simulator (ground truth), the engine and what it published.
pub struct Inputs<'a> {
    /// The simulator, whose records are the truth.
    pub sim: &'a SimHandle,
    /// The engine's account on it.
    pub account: &'a str,
    /// The engine under test.
    pub engine: &'a Engine,
    /// Book epochs the feed published fresh.
    pub published: &'a Published,
    /// The blackout windows.
    pub windows: &'a [(DateTime<Utc>, DateTime<Utc>)],
}

/// Checks that hold at every instant.
pub async fn running(inputs: &Inputs<'_>, v: &mut Violations) {
    let truth = inputs.sim.control();
    if truth.stats().duplicate_client_order_ids > 0 {
        v.duplicate_client_ids.insert("simulator counter".into());
    }
    let mut seen = BTreeSet::new();
    for o in truth.orders(inputs.account) {
        if let Some(c) = &o.client_order_id
            && !seen.insert(c.to_string())
        {
            v.duplicate_client_ids.insert(c.to_string());
        }
    }
    for a in truth.order_log(Some(inputs.account)) {
        if inputs
            .windows
            .iter()
            .any(|(s, e)| a.arrival_time >= *s && a.arrival_time < *e)
        {
            let id = a
                .client_order_id
                .map_or_else(|| "?".into(), |c| c.to_string());
            v.orders_during_blackout.insert(id);
        }
    }
    let Ok(ours) = inputs
        .engine
        .orders
        .send(GetTrackedOrders {
            ticker: None,
            open_only: false,
        })
        .await
    else {
        return;
    };
    let fresh = inputs
        .published
        .0
        .lock()
        .map(|s| s.clone())
        .unwrap_or_default();
    for o in &ours {
        if let Some(e) = o.book_epoch
            && !fresh.contains(&(o.spec.ticker.to_string(), e))
        {
            v.orders_on_stale_books.insert(o.key.clone());
        }
    }
}

/// The end: after the faults are cleared and the engine has reconciled.
pub async fn finally(inputs: &Inputs<'_>, tickers: &[String], v: &mut Violations) {
    settle(inputs.engine).await;
    let _ = inputs.engine.orders.send(Reconcile).await;
    running(inputs, v).await;
    let truth = inputs.sim.control();
    intents_lost(truth, inputs.account, inputs.engine, v).await;
    positions(truth, inputs.account, inputs.engine, v).await;
    books(truth, inputs.engine, tickers, v).await;
}

/// Lets the feed come back and the order manager settle (at most 60 s).
async fn settle(engine: &Engine) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let m = engine.metrics().await;
        let feed_ok = m
            .feed
            .as_ref()
            .is_some_and(|f| f.connected && f.books_stale == 0);
        let open_unknown = engine
            .orders
            .send(GetTrackedOrders {
                ticker: None,
                open_only: true,
            })
            .await
            .map(|o| {
                o.iter()
                    .any(|r| matches!(r.state, OrderState::Unknown | OrderState::PendingNew))
            })
            .unwrap_or(true);
        if (feed_ok && !open_unknown) || Instant::now() > deadline {
            break;
        }
        actix_rt::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Intents lost: every journaled order is on the exchange, or was not sent / rejected.
async fn intents_lost(truth: &SimControl, account: &str, engine: &Engine, v: &mut Violations) {
    let on_exchange: BTreeSet<String> = truth
        .orders(account)
        .iter()
        .filter_map(|o| o.client_order_id.as_ref().map(|c| c.to_string()))
        .collect();
    if let Ok(ours) = engine
        .orders
        .send(GetTrackedOrders {
            ticker: None,
            open_only: false,
        })
        .await
    {
        for o in ours {
            let on = o
                .client_order_id
                .as_ref()
                .is_some_and(|c| on_exchange.contains(c.as_str()));
            if !on && !matches!(o.state, OrderState::NotSent | OrderState::Rejected) {
                v.intents_lost.insert(format!("{} ({:?})", o.key, o.state));
            }
        }
    }
}

/// Positions equal the simulator's.
async fn positions(truth: &SimControl, account: &str, engine: &Engine, v: &mut Violations) {
    let sim_pos: BTreeMap<String, Count> = truth
        .positions(account)
        .into_iter()
        .map(|p| (p.ticker.to_string(), p.position_fp))
        .collect();
    if let Ok(ours) = engine.orders.send(GetTrackedPositions).await {
        let ours: BTreeMap<String, Count> =
            ours.into_iter().map(|p| (p.ticker, p.position)).collect();
        for t in sim_pos.keys().chain(ours.keys()) {
            let a = sim_pos.get(t).copied().unwrap_or(Count::ZERO);
            let b = ours.get(t).copied().unwrap_or(Count::ZERO);
            if a != b {
                v.position_mismatches
                    .insert(format!("{t}: ours {b}, exchange {a}"));
            }
        }
    }
}

/// Every watched book equals the simulator's (each given 5 s to catch up with the makers).
async fn books(truth: &SimControl, engine: &Engine, tickers: &[String], v: &mut Violations) {
    for t in tickers {
        let Ok(ticker) = Ticker::new(t.as_str()) else {
            continue;
        };
        if !book_matches(truth, engine, t, ticker).await {
            v.book_mismatches.insert(t.clone());
        }
    }
}

/// Whether the feed's book of `t` is fresh and equals the simulator's within 5 s (a book no
/// longer watched — closed — counts as matching).
async fn book_matches(truth: &SimControl, engine: &Engine, t: &str, ticker: Ticker) -> bool {
    let until = Instant::now() + Duration::from_secs(5);
    loop {
        let view = engine
            .feed
            .send(GetBook {
                ticker: ticker.clone(),
            })
            .await
            .ok()
            .flatten();
        let want = truth
            .true_book(t)
            .and_then(|fp| OrderBook::from_snapshot(&fp.yes_dollars, &fp.no_dollars).ok());
        match (view, want) {
            (Some(v), Some(w)) if v.fresh && *v.book == w => return true,
            (None, _) => return true, // not watched (closed)
            _ if Instant::now() > until => return false,
            _ => actix_rt::time::sleep(Duration::from_millis(20)).await,
        }
    }
}
