//! The process soak's invariants, read from outside the engine: the simulator's records are
//! the truth, the journal file is what the engine knows (opened read-only, which is safe
//! while the engine runs). While running: no client order id used twice, no order arriving
//! during a blackout window, every order at the exchange known to the journal (the exchange
//! is read first: an intent is journaled before it is sent, so a later read of the journal
//! must hold it). At the end, with the engine stopped: no intent lost (journaled as sent but
//! not at the exchange), none left unresolved, positions equal. The process faults' own
//! failures (an exit we did not cause, a panic not restarted, `/healthz` not recovering) are
//! counted here too.

use std::{
    collections::{BTreeMap, BTreeSet},
    path::Path,
};

use chrono::{DateTime, Utc};
use kalshi::Count;
use kalshi_sim::SimHandle;
use tradewind_actors::orders::{
    journal::{Journal, Loaded},
    state::OrderState,
};

/// Violations found, each kept once by what it concerns.
#[derive(Debug, Default)]
pub struct Violations {
    duplicate_client_ids: BTreeSet<String>,
    orders_during_blackout: BTreeSet<String>,
    unknown_to_journal: BTreeSet<String>,
    intents_lost: BTreeSet<String>,
    unresolved: BTreeSet<String>,
    position_mismatches: BTreeSet<String>,
    /// Exits of the child we did not cause, with their status.
    pub own_exits: Vec<String>,
    /// Panics injected that `/metrics` never showed as a restart.
    pub panics_not_restarted: Vec<String>,
    /// Faults after which `/healthz` did not answer 200 again in time.
    pub healthz_not_recovered: Vec<String>,
    /// The journal could not be read.
    pub journal_unreadable: Vec<String>,
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
            ("orders during blackout", self.orders_during_blackout.len()),
            ("orders unknown to journal", self.unknown_to_journal.len()),
            ("intents lost", self.intents_lost.len()),
            ("orders left unresolved", self.unresolved.len()),
            ("position mismatches", self.position_mismatches.len()),
            ("engine exits not ours", self.own_exits.len()),
            ("panics not restarted", self.panics_not_restarted.len()),
            ("/healthz not recovered", self.healthz_not_recovered.len()),
            ("journal unreadable", self.journal_unreadable.len()),
        ]
    }

    /// What each violation concerns, for the report (at most `per_kind` of each).
    pub fn details(&self, per_kind: usize) -> Vec<String> {
        let sets = [
            ("duplicate client id", &self.duplicate_client_ids),
            ("order during blackout", &self.orders_during_blackout),
            ("order unknown to journal", &self.unknown_to_journal),
            ("intent lost", &self.intents_lost),
            ("unresolved", &self.unresolved),
            ("position mismatch", &self.position_mismatches),
        ];
        let lists = [
            ("engine exit", &self.own_exits),
            ("panic not restarted", &self.panics_not_restarted),
            ("/healthz not recovered", &self.healthz_not_recovered),
            ("journal unreadable", &self.journal_unreadable),
        ];
        let sets = sets
            .into_iter()
            .flat_map(|(k, s)| s.iter().take(per_kind).map(move |x| format!("{k}: {x}")));
        let lists = lists
            .into_iter()
            .flat_map(|(k, s)| s.iter().take(per_kind).map(move |x| format!("{k}: {x}")));
        sets.chain(lists).collect()
    }
}

/// What the checks read.
#[derive(Debug)]
pub struct Truth<'a> {
    /// The simulator, whose records are the truth.
    pub sim: &'a SimHandle,
    /// The engine's account on it.
    pub account: &'a str,
    /// The engine's journal file.
    pub journal: &'a Path,
    /// The blackout windows.
    pub windows: &'a [(DateTime<Utc>, DateTime<Utc>)],
}

/// Checks that hold at every instant.
pub fn running(t: &Truth<'_>, v: &mut Violations) {
    let truth = t.sim.control();
    if truth.stats().duplicate_client_order_ids > 0 {
        v.duplicate_client_ids.insert("simulator counter".into());
    }
    for a in truth.order_log(Some(t.account)) {
        let during = t
            .windows
            .iter()
            .any(|(s, e)| a.arrival_time >= *s && a.arrival_time < *e);
        if during {
            let id = a
                .client_order_id
                .map_or_else(|| "?".into(), |c| c.to_string());
            v.orders_during_blackout.insert(id);
        }
    }
    let mut seen = BTreeSet::new();
    let at_exchange: Vec<String> = truth
        .orders(t.account)
        .into_iter()
        .map(|o| {
            o.client_order_id
                .map_or_else(|| format!("no id: {}", o.order_id), |c| c.to_string())
        })
        .collect();
    for c in &at_exchange {
        if !seen.insert(c.clone()) {
            v.duplicate_client_ids.insert(c.clone());
        }
    }
    let Some(loaded) = load(t.journal, v) else {
        return;
    };
    let known: BTreeSet<&str> = loaded.orders.iter().map(|o| o.key.as_str()).collect();
    for c in at_exchange {
        if !known.contains(c.as_str()) {
            v.unknown_to_journal.insert(c);
        }
    }
}

/// The end, with the engine stopped: the running checks, then intents, resolution and
/// positions against the journal's final state.
pub fn finally(t: &Truth<'_>, v: &mut Violations) {
    running(t, v);
    let Some(loaded) = load(t.journal, v) else {
        return;
    };
    let truth = t.sim.control();
    let at_exchange: BTreeSet<String> = truth
        .orders(t.account)
        .into_iter()
        .filter_map(|o| o.client_order_id.map(|c| c.to_string()))
        .collect();
    for o in &loaded.orders {
        let sent = !matches!(o.state, OrderState::NotSent | OrderState::Rejected);
        if sent && !at_exchange.contains(&o.key) {
            v.intents_lost
                .insert(format!("{} ({})", o.key, o.state.as_str()));
        }
        if matches!(o.state, OrderState::Unknown | OrderState::PendingNew) {
            v.unresolved
                .insert(format!("{} ({})", o.key, o.state.as_str()));
        }
    }
    let exchange: BTreeMap<String, Count> = truth
        .positions(t.account)
        .into_iter()
        .map(|p| (p.ticker.to_string(), p.position_fp))
        .collect();
    let ours: BTreeMap<String, Count> = loaded
        .positions
        .iter()
        .map(|(t, p)| (t.to_string(), p.position))
        .collect();
    for k in exchange.keys().chain(ours.keys()) {
        let a = exchange.get(k).copied().unwrap_or(Count::ZERO);
        let b = ours.get(k).copied().unwrap_or(Count::ZERO);
        if a != b {
            v.position_mismatches
                .insert(format!("{k}: journal {b}, exchange {a}"));
        }
    }
}

/// Every order and position in the journal, or `None` (noted) when it cannot be read.
fn load(path: &Path, v: &mut Violations) -> Option<Loaded> {
    let read = Journal::open_read_only(path).and_then(|j| j.load(DateTime::UNIX_EPOCH));
    match read {
        Ok(l) => Some(l),
        Err(e) => {
            eprintln!("soak: cannot read the journal {}: {e}", path.display());
            v.journal_unreadable.push(e.to_string());
            None
        }
    }
}
