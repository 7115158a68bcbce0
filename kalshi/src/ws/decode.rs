//! [`decode`]: one pass over a server frame into an [`Incoming`] (`encode.rs` writes them
//! back).
//!
//! The envelope visitor reads keys in order. Once `type` has been seen, `msg` is decoded
//! straight into its struct through [`MsgSeed`]; if `msg` comes first it is captured as a
//! borrowed [`RawValue`] (a scan, no copy) and decoded when the map ends. Nothing is buffered
//! into serde's `Content`, and no key or type string is copied.

use std::{borrow::Cow, fmt};

use serde::{
    Deserialize, Deserializer,
    de::{self, DeserializeSeed, IgnoredAny, MapAccess, Visitor},
};
use serde_json::value::RawValue;

use super::{
    BookFrame, DataFrame, DecodeError, ErrorResponse, EventLifecycle, Fill, Incoming,
    MarketLifecycle, MarketPosition, OkBody, OkResponse, OrderbookDelta, OrderbookSnapshot,
    Subscribed, SubscriptionInfo, TickerUpdate, Trade, UnknownFrame, Unsubscribed, UserOrder,
    borrow::CowStr,
};

/// Decodes one server text frame. Never panics: anything malformed is a [`DecodeError`]; a
/// well-formed frame of an unmodelled `type` is [`Incoming::Unknown`]. An `orderbook_delta`
/// in the usual layout goes through the exact hand-written fast path in `fast.rs` first.
pub fn decode(frame: &str) -> Result<Incoming<'_>, DecodeError> {
    match super::fast::delta(frame) {
        Some(delta) => Ok(delta),
        None => decode_general(frame),
    }
}

/// The serde decoder, for every frame the fast path declines.
pub(super) fn decode_general(frame: &str) -> Result<Incoming<'_>, DecodeError> {
    let mut de = serde_json::Deserializer::from_str(frame);
    (&mut de)
        .deserialize_map(FrameVisitor { frame })
        .and_then(|incoming| de.end().map(|()| incoming))
        .map_err(|e| DecodeError::new(e, frame))
}

/// The modelled frame types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Subscribed,
    Ok,
    Unsubscribed,
    Error,
    Snapshot,
    Delta,
    Ticker,
    Trade,
    Fill,
    UserOrder,
    MarketPosition,
    MarketLifecycle,
    EventLifecycle,
}

impl Kind {
    fn from_wire(s: &str) -> Option<Kind> {
        Some(match s {
            "orderbook_delta" => Kind::Delta,
            "orderbook_snapshot" => Kind::Snapshot,
            "ticker" => Kind::Ticker,
            "trade" => Kind::Trade,
            "fill" => Kind::Fill,
            "user_order" => Kind::UserOrder,
            "market_position" => Kind::MarketPosition,
            "market_lifecycle_v2" => Kind::MarketLifecycle,
            "event_lifecycle" => Kind::EventLifecycle,
            "subscribed" => Kind::Subscribed,
            "ok" => Kind::Ok,
            "unsubscribed" => Kind::Unsubscribed,
            "error" => Kind::Error,
            _ => return None,
        })
    }
}

/// A decoded `msg`.
enum Msg<'a> {
    Subscribed(SubscriptionInfo),
    Ok(OkBody),
    Error(ErrorResponse),
    Snapshot(OrderbookSnapshot<'a>),
    Delta(OrderbookDelta<'a>),
    Ticker(TickerUpdate),
    Trade(Trade),
    Fill(Fill),
    UserOrder(UserOrder),
    MarketPosition(MarketPosition),
    MarketLifecycle(MarketLifecycle),
    EventLifecycle(EventLifecycle),
    /// `unsubscribed` has no body; a stray one is skipped.
    Ignored,
}

/// Decodes a `msg` whose type is known.
struct MsgSeed(Kind);

impl<'de> DeserializeSeed<'de> for MsgSeed {
    type Value = Msg<'de>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Msg<'de>, D::Error> {
        Ok(match self.0 {
            Kind::Delta => Msg::Delta(Deserialize::deserialize(d)?),
            Kind::Snapshot => Msg::Snapshot(Deserialize::deserialize(d)?),
            Kind::Ticker => Msg::Ticker(Deserialize::deserialize(d)?),
            Kind::Trade => Msg::Trade(Deserialize::deserialize(d)?),
            Kind::Fill => Msg::Fill(Deserialize::deserialize(d)?),
            Kind::UserOrder => Msg::UserOrder(Deserialize::deserialize(d)?),
            Kind::MarketPosition => Msg::MarketPosition(Deserialize::deserialize(d)?),
            Kind::MarketLifecycle => Msg::MarketLifecycle(Deserialize::deserialize(d)?),
            Kind::EventLifecycle => Msg::EventLifecycle(Deserialize::deserialize(d)?),
            Kind::Subscribed => Msg::Subscribed(Deserialize::deserialize(d)?),
            Kind::Ok => Msg::Ok(Deserialize::deserialize(d)?),
            Kind::Error => Msg::Error(Deserialize::deserialize(d)?),
            Kind::Unsubscribed => {
                IgnoredAny::deserialize(d)?;
                Msg::Ignored
            }
        })
    }
}

/// An envelope key.
enum Key {
    Type,
    Id,
    Sid,
    Seq,
    SendingTsMs,
    Msg,
    Other,
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Key, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = Key;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a frame key")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key, E> {
                Ok(match v {
                    "type" => Key::Type,
                    "id" => Key::Id,
                    "sid" => Key::Sid,
                    "seq" => Key::Seq,
                    "sending_ts_ms" => Key::SendingTsMs,
                    "msg" => Key::Msg,
                    _ => Key::Other,
                })
            }
        }
        d.deserialize_identifier(KeyVisitor)
    }
}

/// The envelope numbers.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Env {
    pub(super) id: Option<u64>,
    pub(super) sid: Option<u64>,
    pub(super) seq: Option<u64>,
    pub(super) sending_ts_ms: Option<i64>,
}

/// Reads one frame object; `frame` is the whole text, kept for [`Incoming::Unknown`].
struct FrameVisitor<'a> {
    frame: &'a str,
}

/// Reads an optional envelope number, refusing a repeated key.
fn once<'a, A: MapAccess<'a>, T: Deserialize<'a>>(
    map: &mut A,
    slot: &mut Option<T>,
    name: &'static str,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(de::Error::duplicate_field(name));
    }
    *slot = map.next_value()?;
    Ok(())
}

impl<'a> Visitor<'a> for FrameVisitor<'a> {
    type Value = Incoming<'a>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a WebSocket frame object")
    }

    fn visit_map<A: MapAccess<'a>>(self, mut map: A) -> Result<Incoming<'a>, A::Error> {
        let mut kind: Option<Cow<'a, str>> = None;
        let mut known = None;
        let mut env = Env::default();
        let mut msg: Option<Msg<'a>> = None;
        let mut raw_msg: Option<&'a RawValue> = None;
        while let Some(key) = map.next_key::<Key>()? {
            match key {
                Key::Type => {
                    if kind.is_some() {
                        return Err(de::Error::duplicate_field("type"));
                    }
                    let t: CowStr<'a> = map.next_value()?;
                    known = Kind::from_wire(&t.0);
                    kind = Some(t.0);
                }
                Key::Id => once(&mut map, &mut env.id, "id")?,
                Key::Sid => once(&mut map, &mut env.sid, "sid")?,
                Key::Seq => once(&mut map, &mut env.seq, "seq")?,
                Key::SendingTsMs => once(&mut map, &mut env.sending_ts_ms, "sending_ts_ms")?,
                Key::Msg => {
                    if msg.is_some() || raw_msg.is_some() {
                        return Err(de::Error::duplicate_field("msg"));
                    }
                    match (&kind, known) {
                        (Some(_), Some(k)) => msg = Some(map.next_value_seed(MsgSeed(k))?),
                        (Some(_), None) => drop(map.next_value::<IgnoredAny>()?),
                        (None, _) => raw_msg = Some(map.next_value()?),
                    }
                }
                Key::Other => drop(map.next_value::<IgnoredAny>()?),
            }
        }
        let kind = kind.ok_or_else(|| de::Error::missing_field("type"))?;
        let Some(known) = known else {
            let raw = Cow::Borrowed(self.frame);
            return Ok(Incoming::Unknown(UnknownFrame { kind, raw }));
        };
        if let Some(raw) = raw_msg {
            let mut d = serde_json::Deserializer::from_str(raw.get());
            let decoded = MsgSeed(known)
                .deserialize(&mut d)
                .and_then(|m| d.end().map(|()| m));
            msg = Some(decoded.map_err(|e| de::Error::custom(format_args!("msg: {e}")))?);
        }
        let msg = match (msg, known) {
            (Some(m), _) => m,
            (None, Kind::Ok) => Msg::Ok(OkBody::Empty),
            (None, Kind::Unsubscribed) => Msg::Ignored,
            (None, _) => return Err(de::Error::missing_field("msg")),
        };
        assemble(env, msg)
    }
}

/// A data frame from its envelope.
fn data<M>(env: &Env, msg: M) -> DataFrame<M> {
    DataFrame {
        sid: env.sid,
        seq: env.seq,
        sending_ts_ms: env.sending_ts_ms,
        msg,
    }
}

/// Builds the frame from its envelope and decoded `msg`.
fn assemble<'a, E: de::Error>(env: Env, msg: Msg<'a>) -> Result<Incoming<'a>, E> {
    let sid = || env.sid.ok_or_else(|| E::missing_field("sid"));
    let seq = || env.seq.ok_or_else(|| E::missing_field("seq"));
    Ok(match msg {
        Msg::Delta(msg) => Incoming::OrderbookDelta(BookFrame {
            sid: sid()?,
            seq: seq()?,
            sending_ts_ms: env.sending_ts_ms,
            msg,
        }),
        Msg::Snapshot(msg) => Incoming::OrderbookSnapshot(BookFrame {
            sid: sid()?,
            seq: seq()?,
            sending_ts_ms: env.sending_ts_ms,
            msg,
        }),
        Msg::Ticker(m) => Incoming::Ticker(data(&env, m)),
        Msg::Trade(m) => Incoming::Trade(data(&env, m)),
        Msg::Fill(m) => Incoming::Fill(data(&env, m)),
        Msg::UserOrder(m) => Incoming::UserOrder(data(&env, m)),
        Msg::MarketPosition(m) => Incoming::MarketPosition(data(&env, m)),
        Msg::MarketLifecycle(m) => Incoming::MarketLifecycle(data(&env, m)),
        Msg::EventLifecycle(m) => Incoming::EventLifecycle(data(&env, m)),
        Msg::Subscribed(subscription) => Incoming::Subscribed(Subscribed {
            id: env.id,
            subscription,
        }),
        Msg::Ok(body) => Incoming::Ok(OkResponse {
            id: env.id,
            sid: env.sid,
            seq: env.seq,
            body,
        }),
        Msg::Error(e) => Incoming::Error(ErrorResponse { id: env.id, ..e }),
        Msg::Ignored => Incoming::Unsubscribed(Unsubscribed {
            id: env.id,
            sid: sid()?,
            seq: env.seq,
        }),
    })
}
