//! The pure order state machine and the ledger of orders it runs on.
//!
//! ```text
//!  PendingNew ──ack──► Resting ──cancel sent──► PendingCancel ──► Canceled
//!     │  │                │  └─────────────fills─────────────────► Executed
//!     │  └─reject──► Rejected                     (fills tracked on Resting and Canceled)
//!     ├─never sent──► NotSent
//!     └─no answer──► Unknown ──reconciliation──► (adopted: the exchange's state)
//!                                            └─► PendingNew (re-sent, same id) | NotSent
//! ```
//!
//! Every input is an [`Event`]; [`Ledger::apply`] returns the [`Change`] it made (or `None`
//! when it changed nothing), which the actor journals. The exchange is the authority: its
//! status ([`Event::Exchange`]) moves an order out of `Unknown`, `NotSent` or `Rejected` too,
//! but a stale `resting` never revives a finished order. Fill counts take the larger of what
//! fills added up to and what the exchange reported, so a fill seen both ways counts once.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use kalshi::{ClientOrderId, Count, OrderId, Price, types::OrderStatus};
use serde::Serialize;

use super::spec::OrderSpec;

/// Where an order is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderState {
    /// Journaled; sent or about to be; no answer yet.
    PendingNew,
    /// On the book (possibly partly filled).
    Resting,
    /// A cancel is on its way.
    PendingCancel,
    /// Completely filled.
    Executed,
    /// Cancelled (by us, the exchange or its time in force), possibly partly filled.
    Canceled,
    /// Refused by the exchange.
    Rejected,
    /// The placement's outcome is unknown (timeout, reset); blocks its market until settled.
    Unknown,
    /// Journaled but never reached the exchange.
    NotSent,
}

impl OrderState {
    /// Every state.
    pub const ALL: [OrderState; 8] = [
        OrderState::PendingNew,
        OrderState::Resting,
        OrderState::PendingCancel,
        OrderState::Executed,
        OrderState::Canceled,
        OrderState::Rejected,
        OrderState::Unknown,
        OrderState::NotSent,
    ];

    /// The name stored in the journal.
    pub fn as_str(self) -> &'static str {
        match self {
            OrderState::PendingNew => "pending_new",
            OrderState::Resting => "resting",
            OrderState::PendingCancel => "pending_cancel",
            OrderState::Executed => "executed",
            OrderState::Canceled => "canceled",
            OrderState::Rejected => "rejected",
            OrderState::Unknown => "unknown",
            OrderState::NotSent => "not_sent",
        }
    }

    /// Reads a journal name.
    pub fn from_name(s: &str) -> Option<OrderState> {
        OrderState::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// No further change is expected.
    pub fn is_terminal(self) -> bool {
        matches!(
            self,
            OrderState::Executed
                | OrderState::Canceled
                | OrderState::Rejected
                | OrderState::NotSent
        )
    }

    /// May rest on the exchange (counts toward open orders and exposure).
    pub fn is_open(self) -> bool {
        !self.is_terminal()
    }
}

/// Where an order came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// One of our intents.
    Intent,
    /// Found on the exchange without a journal entry, adopted and flagged.
    Adopted,
}

/// One order as the order manager knows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrderRecord {
    /// Ledger key: the client order id, or `order:{order_id}` for an order without one.
    pub key: String,
    /// Our client order id (every intent has one).
    pub client_order_id: Option<ClientOrderId>,
    /// The exchange's id, once known.
    pub order_id: Option<OrderId>,
    /// The intent's sequence number.
    pub intent_seq: Option<u64>,
    /// Where it came from.
    pub origin: Origin,
    /// Its terms (price and count change on amend and decrease).
    #[serde(flatten)]
    pub spec: OrderSpec,
    /// Sum of the fills seen for it.
    pub fill_sum: Count,
    /// Filled count the exchange last reported.
    pub reported_filled: Count,
    /// The book epoch the intent was priced on.
    pub book_epoch: Option<u64>,
    /// State.
    pub state: OrderState,
    /// Why it is in that state, when there is something to say.
    pub reason: Option<String>,
    /// When the intent (or the adoption) was recorded.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
    /// A cancel was asked before the exchange id was known: send it once it is.
    pub cancel_requested: bool,
}

impl OrderRecord {
    /// A new intent's order, `PendingNew`, keyed by its client order id `cid` (sequence
    /// number `seq`), priced on a book of `book_epoch`.
    pub fn intent(
        cid: ClientOrderId,
        seq: u64,
        spec: OrderSpec,
        book_epoch: Option<u64>,
        now: DateTime<Utc>,
    ) -> OrderRecord {
        OrderRecord {
            key: cid.to_string(),
            client_order_id: Some(cid),
            order_id: None,
            intent_seq: Some(seq),
            origin: Origin::Intent,
            spec,
            fill_sum: Count::ZERO,
            reported_filled: Count::ZERO,
            book_epoch,
            state: OrderState::PendingNew,
            reason: None,
            created_at: now,
            updated_at: now,
            cancel_requested: false,
        }
    }

    /// Contracts filled.
    pub fn filled(&self) -> Count {
        self.fill_sum.max(self.reported_filled)
    }

    /// Contracts still working: zero once finished.
    pub fn remaining(&self) -> Count {
        if self.state.is_terminal() {
            Count::ZERO
        } else {
            (self.spec.count - self.filled()).max(Count::ZERO)
        }
    }
}

/// How a placement failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// It never reached the exchange.
    NotSent(String),
    /// The exchange refused it.
    Rejected(String),
    /// It may or may not have been placed.
    Unknown(String),
}

/// An input to the state machine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// The create was answered (or adopted after a 409).
    Acked {
        /// Exchange id.
        order_id: OrderId,
        /// Filled at once.
        filled: Count,
        /// Left resting (0 for a finished IOC/FOK).
        remaining: Count,
    },
    /// The placement failed.
    Failed(Failure),
    /// The exchange's view (`user_order` or a `GET`).
    Exchange {
        /// Exchange id.
        order_id: OrderId,
        /// Its status.
        status: OrderStatus,
        /// Filled.
        filled: Count,
        /// Resting.
        remaining: Count,
    },
    /// A fill for this order was booked.
    Filled(Count),
    /// A cancel was sent.
    CancelSent,
    /// The cancel failed; the order is still resting as far as we know.
    CancelFailed(String),
    /// The cancel was answered.
    Canceled,
    /// Price or size changed (amend, decrease): `count` is the new total.
    Amended {
        /// New price.
        price: Price,
        /// New total count (filled + resting).
        count: Count,
    },
    /// Re-sent under the same id after reconciliation found it missing.
    Resent,
    /// Given up on: never reached the exchange.
    GaveUp(String),
    /// The journal had it open but the exchange does not know it.
    Lost(String),
}

/// What one event changed, for the journal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Ledger key.
    pub key: String,
    /// State before.
    pub from: OrderState,
    /// State after.
    pub to: OrderState,
    /// What happened, in words.
    pub detail: String,
}

fn apply_event(o: &mut OrderRecord, ev: &Event) -> Option<String> {
    use OrderState as S;
    match ev {
        Event::Acked {
            order_id,
            filled,
            remaining,
        } => Some(acked(o, order_id, *filled, *remaining)),
        Event::Failed(f) => failed(o, f),
        Event::Exchange {
            order_id,
            status,
            filled,
            remaining,
        } => exchange_says(o, order_id, status, *filled, *remaining),
        Event::Filled(n) => {
            o.fill_sum += *n;
            if !o.state.is_terminal() && o.state != S::Unknown && o.filled() >= o.spec.count {
                o.state = S::Executed;
            }
            Some(format!("filled {n}"))
        }
        Event::CancelSent if o.state == S::Resting => {
            o.state = S::PendingCancel;
            Some("cancel sent".into())
        }
        Event::CancelFailed(why) if o.state == S::PendingCancel => {
            o.state = S::Resting;
            Some(format!("cancel failed: {why}"))
        }
        Event::Canceled if !o.state.is_terminal() => {
            o.state = S::Canceled;
            Some("canceled".into())
        }
        Event::Amended { price, count } if !o.state.is_terminal() => {
            o.spec.price = *price;
            o.spec.count = *count;
            Some(format!("amended to {count} at {price}"))
        }
        Event::Resent if o.state == S::Unknown => {
            o.state = S::PendingNew;
            o.reason = None;
            Some("re-sent under the same client order id".into())
        }
        Event::GaveUp(why) if matches!(o.state, S::PendingNew | S::Unknown) => {
            o.state = S::NotSent;
            o.reason = Some(why.clone());
            Some(why.clone())
        }
        Event::Lost(why) if !o.state.is_terminal() => {
            o.state = S::Canceled;
            o.reason = Some(why.clone());
            Some(why.clone())
        }
        _ => None,
    }
}

/// The create was answered: resting, or finished at once.
fn acked(o: &mut OrderRecord, order_id: &OrderId, filled: Count, remaining: Count) -> String {
    use OrderState as S;
    o.order_id = Some(order_id.clone());
    let detail = format!("acked {order_id} filled {filled} remaining {remaining}");
    if matches!(o.state, S::Executed | S::Canceled) {
        // The feed told us the end already; the answer is older news.
        return detail;
    }
    // The count stays the intent's: an IOC's `remaining` is after its cancel.
    o.reported_filled = o.reported_filled.max(filled);
    o.state = if remaining.is_positive() {
        if o.state == S::PendingCancel {
            S::PendingCancel
        } else {
            S::Resting
        }
    } else if o.filled() >= o.spec.count && o.spec.count.is_positive() {
        S::Executed
    } else {
        S::Canceled
    };
    o.reason = None;
    detail
}

/// The placement failed: only a pending order takes it.
fn failed(o: &mut OrderRecord, f: &Failure) -> Option<String> {
    if o.state != OrderState::PendingNew {
        return None;
    }
    let (state, why) = match f {
        Failure::NotSent(r) => (OrderState::NotSent, r),
        Failure::Rejected(r) => (OrderState::Rejected, r),
        Failure::Unknown(r) => (OrderState::Unknown, r),
    };
    o.state = state;
    o.reason = Some(why.clone());
    Some(why.clone())
}

/// The exchange's view wins, unless it is older than what we know (fewer fills, or resting
/// when we know it ended).
fn exchange_says(
    o: &mut OrderRecord,
    order_id: &OrderId,
    status: &OrderStatus,
    filled: Count,
    remaining: Count,
) -> Option<String> {
    use OrderState as S;
    o.order_id = Some(order_id.clone());
    let stale = filled < o.reported_filled
        || (*status == OrderStatus::Resting && matches!(o.state, S::Executed | S::Canceled));
    if stale {
        return None;
    }
    o.reported_filled = filled;
    if *status == OrderStatus::Resting {
        // Amends and decreases change the total; a finished order keeps its own.
        o.spec.count = filled + remaining;
    } else {
        o.spec.count = o.spec.count.max(filled);
    }
    o.state = match status {
        OrderStatus::Resting if o.state == S::PendingCancel => S::PendingCancel,
        OrderStatus::Resting => S::Resting,
        OrderStatus::Canceled => S::Canceled,
        OrderStatus::Executed => S::Executed,
        OrderStatus::Other(_) => o.state,
    };
    o.reason = None;
    Some(format!(
        "exchange: {status} filled {filled} remaining {remaining}"
    ))
}

/// Every order the manager knows, by key, with an index by exchange id.
#[derive(Debug, Clone, Default)]
pub struct Ledger {
    orders: BTreeMap<String, OrderRecord>,
    by_order_id: HashMap<OrderId, String>,
}

impl Ledger {
    /// Adds (or replaces) an order.
    pub fn insert(&mut self, order: OrderRecord) {
        if let Some(id) = &order.order_id {
            self.by_order_id.insert(id.clone(), order.key.clone());
        }
        self.orders.insert(order.key.clone(), order);
    }

    /// An order by key (its client order id, or `order:{order_id}`).
    pub fn get(&self, key: &str) -> Option<&OrderRecord> {
        self.orders.get(key)
    }

    /// The key of the order with this exchange id.
    pub fn key_of_order_id(&self, order_id: &str) -> Option<&str> {
        self.by_order_id.get(order_id).map(String::as_str)
    }

    /// The key of an order by exchange id, else by client order id.
    pub fn find(&self, order_id: &str, client_order_id: Option<&str>) -> Option<String> {
        self.key_of_order_id(order_id)
            .map(str::to_owned)
            .or_else(|| {
                client_order_id
                    .filter(|c| self.orders.contains_key(*c))
                    .map(str::to_owned)
            })
    }

    /// Applies an event to one order; `None` when the order is unknown or nothing changed.
    pub fn apply(&mut self, key: &str, ev: &Event, now: DateTime<Utc>) -> Option<Change> {
        let o = self.orders.get_mut(key)?;
        let from = o.state;
        let detail = apply_event(o, ev)?;
        o.updated_at = now;
        if let Some(id) = &o.order_id {
            self.by_order_id.insert(id.clone(), key.to_owned());
        }
        Some(Change {
            key: key.to_owned(),
            from,
            to: o.state,
            detail,
        })
    }

    /// Marks (or clears) a cancel asked before the exchange id was known.
    pub fn set_cancel_requested(&mut self, key: &str, requested: bool) {
        if let Some(o) = self.orders.get_mut(key) {
            o.cancel_requested = requested;
        }
    }

    /// Every order, by key.
    pub fn iter(&self) -> impl Iterator<Item = &OrderRecord> {
        self.orders.values()
    }

    /// Orders not finished.
    pub fn open(&self) -> impl Iterator<Item = &OrderRecord> {
        self.orders.values().filter(|o| o.state.is_open())
    }

    /// An `Unknown` order on `ticker`, which blocks new orders there.
    pub fn blocking(&self, ticker: &str) -> Option<&OrderRecord> {
        self.open()
            .find(|o| o.state == OrderState::Unknown && o.spec.ticker.as_str() == ticker)
    }

    /// Orders per state (every state listed).
    pub fn count_by_state(&self) -> BTreeMap<&'static str, usize> {
        let mut out: BTreeMap<&'static str, usize> =
            OrderState::ALL.iter().map(|s| (s.as_str(), 0)).collect();
        for o in self.orders.values() {
            *out.entry(o.state.as_str()).or_default() += 1;
        }
        out
    }

    /// Forgets finished orders last changed before `before` (they stay in the journal).
    pub fn prune(&mut self, before: DateTime<Utc>) {
        let gone: Vec<String> = self
            .orders
            .values()
            .filter(|o| o.state.is_terminal() && o.updated_at < before)
            .map(|o| o.key.clone())
            .collect();
        for k in gone {
            if let Some(o) = self.orders.remove(&k)
                && let Some(id) = o.order_id
            {
                self.by_order_id.remove(&id);
            }
        }
    }

    /// Number of orders held.
    pub fn len(&self) -> usize {
        self.orders.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.orders.is_empty()
    }
}

#[cfg(test)]
#[path = "state_tests.rs"]
mod tests;
