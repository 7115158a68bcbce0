//! The soak's invariants, checked against the simulator's ground truth: while running (client
//! ids, blackout, epochs) and at the end (intents lost, positions, books).

use std::{
    collections::{BTreeMap, BTreeSet},
    time::{Duration, Instant},
};

use chrono::{DateTime, Utc};
use kalshi::{Count, Ticker, book::OrderBook};
use kalshi_sim::SimHandle;
use tradewind_actors::{
    feed::GetBook,
    orders::{GetTrackedOrders, GetTrackedPositions, OrderState, Reconcile},
    root::Engine,
};

use super::Published;

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

/// Checks that hold at every instant.
pub async fn running(
    sim: &SimHandle,
    account: &str,
    engine: &Engine,
    published: &Published,
    windows: &[(DateTime<Utc>, DateTime<Utc>)],
    v: &mut Violations,
) {
    let truth = sim.control();
    if truth.stats().duplicate_client_order_ids > 0 {
        v.duplicate_client_ids.insert("simulator counter".into());
    }
    let mut seen = BTreeSet::new();
    for o in truth.orders(account) {
        if let Some(c) = &o.client_order_id
            && !seen.insert(c.to_string())
        {
            v.duplicate_client_ids.insert(c.to_string());
        }
    }
    for a in truth.order_log(Some(account)) {
        if windows
            .iter()
            .any(|(s, e)| a.arrival_time >= *s && a.arrival_time < *e)
        {
            let id = a
                .client_order_id
                .map_or_else(|| "?".into(), |c| c.to_string());
            v.orders_during_blackout.insert(id);
        }
    }
    let Ok(ours) = engine
        .orders
        .send(GetTrackedOrders {
            ticker: None,
            open_only: false,
        })
        .await
    else {
        return;
    };
    let fresh = published.0.lock().map(|s| s.clone()).unwrap_or_default();
    for o in &ours {
        if let Some(e) = o.book_epoch
            && !fresh.contains(&(o.spec.ticker.to_string(), e))
        {
            v.orders_on_stale_books.insert(o.key.clone());
        }
    }
}

/// The end: after the faults are cleared and the engine has reconciled.
pub async fn finally(
    sim: &SimHandle,
    account: &str,
    engine: &Engine,
    published: &Published,
    windows: &[(DateTime<Utc>, DateTime<Utc>)],
    tickers: &[String],
    v: &mut Violations,
) {
    // Let the feed come back and the order manager settle.
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
    let _ = engine.orders.send(Reconcile).await;
    running(sim, account, engine, published, windows, v).await;

    // Intents lost: every journaled order is on the exchange, or was not sent / rejected.
    let truth = sim.control();
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

    // Positions equal the simulator's.
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

    // Every watched book equals the simulator's (each given 5 s to catch up with the makers).
    for t in tickers {
        let Ok(ticker) = Ticker::new(t.as_str()) else {
            continue;
        };
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
                (Some(v), Some(w)) if v.fresh && *v.book == w => break,
                (None, _) => break, // not watched (closed)
                _ if Instant::now() > until => {
                    v.book_mismatches.insert(t.clone());
                    break;
                }
                _ => actix_rt::time::sleep(Duration::from_millis(20)).await,
            }
        }
    }
}
