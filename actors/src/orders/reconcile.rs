//! Reconciliation, pure: what the journal believes against what the exchange reports, turned
//! into actions and recorded differences. The actor fetches (orders of the markets concerned,
//! every resting order, positions, recent fills), calls these functions, applies the
//! actions, and journals the differences.
//!
//! For each order the journal holds open ([`plan_orders`]):
//! - found on the exchange (by order id, else by client order id, since Kalshi has no lookup
//!   by client id) → settled to the exchange's state; a placement whose answer was lost is
//!   recorded as a difference;
//! - not found, never acknowledged → re-sent under the same client id when younger than the
//!   resend window and nothing forbids sending (a 409 would adopt it anyway), else marked not
//!   sent;
//! - not found although it had an exchange id → marked lost.
//!
//! An order the journal lacks whose client id is this strategy's with a sequence number in the
//! start-up recovery range (reserved, above every journaled intent: sent before a crash, its
//! rows never committed) is recovered as our intent with that number, whatever its status;
//! any other resting order the journal lacks is adopted and flagged. Client ids of this
//! strategy seen on the exchange raise the floor of the next intent sequence number, so a lost
//! journal never reuses one. Positions that still differ after the missing fills were booked are replaced
//! by the exchange's ([`plan_positions`]).

use std::{collections::BTreeMap, fmt, ops::Range};

use chrono::{DateTime, Duration, Utc};
use kalshi::{
    Count, Money, Ticker,
    rest::{MarketPosition, Order},
    types::OrderStatus,
};
use serde::Serialize;

use super::{
    ids,
    state::{Ledger, OrderRecord, OrderState},
};

/// What to do to one order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrderAction {
    /// Ours and on the exchange: take its state.
    Settle {
        /// Ledger key.
        key: String,
        /// The exchange's view.
        order: Box<Order>,
    },
    /// Ours, never placed, still young: send again under the same client id.
    Resend {
        /// Ledger key.
        key: String,
    },
    /// Ours, never placed, still young, but nothing that adds risk may be sent now (a
    /// blackout, or its state unknown): kept as it is, re-sent or given up once that ends.
    Defer {
        /// Ledger key.
        key: String,
    },
    /// Ours, never placed: give up on it (marked not sent).
    GiveUp {
        /// Ledger key.
        key: String,
        /// Why.
        reason: String,
    },
    /// Ours, acknowledged once, unknown to the exchange now.
    Lost {
        /// Ledger key.
        key: String,
    },
    /// Ours by its client id, with a sequence number sent and never journaled (start-up
    /// recovery): journal it as the intent of that number, in the exchange's state.
    Recover {
        /// The order.
        order: Box<Order>,
        /// Its intent sequence number.
        seq: u64,
    },
    /// Resting on the exchange, unknown to the journal: adopt and flag.
    Adopt {
        /// The order.
        order: Box<Order>,
    },
}

/// A difference between the journal and the exchange, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Difference {
    /// What kind: `unacknowledged_placement`, `finished_while_away`, `never_sent`,
    /// `resend_deferred`, `lost_order`, `sent_not_journaled`, `foreign_order`,
    /// `position_mismatch`, `fills_recovered`.
    pub kind: &'static str,
    /// The order key or market.
    pub subject: String,
    /// The details.
    pub detail: String,
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}: {}", self.kind, self.subject, self.detail)
    }
}

/// The actions and differences of one pass over the orders.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    /// Actions, in order.
    pub actions: Vec<OrderAction>,
    /// Differences found.
    pub differences: Vec<Difference>,
    /// The next intent sequence number must be at least this.
    pub next_seq_floor: u64,
}

/// What the order pass needs besides the orders.
#[derive(Debug, Clone)]
pub struct Context<'a> {
    /// Our strategy id (the first part of our client ids).
    pub strategy: &'a str,
    /// Now.
    pub now: DateTime<Utc>,
    /// Intents younger than this may be re-sent.
    pub resend_window: Duration,
    /// Why nothing may be sent, ever again (the kill switch), if so: re-sends are given up.
    pub halted: Option<&'a str>,
    /// Why nothing that adds risk may be sent now (a blackout, or its state unknown), if so:
    /// re-sends wait.
    pub deferred: Option<&'a str>,
    /// Sequence numbers reserved above every journaled intent (start-up after a crash): an
    /// order of ours carrying one is recovered with it.
    pub recover: Option<Range<u64>>,
}

fn difference(kind: &'static str, subject: &str, detail: String) -> Difference {
    Difference {
        kind,
        subject: subject.to_owned(),
        detail,
    }
}

/// Settles `candidates` (journal orders) against `exchange` (the orders listed for their
/// markets, plus every resting order); orders in `ledger` are not adopted again.
pub fn plan_orders(
    ledger: &Ledger,
    candidates: &[&OrderRecord],
    exchange: &[Order],
    cx: &Context<'_>,
) -> Plan {
    let mut plan = Plan::default();
    let by_order_id: BTreeMap<&str, &Order> =
        exchange.iter().map(|o| (o.order_id.as_str(), o)).collect();
    let by_client: BTreeMap<&str, &Order> = exchange
        .iter()
        .filter_map(|o| o.client_order_id.as_ref().map(|c| (c.as_str(), o)))
        .collect();
    for rec in candidates {
        let found = rec
            .order_id
            .as_ref()
            .and_then(|id| by_order_id.get(id.as_str()))
            .or_else(|| {
                rec.client_order_id
                    .as_ref()
                    .and_then(|c| by_client.get(c.as_str()))
            });
        match found {
            Some(o) => plan.found(rec, o),
            None if rec.order_id.is_some() => plan.lost(rec),
            None => plan.never_arrived(rec, cx),
        }
    }
    for o in exchange {
        plan.unknown_to_us(ledger, o, cx);
    }
    plan
}

impl Plan {
    /// A journal order the exchange lists: its view is taken.
    fn found(&mut self, rec: &OrderRecord, o: &Order) {
        if matches!(rec.state, OrderState::PendingNew | OrderState::Unknown) {
            self.differences.push(difference(
                "unacknowledged_placement",
                &rec.key,
                format!(
                    "journal {}, exchange {} as {}",
                    rec.state.as_str(),
                    o.status,
                    o.order_id
                ),
            ));
        } else if o.status != OrderStatus::Resting {
            self.differences.push(difference(
                "finished_while_away",
                &rec.key,
                format!("journal {}, exchange {}", rec.state.as_str(), o.status),
            ));
        }
        self.actions.push(OrderAction::Settle {
            key: rec.key.clone(),
            order: Box::new(o.clone()),
        });
    }

    /// A journal order with an exchange id that the exchange no longer lists.
    fn lost(&mut self, rec: &OrderRecord) {
        self.differences.push(difference(
            "lost_order",
            &rec.key,
            format!(
                "journal {} with an exchange id, exchange does not list it",
                rec.state.as_str()
            ),
        ));
        self.actions.push(OrderAction::Lost {
            key: rec.key.clone(),
        });
    }

    /// A journal order the exchange never saw: re-sent under its id while that is allowed
    /// and young enough, else given up.
    fn never_arrived(&mut self, rec: &OrderRecord, cx: &Context<'_>) {
        let age = cx.now - rec.created_at;
        let why = match cx.halted {
            Some(halted) => Some(format!("not on the exchange; not re-sent: {halted}")),
            None if age > cx.resend_window => Some(format!(
                "not on the exchange; not re-sent: {} s old",
                age.num_seconds()
            )),
            None => None,
        };
        if let (None, Some(wait)) = (&why, cx.deferred) {
            self.differences.push(difference(
                "resend_deferred",
                &rec.key,
                format!("not on the exchange; re-sent once this ends: {wait}"),
            ));
            return self.actions.push(OrderAction::Defer {
                key: rec.key.clone(),
            });
        }
        match why {
            Some(reason) => {
                self.differences
                    .push(difference("never_sent", &rec.key, reason.clone()));
                self.actions.push(OrderAction::GiveUp {
                    key: rec.key.clone(),
                    reason,
                });
            }
            None => self.actions.push(OrderAction::Resend {
                key: rec.key.clone(),
            }),
        }
    }

    /// An exchange order: its sequence number raises the floor for ours; one the ledger
    /// does not have is recovered (ours, sent and not journaled) or, resting, adopted.
    fn unknown_to_us(&mut self, ledger: &Ledger, o: &Order, cx: &Context<'_>) {
        let cid = o.client_order_id.as_ref().map(|c| c.as_str());
        let seq = cid.and_then(|c| ids::seq_of(cx.strategy, c));
        if let Some(seq) = seq {
            self.next_seq_floor = self.next_seq_floor.max(seq + 1);
        }
        if ledger.find(&o.order_id, cid).is_some() {
            return;
        }
        if let Some(seq) = seq.filter(|s| cx.recover.as_ref().is_some_and(|r| r.contains(s))) {
            self.differences.push(difference(
                "sent_not_journaled",
                cid.unwrap_or_default(),
                format!(
                    "intent {seq} on the exchange as {} ({}), not in the journal: recovered",
                    o.order_id, o.status
                ),
            ));
            return self.actions.push(OrderAction::Recover {
                order: Box::new(o.clone()),
                seq,
            });
        }
        if o.status == OrderStatus::Resting {
            self.differences.push(difference(
                "foreign_order",
                o.order_id.as_str(),
                format!(
                    "resting on the exchange, not in the journal (client id {}, {} {} {} at {})",
                    cid.unwrap_or("none"),
                    o.ticker,
                    o.book_side,
                    o.remaining_count_fp,
                    o.yes_price_dollars
                ),
            ));
            self.actions.push(OrderAction::Adopt {
                order: Box::new(o.clone()),
            });
        }
    }
}

/// A market whose position the exchange reports differently.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PositionFix {
    /// Market.
    pub ticker: Ticker,
    /// Ours.
    pub ours: Count,
    /// The exchange's.
    pub theirs: Count,
    /// The exchange's cost basis.
    pub exposure: Money,
}

impl PositionFix {
    /// As a recorded difference.
    pub fn difference(&self) -> Difference {
        difference(
            "position_mismatch",
            self.ticker.as_str(),
            format!("journal {}, exchange {}", self.ours, self.theirs),
        )
    }
}

/// Markets where `ours` and `theirs` (the exchange's positions; a market it omits is flat)
/// differ.
pub fn plan_positions<'a>(
    ours: impl IntoIterator<Item = (&'a Ticker, Count)>,
    theirs: &[MarketPosition],
) -> Vec<PositionFix> {
    let mut all: BTreeMap<Ticker, (Count, Count, Money)> = BTreeMap::new();
    for (t, n) in ours {
        all.entry(t.clone()).or_default().0 = n;
    }
    for p in theirs {
        let e = all.entry(p.ticker.clone()).or_default();
        e.1 = p.position_fp;
        e.2 = p.market_exposure_dollars;
    }
    all.into_iter()
        .filter(|(_, (a, b, _))| a != b)
        .map(|(ticker, (ours, theirs, exposure))| PositionFix {
            ticker,
            ours,
            theirs,
            exposure,
        })
        .collect()
}

#[cfg(test)]
#[path = "reconcile_tests.rs"]
mod tests;
