//! The order-book channel's data messages, `orderbook_snapshot` and `orderbook_delta`
//! (kalshi-api.md §6.4, <https://docs.kalshi.com/websockets/orderbook-updates>).
//!
//! These are the hot messages, so they borrow their strings from the frame (`Cow<'a, str>`,
//! owned only when the JSON string has escapes) and a delta decodes with no heap allocation
//! at all. [`OrderbookDelta::into_owned`] detaches a message from its frame; the simulator
//! builds `'static` ones directly with `Cow::Owned`.
//!
//! Both sides are bids: YES levels are YES-leg prices and NO levels NO-leg prices (unless the
//! subscription set `use_yes_price`, which Tradewind does not). Levels come ascending, best
//! bid last.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use super::borrow::{opt_cow, outcome_side, own};
use crate::{
    book::{BookError, OrderBook},
    level::PriceLevel,
    num::{Count, Price},
    types::OutcomeSide,
};

/// `orderbook_snapshot`: the full book of one market, sent after subscribing and on
/// `get_snapshot`. A side with no levels is omitted.
/// `{"type":"orderbook_snapshot","sid":2,"seq":2,"msg":{"market_ticker":"FED-23DEC-T3.00",
/// "market_id":"9b0f6b43-...","yes_dollars_fp":[["0.0800","300.00"]],"no_dollars_fp":[["0.5400","20.00"]]}}`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderbookSnapshot<'a> {
    /// The market.
    #[serde(borrow)]
    pub market_ticker: Cow<'a, str>,
    /// The market's UUID.
    #[serde(borrow)]
    pub market_id: Cow<'a, str>,
    /// YES bids, ascending by price.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub yes_dollars_fp: Vec<PriceLevel>,
    /// NO bids (NO-leg prices), ascending by price.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub no_dollars_fp: Vec<PriceLevel>,
}

impl OrderbookSnapshot<'_> {
    /// The same snapshot, detached from the frame.
    pub fn into_owned(self) -> OrderbookSnapshot<'static> {
        OrderbookSnapshot {
            market_ticker: own(self.market_ticker),
            market_id: own(self.market_id),
            yes_dollars_fp: self.yes_dollars_fp,
            no_dollars_fp: self.no_dollars_fp,
        }
    }

    /// Replaces `book`'s content with this snapshot, refusing negative or repeated levels
    /// (the book is unchanged then).
    pub fn apply_to(&self, book: &mut OrderBook) -> Result<(), BookError> {
        book.try_apply_snapshot(&self.yes_dollars_fp, &self.no_dollars_fp)
    }
}

/// `orderbook_delta`: a signed change of the size at one price level (not the new size).
/// `{"type":"orderbook_delta","sid":2,"seq":3,"msg":{"market_ticker":"FED-23DEC-T3.00",
/// "market_id":"9b0f6b43-...","price_dollars":"0.960","delta_fp":"-54.00","side":"yes",
/// "ts":"2022-11-22T20:44:01Z","ts_ms":1669149841000}}`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderbookDelta<'a> {
    /// The market.
    #[serde(borrow)]
    pub market_ticker: Cow<'a, str>,
    /// The market's UUID.
    #[serde(borrow)]
    pub market_id: Cow<'a, str>,
    /// The level's price (NO-leg price on the NO side).
    pub price_dollars: Price,
    /// The signed size change.
    pub delta_fp: Count,
    /// Which side's level changed.
    #[serde(deserialize_with = "outcome_side")]
    pub side: OutcomeSide,
    /// Only when this account's own order caused the change.
    #[serde(
        default,
        borrow,
        deserialize_with = "opt_cow",
        skip_serializing_if = "Option::is_none"
    )]
    pub client_order_id: Option<Cow<'a, str>>,
    /// Only when this account's own order caused the change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subaccount: Option<u32>,
    /// Deprecated RFC 3339 time, kept verbatim.
    #[serde(
        default,
        borrow,
        deserialize_with = "opt_cow",
        skip_serializing_if = "Option::is_none"
    )]
    pub ts: Option<Cow<'a, str>>,
    /// Exchange time in Unix milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ts_ms: Option<i64>,
}

impl OrderbookDelta<'_> {
    /// The same delta, detached from the frame.
    pub fn into_owned(self) -> OrderbookDelta<'static> {
        OrderbookDelta {
            market_ticker: own(self.market_ticker),
            market_id: own(self.market_id),
            price_dollars: self.price_dollars,
            delta_fp: self.delta_fp,
            side: self.side,
            client_order_id: self.client_order_id.map(own),
            subaccount: self.subaccount,
            ts: self.ts.map(own),
            ts_ms: self.ts_ms,
        }
    }

    /// Applies this change to `book`; an integrity error leaves the book unchanged.
    pub fn apply_to(&self, book: &mut OrderBook) -> Result<(), BookError> {
        book.apply_delta(self.side, self.price_dollars, self.delta_fp)
    }
}
