//! The params of the WebSocket commands: the typed forms ([`SubscribeParams`],
//! [`UnsubscribeParams`], [`UpdateSubscriptionParams`], with [`MarketFilter`] and
//! [`UpdateAction`]), their wire forms, and the rules that turn one into the other
//! ([`ParamsError`]), shared by serde (`try_from`) and [`super::Command::from_json`].
//!
//! Every field of a wire form is optional so that a missing one becomes the right error code
//! (3 channels required, 4 sids required, 12 exactly one sid, 14 market ticker required,
//! 15 action required, ...) instead of a generic "missing field".

use std::fmt;

use serde::{Deserialize, Serialize};

use super::{channel::Channel, response::WsErrorCode as Code};
use crate::ids::Ticker;

crate::types::wire_enum!(
    /// The `action` of `update_subscription`.
    closed UpdateAction {
        /// Add `market_tickers` to the subscription.
        AddMarkets => "add_markets",
        /// Remove `market_tickers` from the subscription.
        DeleteMarkets => "delete_markets",
        /// Orderbook channel only: send a fresh `orderbook_snapshot` for `market_tickers`
        /// without changing the subscription.
        GetSnapshot => "get_snapshot",
    }
);

/// Which markets a subscription covers: `market_ticker` XOR `market_tickers` (XOR the
/// `market_id(s)` UUIDs, ticker channel only), or none for every market.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum MarketFilter {
    /// No filter: every market the channel serves.
    #[default]
    All,
    /// `market_ticker`.
    Ticker(Ticker),
    /// `market_tickers`.
    Tickers(Vec<Ticker>),
    /// `market_id` (ticker channel only).
    MarketId(String),
    /// `market_ids` (ticker channel only).
    MarketIds(Vec<String>),
}

impl MarketFilter {
    /// The tickers named (empty for `All` and the id forms).
    pub fn tickers(&self) -> &[Ticker] {
        match self {
            MarketFilter::Ticker(t) => std::slice::from_ref(t),
            MarketFilter::Tickers(t) => t,
            _ => &[],
        }
    }
}

/// `subscribe` params.
/// `{"channels":["ticker"],"market_tickers":["A","B"],"send_initial_snapshot":true}`
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(try_from = "Subscribe", into = "Subscribe")]
pub struct SubscribeParams {
    /// At least one channel.
    pub channels: Vec<Channel>,
    /// Which markets.
    pub markets: MarketFilter,
    /// Ticker channel: send the current state at once.
    pub send_initial_snapshot: Option<bool>,
    /// Omit the ticker lists in `ok` replies.
    pub skip_ticker_ack: Option<bool>,
    /// Orderbook channel: report NO levels on the YES scale. **UNCERTAIN** wording (only
    /// third-party quotes of the asyncapi file). [`crate::book::OrderBook`] assumes NO-leg
    /// prices, Kalshi's default, so the engine leaves this unset.
    pub use_yes_price: Option<bool>,
    /// Communications channel sharding: number of shards, 1–100.
    pub shard_factor: Option<u32>,
    /// Communications channel sharding: this connection's shard, `0..shard_factor`.
    pub shard_key: Option<u32>,
}

/// `unsubscribe` params: `{"sids":[1,2]}`, at least one sid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Unsubscribe", into = "Unsubscribe")]
pub struct UnsubscribeParams {
    /// The subscriptions to remove.
    pub sids: Vec<u64>,
}

/// `update_subscription` params. Kalshi takes the one sid as `sid` or as a one-element
/// `sids`; both decode, and encoding writes `sids`.
/// `{"sids":[456],"market_tickers":["NEW-1"],"action":"add_markets"}`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Update", into = "Update")]
pub struct UpdateSubscriptionParams {
    /// The subscription to change.
    pub sid: u64,
    /// The markets to add, remove or snapshot (at least one).
    pub market_tickers: Vec<Ticker>,
    /// What to do.
    pub action: UpdateAction,
}

/// A params rule broken: the code and a fixed message (also the serde error text).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParamsError {
    /// The error code the server answers with.
    pub code: Code,
    /// Which rule.
    pub message: &'static str,
}

impl ParamsError {
    pub(super) fn into_pair(self) -> (Code, String) {
        (self.code, self.message.to_owned())
    }
}

impl fmt::Display for ParamsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (code {})", self.message, self.code.0)
    }
}

fn err(code: Code, message: &'static str) -> ParamsError {
    ParamsError { code, message }
}

/// `subscribe` params as sent.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct Subscribe {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    channels: Option<Vec<Channel>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    market_ticker: Option<Ticker>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    market_tickers: Option<Vec<Ticker>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    market_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    market_ids: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    send_initial_snapshot: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    skip_ticker_ack: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    use_yes_price: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    shard_factor: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    shard_key: Option<u32>,
}

impl TryFrom<Subscribe> for SubscribeParams {
    type Error = ParamsError;

    fn try_from(w: Subscribe) -> Result<Self, ParamsError> {
        let channels = match w.channels {
            Some(c) if !c.is_empty() => c,
            _ => return Err(err(Code::CHANNELS_REQUIRED, "channels required")),
        };
        let given = [
            w.market_ticker.is_some(),
            w.market_tickers.is_some(),
            w.market_id.is_some(),
            w.market_ids.is_some(),
        ];
        if given.iter().filter(|g| **g).count() > 1 {
            return Err(err(
                Code::INVALID_PARAMETER,
                "market_ticker, market_tickers, market_id and market_ids are mutually exclusive",
            ));
        }
        let markets = if let Some(t) = w.market_ticker {
            MarketFilter::Ticker(t)
        } else if let Some(t) = w.market_tickers {
            MarketFilter::Tickers(t)
        } else if let Some(id) = w.market_id {
            MarketFilter::MarketId(id)
        } else if let Some(ids) = w.market_ids {
            MarketFilter::MarketIds(ids)
        } else {
            MarketFilter::All
        };
        match (w.shard_factor, w.shard_key) {
            (Some(0), _) => {
                return Err(err(
                    Code::SHARD_FACTOR_NOT_POSITIVE,
                    "shard_factor must be > 0",
                ));
            }
            (Some(f), _) if f > 100 => {
                return Err(err(
                    Code::SHARD_FACTOR_TOO_LARGE,
                    "shard_factor must be <= 100",
                ));
            }
            (None, Some(_)) => {
                return Err(err(
                    Code::SHARD_FACTOR_REQUIRED,
                    "shard_factor is required with shard_key",
                ));
            }
            (Some(f), Some(k)) if k >= f => {
                return Err(err(
                    Code::SHARD_KEY_OUT_OF_RANGE,
                    "shard_key must be below shard_factor",
                ));
            }
            _ => {}
        }
        Ok(SubscribeParams {
            channels,
            markets,
            send_initial_snapshot: w.send_initial_snapshot,
            skip_ticker_ack: w.skip_ticker_ack,
            use_yes_price: w.use_yes_price,
            shard_factor: w.shard_factor,
            shard_key: w.shard_key,
        })
    }
}

impl From<SubscribeParams> for Subscribe {
    fn from(p: SubscribeParams) -> Subscribe {
        let mut w = Subscribe {
            channels: Some(p.channels),
            send_initial_snapshot: p.send_initial_snapshot,
            skip_ticker_ack: p.skip_ticker_ack,
            use_yes_price: p.use_yes_price,
            shard_factor: p.shard_factor,
            shard_key: p.shard_key,
            ..Subscribe::default()
        };
        match p.markets {
            MarketFilter::All => {}
            MarketFilter::Ticker(t) => w.market_ticker = Some(t),
            MarketFilter::Tickers(t) => w.market_tickers = Some(t),
            MarketFilter::MarketId(id) => w.market_id = Some(id),
            MarketFilter::MarketIds(ids) => w.market_ids = Some(ids),
        }
        w
    }
}

/// `unsubscribe` params as sent.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Unsubscribe {
    #[serde(default)]
    sids: Option<Vec<u64>>,
}

impl TryFrom<Unsubscribe> for UnsubscribeParams {
    type Error = ParamsError;

    fn try_from(w: Unsubscribe) -> Result<Self, ParamsError> {
        match w.sids {
            Some(sids) if !sids.is_empty() => Ok(UnsubscribeParams { sids }),
            _ => Err(err(Code::SIDS_REQUIRED, "subscription IDs required")),
        }
    }
}

impl From<UnsubscribeParams> for Unsubscribe {
    fn from(p: UnsubscribeParams) -> Unsubscribe {
        Unsubscribe { sids: Some(p.sids) }
    }
}

/// `update_subscription` params as sent.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Update {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sid: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sids: Option<Vec<u64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    market_tickers: Option<Vec<Ticker>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    action: Option<String>,
}

impl TryFrom<Update> for UpdateSubscriptionParams {
    type Error = ParamsError;

    fn try_from(w: Update) -> Result<Self, ParamsError> {
        let sid = match (w.sid, w.sids.as_deref()) {
            (None, None) => return Err(err(Code::SIDS_REQUIRED, "subscription IDs required")),
            (Some(sid), None) | (None, Some(&[sid])) => sid,
            _ => return Err(err(Code::EXACTLY_ONE_SID, "exactly one sid required")),
        };
        let action = match w.action.as_deref() {
            None | Some("") => return Err(err(Code::ACTION_REQUIRED, "action required")),
            Some(a) => UpdateAction::from_wire(a)
                .ok_or_else(|| err(Code::UNSUPPORTED_ACTION, "unsupported action"))?,
        };
        let market_tickers = match w.market_tickers {
            Some(t) if !t.is_empty() => t,
            _ => return Err(err(Code::MARKET_TICKER_REQUIRED, "market tickers required")),
        };
        Ok(UpdateSubscriptionParams {
            sid,
            market_tickers,
            action,
        })
    }
}

impl From<UpdateSubscriptionParams> for Update {
    fn from(p: UpdateSubscriptionParams) -> Update {
        Update {
            sid: None,
            sids: Some(vec![p.sid]),
            market_tickers: Some(p.market_tickers),
            action: Some(p.action.as_str().to_owned()),
        }
    }
}
