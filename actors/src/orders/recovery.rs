//! The intent sequence numbers' side of durability (see `durability`): taking the next number
//! from the reserved block, reserving a new block — the one synchronous journal commit left on
//! the order path, once per `id_block` intents — recovering at start-up an order of ours that
//! was sent before a crash and never journaled, and the barrier before intents are accepted.

use kalshi::rest::Order;
use tracing::info;

use super::{Orders, Refusal, bookkeeping::Foreign};

impl Orders {
    /// The next intent sequence number; reserves a new block first when the current one is
    /// used up.
    pub(super) fn take_seq(&mut self) -> Result<u64, Refusal> {
        if let Some(seq) = self.ids.take() {
            return Ok(seq);
        }
        self.reserve_block().map_err(Refusal::Journal)?;
        self.ids
            .take()
            .ok_or_else(|| Refusal::Journal("no sequence number left".into()))
    }

    /// Reserves the next block of sequence numbers and waits until the journal holds it
    /// (committed with the configured `synchronous`); a failure sets the kill switch.
    pub(super) fn reserve_block(&mut self) -> Result<(), String> {
        let block = self.ids.next_block(self.now());
        let res = self
            .journal
            .call(move |j| j.reserve(&block).map_err(|e| e.to_string()));
        match res.map_err(|e| e.to_string()).and_then(|r| r) {
            Ok(()) => {
                self.ids.reserved(&block);
                info!(start = block.start, end = block.end, "reserved intent ids");
                Ok(())
            }
            Err(e) => {
                let reason = format!("cannot reserve intent ids: {e}");
                self.counters.journal_errors += 1;
                self.journal_failed(reason.clone());
                Err(reason)
            }
        }
    }

    /// An order of ours the exchange has and the journal lacks, with its sequence number:
    /// journaled as that intent, in the exchange's state (unless an order of the same client
    /// id was recovered already — then it is settled like any known order).
    pub(super) fn recover(&mut self, o: &Order, seq: u64) {
        let cid = o.client_order_id.as_ref().map(|c| c.as_str());
        if self.ledger.find(&o.order_id, cid).is_some() {
            return self.settle(o);
        }
        self.adopt(Foreign::of(o, Some(seq)));
    }

    /// Before the first intent is accepted: everything start-up reconciliation wrote (orders
    /// recovered among them) is committed, the recovery range is closed, and a fresh block of
    /// ids is reserved above every number reserved before.
    pub(super) fn before_ready(&mut self) {
        self.recovery = None;
        if self.journal.flush().is_err() {
            self.journal_failed("the journal writer has stopped".into());
            return;
        }
        let _ = self.reserve_block(); // a failure has set the kill switch
    }
}
