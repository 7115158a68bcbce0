//! The line protocol between the engine and an external strategy process, pure: one JSON
//! object per line, each with a `type` tag. [`ToProcess`] is what the engine writes to the
//! process's stdin (every line also carries `seq`, the engine's message number for this run
//! of the process); [`FromProcess`] is what the process writes to its stdout, parsed and
//! validated by [`parse_line`] into a value or a reason it was refused.
//!
//! Prices and counts travel as exact decimal strings, as Kalshi's `_dollars` and `_fp` fields
//! do (`"0.4500"`, `"1.00"`); a JSON number in their place is refused. Only the fair
//! probability (`fair`) is a float. The full description, with an example of every message,
//! is `docs/external-strategy.md`.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use kalshi::{
    Count, Price, Ticker,
    level::PriceLevel,
    num::PriceRanges,
    types::{BookSide, TimeInForce},
};
use serde::{Deserialize, Serialize};

use super::super::interface::{AmendIntent, Intent, PlaceIntent};
use crate::orders::{OrderRecord, OrderSpec};

/// The protocol's version, sent in `hello`.
pub const PROTOCOL_VERSION: u32 = 1;

/// A message from the engine to the process.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ToProcess {
    /// The first line of every run of the process.
    Hello {
        /// [`PROTOCOL_VERSION`].
        protocol: u32,
        /// How many times the process was restarted before this run.
        restarts: u64,
        /// `[strategy.external] params`.
        config: BTreeMap<String, serde_json::Value>,
        /// How old a `place`'s `reply_to` may be, ms.
        answer_timeout_ms: u64,
        /// How long a `tick` may go without its `pong`, ms.
        unresponsive_ms: u64,
        /// Whether a blackout is active now (later changes come as `blackout`).
        blackout: bool,
    },
    /// A market's price grid: before its first book in this run of the process.
    Market {
        /// The market.
        ticker: Ticker,
        /// Valid prices: `[{start, end, step}]`.
        price_ranges: PriceRanges,
    },
    /// A market's book: the latest state (books are conflated, never a backlog).
    Book(BookMessage),
    /// The market's book went stale: orders priced on it are dropped until a newer epoch.
    BookStale {
        /// The market.
        ticker: Ticker,
    },
    /// The position in a market changed (as seen by the book about to follow).
    Position {
        /// The market.
        ticker: Ticker,
        /// Contracts: positive YES, negative NO.
        position: Count,
    },
    /// A fill of one of this engine's orders.
    Fill {
        /// The market.
        ticker: Ticker,
        /// As placed: `bid` bought YES.
        side: BookSide,
        /// YES price.
        price: Price,
        /// Contracts filled.
        count: Count,
    },
    /// One of this engine's orders changed; `order.key` is the handle for cancel and amend.
    Order {
        /// The order manager's record.
        order: Box<OrderRecord>,
    },
    /// An intent was refused (by the order manager, or by the engine: late, stale).
    Refused {
        /// The intent, as the protocol spells it.
        intent: serde_json::Value,
        /// Why.
        reason: String,
    },
    /// A blackout started (`true`) or ended.
    Blackout {
        /// Whether one is active.
        active: bool,
    },
    /// The periodic timer; answer with `pong` and the same `seq`.
    Tick {
        /// The engine's time.
        now: DateTime<Utc>,
    },
    /// A line of the process was refused; it changed nothing.
    Malformed {
        /// Why.
        reason: String,
        /// The line (truncated).
        line: String,
    },
}

/// `book`: a market's book as the strategy sees it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BookMessage {
    /// The market.
    pub ticker: Ticker,
    /// The book's epoch: echo it in `place`.
    pub epoch: u64,
    /// YES bids, `[price, count]`, ascending (best last).
    pub yes_bids: Vec<PriceLevel>,
    /// NO bids, ascending (best last).
    pub no_bids: Vec<PriceLevel>,
    /// The best YES bid's price.
    pub best_yes_bid: Option<Price>,
    /// The best YES ask's price (1 − the best NO bid).
    pub best_yes_ask: Option<Price>,
    /// The forecast's fair YES probability, when there is one.
    pub fair: Option<f64>,
    /// The position held, contracts.
    pub position: Count,
    /// The engine's time.
    pub now: DateTime<Utc>,
    /// When the market closes (Kalshi refuses every order operation after it).
    pub close_time: DateTime<Utc>,
    /// Whether the market accepts orders now (`false` while paused or once determined).
    pub tradable: bool,
}

/// A line on the wire: the message and its number.
#[derive(Serialize)]
struct Numbered<'a> {
    #[serde(flatten)]
    msg: &'a ToProcess,
    seq: u64,
}

impl ToProcess {
    /// The message as one line (no newline), numbered `seq`.
    pub fn line(&self, seq: u64) -> String {
        serde_json::to_string(&Numbered { msg: self, seq }).unwrap_or_else(|e| {
            // Only a map with non-string keys can fail, and none is sent.
            format!(r#"{{"type":"malformed","seq":{seq},"reason":"unencodable: {e}","line":""}}"#)
        })
    }
}

/// Log levels a process may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LogLevel {
    /// `debug`.
    Debug,
    /// `info`.
    Info,
    /// `warn`.
    Warn,
    /// `error`.
    Error,
}

fn good_till_canceled() -> TimeInForce {
    TimeInForce::GoodTillCanceled
}

/// A line from the process.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum FromProcess {
    /// Place an order, priced on the book of `epoch`, answering message `reply_to`.
    Place {
        /// The `seq` of the message this answers (a `book`, usually).
        reply_to: u64,
        /// The market.
        ticker: Ticker,
        /// `bid` buys YES, `ask` sells YES.
        side: BookSide,
        /// YES price.
        price: Price,
        /// Contracts (> 0).
        count: Count,
        /// The `epoch` of the book it was priced on.
        epoch: u64,
        /// Default `good_till_canceled`.
        #[serde(default = "good_till_canceled")]
        time_in_force: TimeInForce,
        /// Default `false`.
        #[serde(default)]
        post_only: bool,
        /// Default `false`.
        #[serde(default)]
        reduce_only: bool,
    },
    /// Change a resting order's price and size.
    Amend {
        /// The `seq` of the message this answers.
        reply_to: u64,
        /// The order's key (from an `order` message).
        key: String,
        /// New YES price.
        price: Price,
        /// New resting size (> 0).
        remaining: Count,
    },
    /// Cancel one order.
    Cancel {
        /// The order's key.
        key: String,
    },
    /// Cancel every resting order of this engine in a market.
    CancelMarket {
        /// The market.
        ticker: Ticker,
    },
    /// A line for the engine's log.
    Log {
        /// `debug`, `info`, `warn` or `error`.
        level: LogLevel,
        /// The text.
        message: String,
    },
    /// The answer to `tick` number `seq`.
    Pong {
        /// The tick's `seq`.
        seq: u64,
    },
}

impl FromProcess {
    /// The message number an intent answers, for place and amend.
    pub fn reply_to(&self) -> Option<u64> {
        match self {
            FromProcess::Place { reply_to, .. } | FromProcess::Amend { reply_to, .. } => {
                Some(*reply_to)
            }
            _ => None,
        }
    }

    /// The intent it asks for (`None` for `log` and `pong`).
    pub fn into_intent(self) -> Option<Intent> {
        Some(match self {
            FromProcess::Place {
                ticker,
                side,
                price,
                count,
                epoch,
                time_in_force,
                post_only,
                reduce_only,
                ..
            } => Intent::Place(PlaceIntent {
                spec: OrderSpec {
                    ticker,
                    side,
                    price,
                    count,
                    time_in_force,
                    post_only,
                    reduce_only,
                },
                book_epoch: epoch,
            }),
            FromProcess::Amend {
                key,
                price,
                remaining,
                ..
            } => Intent::Amend(AmendIntent {
                key,
                price,
                remaining,
            }),
            FromProcess::Cancel { key } => Intent::Cancel(key),
            FromProcess::CancelMarket { ticker } => Intent::CancelMarket(ticker),
            FromProcess::Log { .. } | FromProcess::Pong { .. } => return None,
        })
    }
}

/// Parses and checks one line from the process; `Err` says why it is refused.
pub fn parse_line(line: &str, max_bytes: usize) -> Result<FromProcess, String> {
    if line.len() > max_bytes {
        return Err(format!(
            "line of {} bytes (at most {max_bytes})",
            line.len()
        ));
    }
    let msg: FromProcess = serde_json::from_str(line).map_err(|e| describe(&e, line))?;
    check(&msg)?;
    Ok(msg)
}

/// serde_json's message, with what kind of failure it was when that helps.
fn describe(e: &serde_json::Error, line: &str) -> String {
    use serde_json::error::Category;
    match e.classify() {
        Category::Syntax | Category::Eof if !line.trim_start().starts_with('{') => {
            format!("not a JSON object: {e}")
        }
        Category::Syntax | Category::Eof => format!("not valid JSON: {e}"),
        Category::Data | Category::Io => e.to_string(),
    }
}

/// Checks serde cannot express: positive counts, prices strictly inside (0, 1), keys.
fn check(msg: &FromProcess) -> Result<(), String> {
    let price_ok = |p: &Price| *p > Price::ZERO && *p < Price::ONE;
    match msg {
        FromProcess::Place { price, count, .. } => {
            if !count.is_positive() {
                return Err(format!("place: count {count} must be positive"));
            }
            if !price_ok(price) {
                return Err(format!("place: price {price} is outside (0, 1)"));
            }
        }
        FromProcess::Amend {
            key,
            price,
            remaining,
            ..
        } => {
            if key.is_empty() {
                return Err("amend: key must not be empty".into());
            }
            if !remaining.is_positive() {
                return Err(format!(
                    "amend: remaining {remaining} must be positive (cancel instead)"
                ));
            }
            if !price_ok(price) {
                return Err(format!("amend: price {price} is outside (0, 1)"));
            }
        }
        FromProcess::Cancel { key } if key.is_empty() => {
            return Err("cancel: key must not be empty".into());
        }
        _ => {}
    }
    Ok(())
}

/// An intent as the protocol spells it (echoed in `refused`).
pub fn intent_json(intent: &Intent) -> serde_json::Value {
    use serde_json::json;
    match intent {
        Intent::Place(p) => json!({
            "type": "place",
            "ticker": p.spec.ticker,
            "side": p.spec.side,
            "price": p.spec.price,
            "count": p.spec.count,
            "epoch": p.book_epoch,
            "time_in_force": p.spec.time_in_force,
            "post_only": p.spec.post_only,
            "reduce_only": p.spec.reduce_only,
        }),
        Intent::Amend(a) => json!({
            "type": "amend", "key": a.key, "price": a.price, "remaining": a.remaining,
        }),
        Intent::Cancel(key) => json!({"type": "cancel", "key": key}),
        Intent::CancelMarket(t) => json!({"type": "cancel_market", "ticker": t}),
    }
}

/// `line`, cut to at most `max` bytes on a character boundary (for logs and `malformed`).
pub fn truncate(line: &str, max: usize) -> String {
    if line.len() <= max {
        return line.to_owned();
    }
    let mut cut = max;
    while !line.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}…", &line[..cut])
}
