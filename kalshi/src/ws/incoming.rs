//! [`Incoming`]: any frame the server sends, with its envelope ([`BookFrame`] for the order
//! book's sequenced messages, [`DataFrame`] for the rest, [`UnknownFrame`] for types this
//! crate does not model), and [`DecodeError`] for a frame that does not decode.
//! `decode.rs` reads these types, `encode.rs` writes them.

use std::borrow::Cow;

use super::{
    borrow,
    market::{EventLifecycle, MarketLifecycle, TickerUpdate, Trade},
    orderbook::{OrderbookDelta, OrderbookSnapshot},
    response::{ErrorResponse, OkResponse, Subscribed, Unsubscribed},
    user::{Fill, MarketPosition, UserOrder},
};

/// A frame from the server (incoming, from the engine's side; the simulator encodes the same
/// type). Borrows from the frame text where the message type does ([`OrderbookDelta`],
/// [`OrderbookSnapshot`], [`Incoming::Unknown`]).
#[derive(Debug, Clone, PartialEq)]
pub enum Incoming<'a> {
    /// `subscribed`.
    Subscribed(Subscribed),
    /// `ok`.
    Ok(OkResponse),
    /// `unsubscribed`.
    Unsubscribed(Unsubscribed),
    /// `error`.
    Error(ErrorResponse),
    /// `orderbook_snapshot`.
    OrderbookSnapshot(BookFrame<OrderbookSnapshot<'a>>),
    /// `orderbook_delta`.
    OrderbookDelta(BookFrame<OrderbookDelta<'a>>),
    /// `ticker`.
    Ticker(DataFrame<TickerUpdate>),
    /// `trade`.
    Trade(DataFrame<Trade>),
    /// `fill`.
    Fill(DataFrame<Fill>),
    /// `user_order`.
    UserOrder(DataFrame<UserOrder>),
    /// `market_position`.
    MarketPosition(DataFrame<MarketPosition>),
    /// `market_lifecycle_v2`.
    MarketLifecycle(DataFrame<MarketLifecycle>),
    /// `event_lifecycle`.
    EventLifecycle(DataFrame<EventLifecycle>),
    /// A well-formed frame of a `type` this crate does not model (`event_fee_update`,
    /// `order_group_updates`, ...), kept whole.
    Unknown(UnknownFrame<'a>),
}

/// An order-book message with its subscription id and sequence number (both required: a gap
/// in `seq` within one `sid` means a lost delta and a book to resync).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookFrame<M> {
    /// The subscription.
    pub sid: u64,
    /// The sequence number within the subscription.
    pub seq: u64,
    /// When Kalshi queued the frame, Unix milliseconds.
    pub sending_ts_ms: Option<i64>,
    /// The message.
    pub msg: M,
}

/// Any other data message with its envelope. `sid` is always sent but optional here so a
/// frame without it still decodes; `seq` is sent on the lifecycle channels only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataFrame<M> {
    /// The subscription.
    pub sid: Option<u64>,
    /// The sequence number, where the channel has one.
    pub seq: Option<u64>,
    /// When Kalshi queued the frame, Unix milliseconds (`fill`, lifecycle).
    pub sending_ts_ms: Option<i64>,
    /// The message.
    pub msg: M,
}

impl<M> DataFrame<M> {
    /// A frame for `msg` on subscription `sid`, without `seq` or `sending_ts_ms`.
    pub fn new(sid: u64, msg: M) -> DataFrame<M> {
        DataFrame {
            sid: Some(sid),
            seq: None,
            sending_ts_ms: None,
            msg,
        }
    }
}

/// A frame of an unmodelled `type`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownFrame<'a> {
    /// The frame's `type`.
    pub kind: Cow<'a, str>,
    /// The whole frame text, as received.
    pub raw: Cow<'a, str>,
}

impl Incoming<'_> {
    /// The frame's wire `type`.
    pub fn kind(&self) -> &str {
        match self {
            Incoming::Subscribed(_) => "subscribed",
            Incoming::Ok(_) => "ok",
            Incoming::Unsubscribed(_) => "unsubscribed",
            Incoming::Error(_) => "error",
            Incoming::OrderbookSnapshot(_) => "orderbook_snapshot",
            Incoming::OrderbookDelta(_) => "orderbook_delta",
            Incoming::Ticker(_) => "ticker",
            Incoming::Trade(_) => "trade",
            Incoming::Fill(_) => "fill",
            Incoming::UserOrder(_) => "user_order",
            Incoming::MarketPosition(_) => "market_position",
            Incoming::MarketLifecycle(_) => "market_lifecycle_v2",
            Incoming::EventLifecycle(_) => "event_lifecycle",
            Incoming::Unknown(u) => &u.kind,
        }
    }

    /// The JSON text frame. Fails only for an [`Incoming::Unknown`] whose `raw` is not JSON.
    pub fn encode(&self) -> Result<String, serde_json::Error> {
        serde_json::to_string(self)
    }
}

/// A server frame that could not be decoded: malformed JSON, a missing or mistyped field, an
/// invalid number. Keeps the serde error and the start of the payload (≤ 200 characters) for
/// the log line; decoding never panics.
#[derive(Debug, thiserror::Error)]
#[error("undecodable WebSocket frame: {source}; payload: {payload}")]
pub struct DecodeError {
    /// What serde_json refused, with line and column when it knows them.
    #[source]
    pub source: serde_json::Error,
    /// The frame, truncated to 200 characters.
    pub payload: String,
}

impl DecodeError {
    pub(crate) fn new(source: serde_json::Error, frame: &str) -> DecodeError {
        DecodeError {
            source,
            payload: borrow::truncate(frame),
        }
    }

    /// True when the frame was not even JSON (or was cut short), as opposed to JSON of the
    /// wrong shape.
    pub fn is_syntax(&self) -> bool {
        matches!(
            self.source.classify(),
            serde_json::error::Category::Syntax | serde_json::error::Category::Eof
        )
    }
}
