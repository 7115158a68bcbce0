//! Reconciliations with the exchange — at start-up (before any intent is accepted), for an
//! order whose outcome is unknown, after every feed (re)connection, periodically and on
//! [`Reconcile`]. Each reads a [`fetch::Snapshot`], then applies, in order: the order plan of
//! [`reconcile::plan_orders`], the fills the journal lacks (booked once), and the positions
//! that still differ in both passes (the exchange's count is taken). Every run is journaled
//! with its differences. At start-up the snapshot also lists every order created since the
//! reservation of the ids that may have been sent and not journaled before a crash (see
//! `durability`); before accepting intents the journal is flushed (so whatever was adopted
//! is durable) and a fresh block of ids is reserved.

use std::{collections::BTreeSet, time::Duration};

use actix::{ActorFutureExt, AsyncContext, Context, Handler, ResponseActFuture, WrapFuture};
use chrono::{DateTime, Utc};
use kalshi::{Ticker, rest::Order};
use tracing::{info, warn};

use super::journal::Write;
use super::{
    Orders, Reconcile,
    fetch::{self, OrderQuery, Pass, Snapshot, Sources},
    gate,
    positions::FillRecord,
    reconcile::{self, Difference, OrderAction, PositionFix},
    state::{Event, OrderRecord, OrderState},
};
use crate::gateway::GatewayError;

/// How far before a block's reservation the start-up search lists orders, s: room for the
/// difference between our clock and the exchange's.
const RECOVERY_MARGIN_S: i64 = 300;

/// Which reconciliation; its name is journaled and labels the fills it books.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// Before accepting intents.
    Startup,
    /// After an unknown placement outcome.
    Unknown,
    /// After the feed (re)connected: the gap's fills.
    Gap,
    /// The periodic positions check.
    Periodic,
    /// Asked for with `Reconcile`.
    Manual,
    /// Re-sends a blackout held back, once it is over.
    Deferred,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Startup => "startup",
            Kind::Unknown => "unknown",
            Kind::Gap => "rest_gap",
            Kind::Periodic => "periodic",
            Kind::Manual => "manual",
            Kind::Deferred => "deferred",
        }
    }
}

impl Orders {
    fn sources(&self) -> Sources {
        Sources {
            orders: self.peers.orders.clone(),
            fills: self.peers.fills.clone(),
            positions: self.peers.positions.clone(),
            cutoff: self.peers.cutoff.clone(),
            archived: self.peers.archived.clone(),
        }
    }

    /// Fills are read from this long before the newest one booked (start of today when none).
    fn fills_since(&self) -> i64 {
        let lookback = chrono::Duration::seconds(self.cfg.fill_lookback_s as i64);
        let day_start = self
            .now()
            .date_naive()
            .and_time(chrono::NaiveTime::MIN)
            .and_utc();
        self.positions
            .last_fill_at()
            .map_or(day_start, |t| t - lookback)
            .timestamp()
    }

    /// Markets whose orders a reconciliation of `kind` lists.
    fn markets_for(&self, kind: Kind) -> BTreeSet<Ticker> {
        self.candidates(kind)
            .iter()
            .map(|o| o.spec.ticker.clone())
            .collect()
    }

    /// The journal orders a reconciliation of `kind` settles. Placements still in flight are
    /// left to their answer.
    fn candidates(&self, kind: Kind) -> Vec<&OrderRecord> {
        self.ledger
            .open()
            .filter(|o| match kind {
                Kind::Startup => true,
                Kind::Unknown => o.state == OrderState::Unknown,
                Kind::Gap | Kind::Manual => o.order_id.is_some(),
                Kind::Periodic => false,
                Kind::Deferred => self.deferred.contains(&o.key),
            })
            .collect()
    }

    /// Reads a snapshot for `kind` and applies it; answers the number of differences.
    fn run(&mut self, kind: Kind) -> ResponseActFuture<Self, Result<usize, GatewayError>> {
        let query = OrderQuery {
            tickers: self.markets_for(kind),
            resting: matches!(kind, Kind::Startup | Kind::Manual),
            since: self
                .recovery
                .filter(|_| kind == Kind::Startup)
                .map(|r| r.since.timestamp() - RECOVERY_MARGIN_S),
        };
        let fut = fetch::snapshot(self.sources(), query, self.fills_since());
        Box::pin(fut.into_actor(self).map(move |res, act, ctx| {
            act.counters.reconciliations += 1;
            match res {
                Ok(snap) => Ok(act.apply(kind, snap, ctx)),
                Err(e) => {
                    act.counters.reconciliation_failures += 1;
                    warn!(kind = kind.name(), error = %e, "reconciliation failed");
                    Err(e)
                }
            }
        }))
    }

    /// Applies a snapshot: orders, then fills, then positions; journals the differences.
    fn apply(&mut self, kind: Kind, snap: Snapshot, ctx: &mut Context<Self>) -> usize {
        let mut diffs = self.apply_orders(kind, &snap.orders, ctx);
        let first = self.apply_pass(kind, &snap.first, ctx);
        let second = self.apply_pass(kind, &snap.second, ctx);
        let booked = first.0 + second.0;
        if booked > 0 && kind != Kind::Periodic {
            diffs.push(Difference {
                kind: "fills_recovered",
                subject: kind.name().into(),
                detail: format!("{booked} fills the journal lacked were booked from REST"),
            });
        }
        for fix in second.1.iter().filter(|f| first.1.contains(f)) {
            let old = self.positions.adopt(&fix.ticker, fix.theirs, fix.exposure);
            warn!(ticker = %fix.ticker, ours = %old.position, theirs = %fix.theirs, "position differs from the exchange's; taking the exchange's");
            if let Some(p) = self.positions.get(&fix.ticker).cloned() {
                self.commit(&[Write::Position(&fix.ticker, &p)]);
            }
            diffs.push(fix.difference());
        }
        self.counters.differ(&diffs);
        if !diffs.is_empty() || kind != Kind::Periodic {
            self.commit(&[Write::Reconciliation(kind.name(), &diffs)]);
        }
        if !diffs.is_empty() {
            info!(
                kind = kind.name(),
                differences = diffs.len(),
                "reconciled with differences"
            );
        }
        diffs.len()
    }

    /// Books a pass's new fills; answers how many and the positions that differ after them.
    fn apply_pass(
        &mut self,
        kind: Kind,
        pass: &Pass,
        ctx: &mut Context<Self>,
    ) -> (usize, Vec<PositionFix>) {
        let now = self.now();
        let mut booked = 0;
        for f in &pass.fills {
            let fill = FillRecord::from_rest(f, now);
            if !self.positions.is_seen(&fill) && self.book_fill(&fill, kind.name(), ctx) {
                booked += 1;
            }
        }
        let ours: Vec<(Ticker, kalshi::Count)> = self
            .positions
            .iter()
            .map(|(t, p)| (t.clone(), p.position))
            .collect();
        let fixes = reconcile::plan_positions(ours.iter().map(|(t, n)| (t, *n)), &pass.positions);
        (booked, fixes)
    }

    /// Settles the candidates of `kind` against the exchange's orders.
    fn apply_orders(
        &mut self,
        kind: Kind,
        orders: &[Order],
        ctx: &mut Context<Self>,
    ) -> Vec<Difference> {
        if kind == Kind::Periodic {
            return Vec::new();
        }
        let halted = self.halted.as_ref().map(|h| format!("halted: {h}"));
        let deferred = self.blackout_block();
        let cx = reconcile::Context {
            strategy: &self.cfg.strategy_id,
            now: self.now(),
            resend_window: chrono::Duration::milliseconds(self.cfg.resend_window_ms as i64),
            halted: halted.as_deref(),
            deferred: deferred.as_deref(),
            recover: self
                .recovery
                .filter(|_| kind == Kind::Startup)
                .map(|r| r.from..r.below),
        };
        let candidates = self.candidates(kind);
        let plan = reconcile::plan_orders(&self.ledger, &candidates, orders, &cx);
        self.ids.raise(plan.next_seq_floor);
        for action in plan.actions {
            match action {
                OrderAction::Settle { order, .. } | OrderAction::Adopt { order } => {
                    self.settle(&order)
                }
                OrderAction::Recover { order, seq } => self.recover(&order, seq),
                OrderAction::GiveUp { key, reason } => {
                    self.deferred.remove(&key);
                    self.change(&key, &Event::GaveUp(reason));
                }
                OrderAction::Defer { key } => {
                    self.deferred.insert(key);
                }
                OrderAction::Lost { key } => {
                    self.change(&key, &Event::Lost("the exchange does not list it".into()));
                }
                // At start-up, re-sends go out after this pass, and another pass follows them.
                OrderAction::Resend { key } if kind == Kind::Startup => {
                    self.pending_resends.push(key)
                }
                OrderAction::Resend { key } => {
                    self.deferred.remove(&key);
                    ctx.spawn(self.resend(&key));
                }
            }
        }
        plan.differences
    }

    /// What admission checks an order against: `blackout` is [`Self::blackout_block`]'s
    /// answer, `orders_last_minute` the orders sent in the last 60 s.
    pub(super) fn open_state<'a>(
        &'a self,
        blackout: Option<&'a str>,
        orders_last_minute: usize,
    ) -> super::admission::OpenState<'a> {
        super::admission::OpenState {
            ledger: &self.ledger,
            positions: &self.positions,
            limits: &self.limits,
            blackout,
            orders_last_minute,
            now: self.now(),
        }
    }

    /// Why nothing that adds risk may be sent now (blackouts, fail closed), if so.
    pub(super) fn blackout_block(&self) -> Option<String> {
        gate::blackout_block(
            self.blackout.as_ref(),
            self.not_ready.contains("blackout"),
            self.now(),
        )
    }

    /// Re-sends deferred by a blackout (or its unknown state): once nothing blocks them, a
    /// reconciliation of just those re-sends what is still young and gives up the rest.
    pub(super) fn resume_deferred(&mut self, ctx: &mut Context<Self>) {
        if self.deferred.is_empty() || self.blackout_block().is_some() || !self.ready {
            return;
        }
        info!(
            orders = self.deferred.len(),
            "re-sending what a blackout held back"
        );
        ctx.spawn(self.run(Kind::Deferred).map(|_, _, _| ()));
    }

    /// Start-up: reconcile; re-send what is young and reconcile again once every re-send is
    /// answered (so the fills of a re-sent order are booked before anything reads positions);
    /// then accept intents and re-send the cancels a restart interrupted. Retries until it
    /// succeeds.
    pub(super) fn start_reconciliation(&mut self, ctx: &mut Context<Self>) {
        if self.reconciling {
            return;
        }
        self.reconciling = true;
        let fut = self.run(Kind::Startup).map(|res, act, ctx| {
            if res.is_err() {
                act.reconciling = false;
                act.pending_resends.clear();
                let retry = Duration::from_millis(act.cfg.reconcile_retry_ms);
                ctx.run_later(retry, |act, ctx| act.start_reconciliation(ctx));
                return;
            }
            let mut resends = std::mem::take(&mut act.pending_resends);
            if !resends.is_empty() {
                resends.reverse();
                act.resend_at_startup(resends, ctx);
                return;
            }
            act.reconciling = false;
            act.before_ready();
            act.ready = true;
            info!(
                open = act.ledger.open().count(),
                next_seq = act.ids.peek(),
                "reconciled; accepting intents"
            );
            for tx in std::mem::take(&mut act.ready_waiters) {
                let _ = tx.send(());
            }
            act.resume_cancels(ctx);
        });
        ctx.spawn(fut);
    }

    /// Re-sends `keys` (last first), one after the other, then reconciles again: the pass
    /// settles what the answers left unknown and books the fills of the re-sent orders.
    fn resend_at_startup(&mut self, mut keys: Vec<String>, ctx: &mut Context<Self>) {
        let Some(key) = keys.pop() else {
            self.reconciling = false;
            self.start_reconciliation(ctx);
            return;
        };
        let fut = self
            .resend(&key)
            .map(move |(), act, ctx| act.resend_at_startup(keys, ctx));
        ctx.spawn(fut);
    }

    /// Cancels recorded before a restart: sent again.
    fn resume_cancels(&mut self, ctx: &mut Context<Self>) {
        let keys: Vec<(String, OrderState)> = self
            .ledger
            .open()
            .filter(|o| o.state == OrderState::PendingCancel || o.cancel_requested)
            .map(|o| (o.key.clone(), o.state))
            .collect();
        for (key, state) in keys {
            if state == OrderState::PendingCancel {
                self.change(
                    &key,
                    &Event::CancelFailed("interrupted by a restart".into()),
                );
            }
            if self
                .ledger
                .get(&key)
                .is_some_and(|o| o.state == OrderState::Resting)
            {
                self.send_cancel(&key, ctx);
            }
        }
    }

    /// Settles the unknown orders of `ticker` (retried until it succeeds).
    pub(super) fn settle_unknown(&mut self, ticker: Ticker, ctx: &mut Context<Self>) {
        if self.ledger.blocking(&ticker).is_none() {
            return;
        }
        let fut = self.run(Kind::Unknown).map(move |res, act, ctx| {
            if res.is_err() || act.ledger.blocking(&ticker).is_some() {
                let again = Duration::from_millis(act.cfg.unknown_recheck_ms.max(100) * 2);
                ctx.run_later(again, move |act, ctx| act.settle_unknown(ticker, ctx));
            }
        });
        ctx.spawn(fut);
    }

    /// After a feed (re)connection: the gap's fills, our orders' states, positions.
    pub(super) fn recover_gap(&mut self, ctx: &mut Context<Self>) {
        if !self.ready {
            return; // start-up reconciliation covers it
        }
        ctx.spawn(self.run(Kind::Gap).map(|_, _, _| ()));
    }

    /// The periodic positions check; also forgets old finished orders.
    pub(super) fn periodic(&mut self, ctx: &mut Context<Self>) {
        let horizon: DateTime<Utc> =
            self.now() - chrono::Duration::days(i64::from(self.cfg.history_days));
        self.ledger.prune(horizon);
        if !self.ready || self.checking_positions {
            return;
        }
        self.checking_positions = true;
        ctx.spawn(
            self.run(Kind::Periodic)
                .map(|_, act, _| act.checking_positions = false),
        );
    }
}

impl Handler<Reconcile> for Orders {
    type Result = ResponseActFuture<Self, Result<usize, String>>;

    fn handle(&mut self, _msg: Reconcile, _ctx: &mut Context<Self>) -> Self::Result {
        Box::pin(
            self.run(Kind::Manual)
                .map(|res, _, _| res.map_err(|e| e.to_string())),
        )
    }
}
