//! The order manager's life: started (subscribed to the blackout clock, reconciled with the
//! exchange before any intent is accepted, positions checked periodically), restarted after a
//! panic — trading halts at once: the ledger and positions are reloaded from the journal,
//! the blackout state is unknown again (so only what reduces risk passes) and it reconciles
//! before it accepts an intent, as at start-up — and its answer to the guardian's heartbeat:
//! ready once reconciled and not halted. A journal it cannot read back or write (a
//! [`JournalFault`] from the writer thread) is told to the guardian, which gives up on the
//! process.

use std::time::Duration;

use actix::{Actor, AsyncContext, Context, Handler, Supervised};
use tracing::error;

use super::{FlushJournal, HoldJournal, Orders, restore::Book, writer::JournalFault};
use crate::{
    blackout::SubscribeBlackout,
    supervision::{ChildEvent, ChildEventKind, Heartbeat, Liveness},
};

impl Actor for Orders {
    type Context = Context<Self>;

    fn started(&mut self, ctx: &mut Context<Self>) {
        for reason in self.journal.attach(ctx.address().recipient()) {
            self.on_journal_fault(reason);
        }
        if let Some(b) = &self.peers.blackout {
            b.do_send(SubscribeBlackout {
                recipient: ctx.address().recipient(),
            });
        }
        self.start_reconciliation(ctx);
        if self.cfg.positions_check_s > 0 {
            ctx.run_interval(
                Duration::from_secs(self.cfg.positions_check_s),
                |act, ctx| {
                    act.periodic(ctx);
                },
            );
        }
    }
}

impl Supervised for Orders {
    fn restarting(&mut self, _ctx: &mut Context<Self>) {
        self.ready = false;
        self.reconciling = false;
        self.checking_positions = false;
        self.pending_resends.clear();
        self.deferred.clear();
        self.blackout = None;
        // Read after everything queued before the panic is committed; the rest of the block
        // of ids is given up (the next intent gets a fresh block).
        let (cfg, now) = (self.cfg.clone(), self.clock.now());
        let loaded = self.journal.call(move |j| Book::load(j, &cfg, now));
        self.ids.burn();
        match loaded {
            Ok(Ok(book)) => {
                self.ledger = book.ledger;
                self.positions = book.positions;
            }
            Ok(Err(e)) => self.journal_failed(format!("reloading after a restart: {e}")),
            Err(e) => self.journal_failed(format!("reloading after a restart: {e}")),
        }
    }
}

impl Orders {
    /// The journal failed: new orders halt, and the guardian is told (it gives up on the
    /// process: nothing done from here on could be recorded).
    pub(super) fn journal_failed(&mut self, reason: String) {
        error!(%reason, "the journal failed");
        self.halted = Some(format!("journal: {reason}"));
        if let Some(s) = &self.peers.supervisor {
            s.do_send(ChildEvent {
                actor: "orders",
                kind: ChildEventKind::JournalFailed { reason },
            });
        }
    }
}

impl Orders {
    /// A batch the writer could not commit: counted, and the journal has failed.
    fn on_journal_fault(&mut self, reason: String) {
        self.counters.journal_errors += 1;
        self.journal_failed(reason);
    }
}

impl Handler<JournalFault> for Orders {
    type Result = ();

    fn handle(&mut self, msg: JournalFault, _ctx: &mut Context<Self>) {
        self.on_journal_fault(msg.reason);
    }
}

impl Handler<FlushJournal> for Orders {
    type Result = bool;

    fn handle(&mut self, _msg: FlushJournal, _ctx: &mut Context<Self>) -> bool {
        self.journal.flush().is_ok()
    }
}

impl Handler<HoldJournal> for Orders {
    type Result = ();

    fn handle(&mut self, msg: HoldJournal, _ctx: &mut Context<Self>) {
        tracing::warn!(held = msg.held, "fault switch: journal commits held");
        if self.journal.hold(msg.held).is_err() {
            self.journal_failed("the writer has stopped".into());
        }
    }
}

impl Handler<Heartbeat> for Orders {
    type Result = Liveness;

    fn handle(&mut self, _msg: Heartbeat, _ctx: &mut Context<Self>) -> Liveness {
        match (&self.halted, self.ready) {
            (Some(why), _) => Liveness::waiting(format!("halted: {why}")),
            (None, false) => Liveness::waiting("reconciliation with the exchange"),
            (None, true) => Liveness::ready(),
        }
    }
}
