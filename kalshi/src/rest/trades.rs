//! Public trades: `GET /markets/trades` (no auth), every trade on the exchange or one
//! market's, newest first, cursor-paginated. A print names the taker's side both ways: the
//! outcome it bought (`taker_outcome_side`) and its side of the YES book (`taker_book_side`);
//! `taker_side` is the deprecated first of these.
//!
//! Source: kalshi-api.md §3.2; `kalshi/tests/fixtures/kalshi-openapi.json` (`Trade`,
//! `GetTradesResponse`, endpoint `get_trades`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::de::{known_or_none, null_default};
use crate::{
    Count, Price, Ticker,
    types::{BookSide, OutcomeSide},
};

/// One trade. A side this crate does not know reads as `None` (a print is information; an
/// unseen value must not make the page undecodable).
///
/// ```json
/// {"trade_id":"d91bc706-ee49-470d-82d8-11418bda6fed","ticker":"KXHIGHNY-26FEB11-B94.5",
///  "count_fp":"136.00","yes_price_dollars":"0.3600","no_price_dollars":"0.6400",
///  "taker_outcome_side":"no","taker_book_side":"ask","taker_side":"no",
///  "created_time":"2026-02-11T15:00:00.123Z","is_block_trade":false}
/// ```
///
/// Source: OAS `Trade`, <https://docs.kalshi.com/openapi.yaml>.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trade {
    /// Trade id (a UUID); the same id as the two fills it made.
    pub trade_id: String,
    /// The market.
    pub ticker: Ticker,
    /// Contracts traded.
    pub count_fp: Count,
    /// YES price.
    pub yes_price_dollars: Price,
    /// NO price (`1 − yes`).
    pub no_price_dollars: Price,
    /// The outcome the taker bought.
    #[serde(
        default,
        deserialize_with = "known_or_none",
        skip_serializing_if = "Option::is_none"
    )]
    pub taker_outcome_side: Option<OutcomeSide>,
    /// The taker's side of the YES book.
    #[serde(
        default,
        deserialize_with = "known_or_none",
        skip_serializing_if = "Option::is_none"
    )]
    pub taker_book_side: Option<BookSide>,
    /// Deprecated: the taker's outcome side again.
    #[serde(
        default,
        deserialize_with = "known_or_none",
        skip_serializing_if = "Option::is_none"
    )]
    pub taker_side: Option<OutcomeSide>,
    /// When it traded.
    pub created_time: DateTime<Utc>,
    /// A block trade (negotiated off the book).
    #[serde(default)]
    pub is_block_trade: bool,
}

/// `GET /markets/trades` → one page, newest first.
///
/// ```json
/// {"trades":[{"trade_id":"d91bc706-…","ticker":"KXHIGHNY-26FEB11-B94.5",...}],"cursor":"…"}
/// ```
///
/// Source: OAS `GetTradesResponse`, <https://docs.kalshi.com/openapi.yaml>.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GetTradesResponse {
    /// The page.
    #[serde(default, deserialize_with = "null_default")]
    pub trades: Vec<Trade>,
    /// Next page's cursor; empty on the last page.
    #[serde(default, deserialize_with = "null_default")]
    pub cursor: String,
}
