//! Responses the server sends to commands: `subscribed`, `ok`, `unsubscribed` and `error`
//! (kalshi-api.md §6.2), and the numbered error codes ([`WsErrorCode`]).
//!
//! These are the message bodies; [`super::Incoming`] carries them with their envelope and
//! does the framing (`{"id":1,"type":"subscribed","msg":{...}}`) in both directions.
//! Docs: <https://docs.kalshi.com/websockets/websocket-connection>.

use std::fmt;

use serde::{
    Deserialize, Deserializer, Serialize,
    de::{self, IgnoredAny, MapAccess, SeqAccess, Visitor},
};

use super::channel::Channel;
use crate::ids::Ticker;

/// A numbered WebSocket error code (`msg.code` of an `error` frame). Open: an unknown code
/// keeps its number. The named constants are the documented codes 1–27.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct WsErrorCode(pub u16);

/// The documented codes with their constant names and the server's wording.
const CODES: [(WsErrorCode, &str); 27] = [
    (WsErrorCode::UNABLE_TO_PROCESS, "unable to process message"),
    (WsErrorCode::PARAMS_REQUIRED, "params required"),
    (WsErrorCode::CHANNELS_REQUIRED, "channels required"),
    (WsErrorCode::SIDS_REQUIRED, "subscription IDs required"),
    (WsErrorCode::UNKNOWN_COMMAND, "unknown command"),
    (WsErrorCode::ALREADY_SUBSCRIBED, "already subscribed"),
    (WsErrorCode::UNKNOWN_SID, "unknown subscription ID"),
    (WsErrorCode::UNKNOWN_CHANNEL, "unknown channel name"),
    (WsErrorCode::AUTH_REQUIRED, "authentication required"),
    (WsErrorCode::CHANNEL_ERROR, "channel error"),
    (WsErrorCode::INVALID_PARAMETER, "invalid parameter"),
    (
        WsErrorCode::EXACTLY_ONE_SID,
        "exactly one subscription ID is required",
    ),
    (WsErrorCode::UNSUPPORTED_ACTION, "unsupported action"),
    (
        WsErrorCode::MARKET_TICKER_REQUIRED,
        "market ticker required",
    ),
    (WsErrorCode::ACTION_REQUIRED, "action required"),
    (WsErrorCode::MARKET_NOT_FOUND, "market not found"),
    (WsErrorCode::INTERNAL_ERROR, "internal error"),
    (WsErrorCode::COMMAND_TIMEOUT, "command timeout"),
    (
        WsErrorCode::SHARD_FACTOR_NOT_POSITIVE,
        "shard_factor must be > 0",
    ),
    (
        WsErrorCode::SHARD_FACTOR_REQUIRED,
        "shard_factor is required with shard_key",
    ),
    (
        WsErrorCode::SHARD_KEY_OUT_OF_RANGE,
        "shard_key out of range",
    ),
    (
        WsErrorCode::SHARD_FACTOR_TOO_LARGE,
        "shard_factor must be <= 100",
    ),
    (WsErrorCode::MATCH_IDS_REQUIRED, "match IDs required"),
    (WsErrorCode::INDEX_IDS_REQUIRED, "index IDs required"),
    (
        WsErrorCode::SUBSCRIPTION_BUFFER_OVERFLOW,
        "subscription buffer overflow",
    ),
    (
        WsErrorCode::MARKET_LIMIT_EXCEEDED,
        "subscription market limit exceeded",
    ),
    (WsErrorCode::TOO_MANY_REQUESTS, "too many requests"),
];

impl WsErrorCode {
    /// 1: the frame could not be processed (not JSON, no `cmd`, ...).
    pub const UNABLE_TO_PROCESS: Self = Self(1);
    /// 2: a command that needs `params` came without them.
    pub const PARAMS_REQUIRED: Self = Self(2);
    /// 3: `subscribe` without `channels`.
    pub const CHANNELS_REQUIRED: Self = Self(3);
    /// 4: `unsubscribe`/`update_subscription` without subscription ids.
    pub const SIDS_REQUIRED: Self = Self(4);
    /// 5: an unknown `cmd`.
    pub const UNKNOWN_COMMAND: Self = Self(5);
    /// 6: already subscribed (newest asyncapi: retired, not emitted).
    pub const ALREADY_SUBSCRIBED: Self = Self(6);
    /// 7: a sid that is not one of this connection's subscriptions.
    pub const UNKNOWN_SID: Self = Self(7);
    /// 8: an unknown channel name.
    pub const UNKNOWN_CHANNEL: Self = Self(8);
    /// 9: a private channel on an unauthenticated connection.
    pub const AUTH_REQUIRED: Self = Self(9);
    /// 10: the channel failed; the subscription is dead.
    pub const CHANNEL_ERROR: Self = Self(10);
    /// 11: a parameter has a wrong type or value.
    pub const INVALID_PARAMETER: Self = Self(11);
    /// 12: `update_subscription` needs exactly one sid.
    pub const EXACTLY_ONE_SID: Self = Self(12);
    /// 13: an `action` the channel does not support.
    pub const UNSUPPORTED_ACTION: Self = Self(13);
    /// 14: a market ticker is required.
    pub const MARKET_TICKER_REQUIRED: Self = Self(14);
    /// 15: `update_subscription` without `action`.
    pub const ACTION_REQUIRED: Self = Self(15);
    /// 16: an unknown market.
    pub const MARKET_NOT_FOUND: Self = Self(16);
    /// 17: a server-side failure; the subscription is dead.
    pub const INTERNAL_ERROR: Self = Self(17);
    /// 18: the command timed out.
    pub const COMMAND_TIMEOUT: Self = Self(18);
    /// 19: `shard_factor` must be above zero.
    pub const SHARD_FACTOR_NOT_POSITIVE: Self = Self(19);
    /// 20: `shard_key` given without `shard_factor`.
    pub const SHARD_FACTOR_REQUIRED: Self = Self(20);
    /// 21: `shard_key` outside `0..shard_factor`.
    pub const SHARD_KEY_OUT_OF_RANGE: Self = Self(21);
    /// 22: `shard_factor` above 100.
    pub const SHARD_FACTOR_TOO_LARGE: Self = Self(22);
    /// 23: match ids required.
    pub const MATCH_IDS_REQUIRED: Self = Self(23);
    /// 24: index ids required (`cfbenchmarks_value`).
    pub const INDEX_IDS_REQUIRED: Self = Self(24);
    /// 25: the client read too slowly and the server dropped the subscription.
    pub const SUBSCRIPTION_BUFFER_OVERFLOW: Self = Self(25);
    /// 26: too many markets in one subscription (the cap is undocumented).
    pub const MARKET_LIMIT_EXCEEDED: Self = Self(26);
    /// 27: commands sent too fast.
    pub const TOO_MANY_REQUESTS: Self = Self(27);

    /// The documented meaning, or `None` for a code this crate does not know.
    pub fn description(self) -> Option<&'static str> {
        CODES.iter().find(|(c, _)| *c == self).map(|(_, d)| *d)
    }

    /// True for 10 (channel error), 17 (internal error) and 25 (buffer overflow): the
    /// subscription no longer delivers data and must be re-created. This reading comes from a
    /// third-party transcription of the asyncapi file (**UNCERTAIN**, kalshi-api.md §6.2); it
    /// is the safe one, since resubscribing a live subscription costs only a snapshot.
    pub fn is_subscription_dead(self) -> bool {
        matches!(self.0, 10 | 17 | 25)
    }
}

impl fmt::Display for WsErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.description() {
            Some(d) => write!(f, "{} ({d})", self.0),
            None => write!(f, "{} (unknown code)", self.0),
        }
    }
}

/// One subscription: the body of `subscribed` and an element of the `list_subscriptions`
/// reply. `{"channel":"orderbook_delta","sid":1}`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubscriptionInfo {
    /// The channel subscribed to.
    pub channel: Channel,
    /// The server-assigned subscription id.
    pub sid: u64,
}

/// `subscribed`: one per channel of a `subscribe` command.
/// `{"id":1,"type":"subscribed","msg":{"channel":"orderbook_delta","sid":1}}`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscribed {
    /// The id of the command answered (absent when the command had none).
    pub id: Option<u64>,
    /// The channel and its new sid.
    pub subscription: SubscriptionInfo,
}

/// `ok`: the answer to `update_subscription` (with `sid`, `seq` and the subscription's full
/// market list) or to `list_subscriptions` (a list).
/// `{"id":123,"sid":456,"seq":222,"type":"ok","msg":{"market_tickers":["MARKET-1"]}}`,
/// `{"id":3,"type":"ok","msg":[{"channel":"ticker","sid":2}]}`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OkResponse {
    /// The id of the command answered.
    pub id: Option<u64>,
    /// The subscription updated.
    pub sid: Option<u64>,
    /// The subscription's sequence number after the update.
    pub seq: Option<u64>,
    /// What `msg` held.
    pub body: OkBody,
}

/// The `msg` of an `ok` frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OkBody {
    /// `{"market_tickers":[...]}`: the subscription's markets after an update.
    MarketTickers(Vec<Ticker>),
    /// `[{"channel":..,"sid":..}, ...]`: the `list_subscriptions` reply.
    Subscriptions(Vec<SubscriptionInfo>),
    /// No `msg`, `null`, or an object without `market_tickers` (`skip_ticker_ack`).
    Empty,
}

impl Serialize for OkBody {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        match self {
            OkBody::MarketTickers(t) => {
                let mut m = s.serialize_map(Some(1))?;
                m.serialize_entry("market_tickers", t)?;
                m.end()
            }
            OkBody::Subscriptions(list) => list.serialize(s),
            OkBody::Empty => s.serialize_map(Some(0))?.end(),
        }
    }
}

impl<'de> Deserialize<'de> for OkBody {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct BodyVisitor;
        impl<'de> Visitor<'de> for BodyVisitor {
            type Value = OkBody;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object with market_tickers or a list of subscriptions")
            }
            fn visit_unit<E: de::Error>(self) -> Result<OkBody, E> {
                Ok(OkBody::Empty)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<OkBody, A::Error> {
                let mut list = Vec::with_capacity(seq.size_hint().unwrap_or(4));
                while let Some(info) = seq.next_element()? {
                    list.push(info);
                }
                Ok(OkBody::Subscriptions(list))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<OkBody, A::Error> {
                let mut body = OkBody::Empty;
                while let Some(key) = map.next_key::<super::borrow::CowStr<'de>>()? {
                    if key.0 == "market_tickers" {
                        body = OkBody::MarketTickers(map.next_value()?);
                    } else {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
                Ok(body)
            }
        }
        d.deserialize_any(BodyVisitor)
    }
}

/// `unsubscribed`: one per sid of an `unsubscribe` command; it has no `msg`.
/// `{"id":102,"sid":2,"seq":7,"type":"unsubscribed"}`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsubscribed {
    /// The id of the command answered.
    pub id: Option<u64>,
    /// The subscription removed.
    pub sid: u64,
    /// Its last sequence number. Documented as present; optional here so a frame without it
    /// still decodes (safe reading).
    pub seq: Option<u64>,
}

/// `error`: a refused command or a failed subscription.
/// `{"id":123,"type":"error","msg":{"code":2,"msg":"Params required"}}`
///
/// `market_ticker`/`market_id` echo what the client sent, which may be malformed (that can be
/// the very error), so they are plain strings rather than [`Ticker`]s.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorResponse {
    /// The id of the command refused; absent for errors not tied to a command.
    #[serde(skip)]
    pub id: Option<u64>,
    /// The numbered code.
    pub code: WsErrorCode,
    /// The server's text (`msg.msg`).
    #[serde(rename = "msg", default)]
    pub message: String,
    /// The market concerned, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub market_ticker: Option<String>,
    /// The market id concerned, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub market_id: Option<String>,
}

impl ErrorResponse {
    /// An error answering command `id` with `code` and the code's documented wording.
    pub fn new(id: Option<u64>, code: WsErrorCode) -> ErrorResponse {
        ErrorResponse {
            id,
            code,
            message: code.description().unwrap_or("error").to_owned(),
            market_ticker: None,
            market_id: None,
        }
    }
}
