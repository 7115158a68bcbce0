//! What to do with one side of a market (pure): place a quote where there is none, amend a
//! resting one whose target price moved at least `requote_threshold` (or whose target size
//! shrank: a decrease), cancel one whose side must not quote, or hold — never two changes of
//! one quote in flight at once.

use chrono::{DateTime, Utc};
use kalshi::Count;

use super::{
    pricing::Target,
    slots::{Quote, Slot},
};
use crate::orders::OrderState;

/// The step for one side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Nothing to change (or a change is awaited).
    Hold,
    /// Place a quote.
    Place(Target),
    /// Amend the quote of this key to the target (same price, smaller: a decrease).
    Amend(String, Target),
    /// Cancel the quote of this key.
    Cancel(String),
}

/// The step for a side holding `slot` whose target is `target`; `threshold_micros` is
/// `requote_threshold` in price micros.
pub fn step(
    slot: &Slot,
    target: Option<Target>,
    threshold_micros: u32,
    now: DateTime<Utc>,
) -> Step {
    match slot {
        Slot::Empty => target.map_or(Step::Hold, Step::Place),
        Slot::Sent(_) => Step::Hold,
        Slot::Live(q) => live(q, target, threshold_micros, now),
    }
}

fn live(q: &Quote, target: Option<Target>, threshold_micros: u32, now: DateTime<Utc>) -> Step {
    if q.is_busy(now) || q.state != OrderState::Resting {
        return Step::Hold;
    }
    let Some(t) = target else {
        return Step::Cancel(q.key.clone());
    };
    let moved = q.price.micros().abs_diff(t.price.micros());
    if t.price != q.price && moved >= threshold_micros {
        return Step::Amend(q.key.clone(), t);
    }
    if t.count < q.remaining && t.count > Count::ZERO {
        let decrease = Target {
            price: q.price,
            count: t.count,
        };
        return Step::Amend(q.key.clone(), decrease);
    }
    Step::Hold
}
