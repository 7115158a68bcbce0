//! The quoter's book keeping (pure): per (market, side), the quote it has — none, one asked
//! for whose key is not known yet, or one the order manager tracks, with its key, state, price
//! and resting size, learned from every order change ([`Slots::observe`]). A fill shrinks the
//! quote; an order that ends frees its side. An open post-only order found for a side that
//! has none (asked for before a pull, or found on the exchange at start-up) is adopted; one
//! for a side that already has another is a stray, to be cancelled.

use std::collections::HashMap;

use chrono::{DateTime, TimeDelta, Utc};
use kalshi::{Count, Price, Ticker, types::BookSide};

use crate::orders::{OrderRecord, OrderState};

/// How long an ask in flight (a placement, an amend, a cancel) holds its side before the
/// quoter stops waiting for its answer.
pub const ANSWER_WAIT: TimeDelta = TimeDelta::seconds(5);

/// A change asked of a quote, not answered yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Busy {
    /// An amend (or decrease) is on its way.
    Amending,
    /// A cancel (of the order, or of its market) is on its way.
    Cancelling,
}

/// A quote the order manager tracks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    /// The order's key (its client order id): the handle for amends and cancels.
    pub key: String,
    /// Its state.
    pub state: OrderState,
    /// Its YES price now.
    pub price: Price,
    /// Contracts still resting.
    pub remaining: Count,
    /// A change asked and not answered yet, since when.
    pub busy: Option<(Busy, DateTime<Utc>)>,
}

impl Quote {
    /// Whether a change asked of it is still awaited at `now`.
    pub fn is_busy(&self, now: DateTime<Utc>) -> bool {
        self.busy.is_some_and(|(_, at)| now - at < ANSWER_WAIT)
    }

    /// Whether a cancel of it is on its way.
    pub fn is_cancelling(&self, now: DateTime<Utc>) -> bool {
        self.busy
            .is_some_and(|(b, at)| b == Busy::Cancelling && now - at < ANSWER_WAIT)
    }
}

/// One side of one market.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Slot {
    /// No quote.
    #[default]
    Empty,
    /// A placement asked for at this time; its key arrives with its first order change.
    Sent(DateTime<Utc>),
    /// A quote the order manager tracks.
    Live(Quote),
}

/// What an order change meant to the quoter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Observed {
    /// Not a quote (not post-only), or an ended order it did not hold.
    Ignored,
    /// Its quote changed (or was adopted).
    Tracked,
    /// Its quote ended: the side is free.
    Ended,
    /// An open quote for a side that holds another: cancel it by this key.
    Stray(String),
}

/// Every quote, by market and side.
#[derive(Debug, Default)]
pub struct Slots {
    slots: HashMap<(Ticker, BookSide), Slot>,
}

impl Slots {
    /// The slot of a side.
    pub fn get(&self, ticker: &Ticker, side: BookSide) -> &Slot {
        const EMPTY: &Slot = &Slot::Empty;
        self.slots.get(&(ticker.clone(), side)).unwrap_or(EMPTY)
    }

    fn slot_mut(&mut self, ticker: &Ticker, side: BookSide) -> &mut Slot {
        self.slots.entry((ticker.clone(), side)).or_default()
    }

    /// A placement was asked for.
    pub fn sent(&mut self, ticker: &Ticker, side: BookSide, now: DateTime<Utc>) {
        *self.slot_mut(ticker, side) = Slot::Sent(now);
    }

    /// A placement was refused: the side is free (unless its order is known after all).
    pub fn place_refused(&mut self, ticker: &Ticker, side: BookSide) {
        let slot = self.slot_mut(ticker, side);
        if matches!(slot, Slot::Sent(_)) {
            *slot = Slot::Empty;
        }
    }

    /// Marks the quote of `key` busy with `what` since `now`.
    pub fn mark(&mut self, key: &str, what: Busy, now: DateTime<Utc>) {
        if let Some(q) = self.quote_mut(key) {
            q.busy = Some((what, now));
        }
    }

    /// An amend of `key` was refused: the quote is as it was.
    pub fn amend_refused(&mut self, key: &str) {
        if let Some(q) = self.quote_mut(key)
            && matches!(q.busy, Some((Busy::Amending, _)))
        {
            q.busy = None;
        }
    }

    fn quote_mut(&mut self, key: &str) -> Option<&mut Quote> {
        self.slots.values_mut().find_map(|s| match s {
            Slot::Live(q) if q.key == key => Some(q),
            _ => None,
        })
    }

    /// Whether any side of `ticker` holds or awaits a quote.
    pub fn any_in(&self, ticker: &Ticker) -> bool {
        [BookSide::Bid, BookSide::Ask]
            .iter()
            .any(|s| *self.get(ticker, *s) != Slot::Empty)
    }

    /// Marks every quote of `ticker` as being cancelled (its market's orders are pulled).
    pub fn pulling(&mut self, ticker: &Ticker, now: DateTime<Utc>) {
        for side in [BookSide::Bid, BookSide::Ask] {
            if let Slot::Live(q) = self.slot_mut(ticker, side) {
                q.busy = Some((Busy::Cancelling, now));
            }
        }
    }

    /// The markets with a quote held or awaited.
    pub fn markets(&self) -> Vec<Ticker> {
        let mut out: Vec<Ticker> = self
            .slots
            .iter()
            .filter(|(_, s)| **s != Slot::Empty)
            .map(|((t, _), _)| t.clone())
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// Frees sides whose placement went unanswered for longer than [`ANSWER_WAIT`].
    pub fn expire(&mut self, now: DateTime<Utc>) {
        for slot in self.slots.values_mut() {
            if matches!(slot, Slot::Sent(at) if now - *at >= ANSWER_WAIT) {
                *slot = Slot::Empty;
            }
        }
    }

    /// Takes in an order change.
    pub fn observe(&mut self, o: &OrderRecord) -> Observed {
        if !o.spec.post_only {
            return Observed::Ignored;
        }
        let slot = self.slot_mut(&o.spec.ticker, o.spec.side);
        let ours = matches!(slot, Slot::Live(q) if q.key == o.key);
        if o.state.is_terminal() {
            if ours {
                *slot = Slot::Empty;
                return Observed::Ended;
            }
            return Observed::Ignored;
        }
        match slot {
            Slot::Live(q) if ours => {
                if matches!(q.busy, Some((Busy::Amending, _))) {
                    q.busy = None;
                }
                q.state = o.state;
                q.price = o.spec.price;
                q.remaining = o.remaining();
                Observed::Tracked
            }
            Slot::Live(_) => Observed::Stray(o.key.clone()),
            Slot::Empty | Slot::Sent(_) => {
                *slot = Slot::Live(Quote {
                    key: o.key.clone(),
                    state: o.state,
                    price: o.spec.price,
                    remaining: o.remaining(),
                    busy: None,
                });
                Observed::Tracked
            }
        }
    }
}
