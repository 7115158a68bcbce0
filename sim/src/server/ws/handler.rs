//! [`Handler`]: what one WebSocket connection knows and decides, with the socket left to
//! `session.rs` — its account, its [`Subs`], its held reorder delta, and the market-id cache.
//! Every method appends encoded frames to an outbox (`Vec<String>`) that the session then
//! sends in order. This file routes notices; `commands.rs` answers client commands and
//! `merge.rs` the `subscribe` that joins an existing subscription.
//!
//! Routing a notice: find its channel, market and owner ([`frames::route`]); private
//! notices of another account go nowhere; every subscription of the channel that covers the
//! market and whose floor is below the notice's stamp gets one frame. Order-book deltas pass
//! through the sequence faults ([`super::faults`]).

use std::{collections::HashMap, sync::Arc, time::Instant};

use kalshi::ws::{Channel, ErrorResponse, Incoming, WsErrorCode};

use super::{
    faults::{self, Plan, SeqFaults},
    frames::{self, Target},
    subs::Subs,
};
use crate::{
    engine::{AccountIdx, Notice},
    readings::Readings,
    server::state::{Shared, Stamped, lock},
};

/// One connection's state.
#[derive(Debug)]
pub struct Handler {
    pub(super) shared: Arc<Shared>,
    pub(super) account: AccountIdx,
    pub(super) user_id: String,
    pub(super) subs: Subs,
    pub(super) faults: SeqFaults<String>,
    ids: HashMap<String, Arc<str>>,
    scratch: Vec<u64>,
    armed: bool,
}

impl Handler {
    /// A connection of `account` (whose public id is `user_id`) with no subscriptions.
    pub fn new(shared: Arc<Shared>, account: AccountIdx, user_id: String) -> Handler {
        Handler {
            shared,
            account,
            user_id,
            subs: Subs::default(),
            faults: SeqFaults::default(),
            ids: HashMap::new(),
            scratch: Vec::new(),
            armed: false,
        }
    }

    /// The readings in force now (they may change while the connection is open).
    pub(super) fn readings(&self) -> Readings {
        lock(&self.shared.faults).readings
    }

    /// Whether a sequence fault switch may be set: only then does a delta take the faults
    /// lock to claim one.
    pub fn set_armed(&mut self, armed: bool) {
        self.armed = armed;
    }

    /// When a held delta must be released.
    pub fn deadline(&self) -> Option<Instant> {
        self.faults.deadline()
    }

    /// Releases a held delta in order (deadline or end of connection).
    pub fn release_held(&mut self, out: &mut Vec<String>) {
        self.faults.release(None, out);
    }

    /// The UUID of a market, computed once per connection.
    pub(super) fn market_id(&mut self, ticker: &str) -> Arc<str> {
        if let Some(id) = self.ids.get(ticker) {
            return id.clone();
        }
        let id: Arc<str> = frames::market_id(ticker).into();
        self.ids.insert(ticker.to_owned(), id.clone());
        id
    }

    /// Sends one notice to the subscriptions that take it.
    pub fn on_notice(&mut self, n: &Stamped, out: &mut Vec<String>) {
        let key = frames::route(&n.notice);
        if key.owner.is_some_and(|o| o != self.account) {
            return;
        }
        let mut sids = std::mem::take(&mut self.scratch);
        self.subs
            .matching(&key.channel, Some(key.ticker), n.stamp, &mut sids);
        if !sids.is_empty() {
            let market_id = self.market_id(key.ticker);
            let now_ms = match key.channel {
                Channel::Fill | Channel::MarketLifecycleV2 => {
                    self.shared.clock.now().timestamp_millis()
                }
                _ => 0,
            };
            let own = match &n.notice {
                Notice::BookDelta { cause, .. } => {
                    cause.as_ref().is_some_and(|(a, _)| *a == self.account)
                }
                _ => false,
            };
            for &sid in &sids {
                let mut plan = Plan::Send;
                let seq = match key.channel {
                    Channel::OrderbookDelta => {
                        plan = self.plan();
                        if plan == Plan::Skip {
                            self.subs.skip_seq(sid);
                        }
                        self.subs.next_seq(sid)
                    }
                    Channel::MarketLifecycleV2 => self.subs.next_seq(sid),
                    _ => 0,
                };
                let to = Target {
                    sid,
                    seq,
                    market_id: &market_id,
                    user_id: &self.user_id,
                    own,
                    now_ms,
                };
                let text = frames::text(&frames::frame(&n.notice, to));
                if key.channel == Channel::OrderbookDelta {
                    self.faults.emit(sid, plan, text, out, Instant::now());
                } else {
                    out.push(text);
                }
            }
        }
        self.scratch = sids;
    }

    /// The fault for the next delta: claims a unit of a global switch when one is set.
    fn plan(&mut self) -> Plan {
        if !self.armed {
            return Plan::Send;
        }
        let mut f = lock(&self.shared.faults);
        let f = &mut *f;
        let plan = faults::choose(
            &mut f.ws_skip_seq_next,
            &mut f.ws_duplicate_next,
            &mut f.ws_reorder_next,
            self.faults.holding(),
        );
        if f.ws_skip_seq_next == 0 && f.ws_duplicate_next == 0 && f.ws_reorder_next == 0 {
            self.armed = false;
        }
        plan
    }

    /// The client fell `missed` notices behind the broadcast (`RecvError::Lagged`): the
    /// notices it missed are gone, so nothing says which subscriptions they were for. The
    /// safe reading is that every subscription may have lost a message: each gets error 25
    /// (subscription buffer overflow) and is dropped, and the client must resubscribe, which
    /// brings fresh snapshots. (The `error` frame carries no sid, so a client cannot tell them
    /// apart either — it resubscribes everything.)
    pub fn on_lag(&mut self, missed: u64, out: &mut Vec<String>) {
        let sids = self.subs.clear();
        tracing::warn!(
            missed,
            subscriptions = sids.len(),
            "WebSocket client too slow"
        );
        for sid in sids {
            self.faults.forget(sid);
            let err = ErrorResponse::new(None, WsErrorCode::SUBSCRIPTION_BUFFER_OVERFLOW);
            out.push(frames::text(&Incoming::Error(err)));
        }
    }
}
