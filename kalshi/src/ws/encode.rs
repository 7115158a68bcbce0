//! The `Serialize` impl of [`Incoming`]: writes the documented frame, `type` first (so
//! [`super::decode`]'s one-pass and fast paths apply to what the simulator sends), then `id`,
//! `sid`, `seq`, `sending_ts_ms` when present, then `msg`. An [`Incoming::Unknown`] is
//! written back verbatim.

use serde::{
    Serialize, Serializer,
    ser::{self, SerializeMap},
};
use serde_json::value::RawValue;

use super::{BookFrame, DataFrame, Incoming, OkBody, decode::Env};

impl Serialize for Incoming<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let none = Env::default();
        match self {
            Incoming::Subscribed(r) => {
                let env = Env { id: r.id, ..none };
                frame(s, "subscribed", env, Some(&r.subscription))
            }
            Incoming::Ok(r) => {
                let env = Env {
                    id: r.id,
                    sid: r.sid,
                    seq: r.seq,
                    ..none
                };
                let body = (r.body != OkBody::Empty).then_some(&r.body);
                frame(s, "ok", env, body)
            }
            Incoming::Unsubscribed(r) => {
                let env = Env {
                    id: r.id,
                    sid: Some(r.sid),
                    seq: r.seq,
                    ..none
                };
                frame::<_, ()>(s, "unsubscribed", env, None)
            }
            Incoming::Error(r) => frame(s, "error", Env { id: r.id, ..none }, Some(r)),
            Incoming::OrderbookSnapshot(f) => book(s, "orderbook_snapshot", f),
            Incoming::OrderbookDelta(f) => book(s, "orderbook_delta", f),
            Incoming::Ticker(f) => data_frame(s, "ticker", f),
            Incoming::Trade(f) => data_frame(s, "trade", f),
            Incoming::Fill(f) => data_frame(s, "fill", f),
            Incoming::UserOrder(f) => data_frame(s, "user_order", f),
            Incoming::MarketPosition(f) => data_frame(s, "market_position", f),
            Incoming::MarketLifecycle(f) => data_frame(s, "market_lifecycle_v2", f),
            Incoming::EventLifecycle(f) => data_frame(s, "event_lifecycle", f),
            Incoming::Unknown(u) => {
                let raw: &RawValue = serde_json::from_str(&u.raw).map_err(ser::Error::custom)?;
                raw.serialize(s)
            }
        }
    }
}

/// Writes `{"type":..,"id":..,"sid":..,"seq":..,"sending_ts_ms":..,"msg":..}`, leaving out
/// what is absent.
fn frame<S: Serializer, M: Serialize>(
    s: S,
    kind: &str,
    env: Env,
    msg: Option<&M>,
) -> Result<S::Ok, S::Error> {
    let mut m = s.serialize_map(None)?;
    m.serialize_entry("type", kind)?;
    if let Some(id) = env.id {
        m.serialize_entry("id", &id)?;
    }
    if let Some(sid) = env.sid {
        m.serialize_entry("sid", &sid)?;
    }
    if let Some(seq) = env.seq {
        m.serialize_entry("seq", &seq)?;
    }
    if let Some(ts) = env.sending_ts_ms {
        m.serialize_entry("sending_ts_ms", &ts)?;
    }
    if let Some(msg) = msg {
        m.serialize_entry("msg", msg)?;
    }
    m.end()
}

fn book<S: Serializer, M: Serialize>(
    s: S,
    kind: &str,
    f: &BookFrame<M>,
) -> Result<S::Ok, S::Error> {
    let env = Env {
        id: None,
        sid: Some(f.sid),
        seq: Some(f.seq),
        sending_ts_ms: f.sending_ts_ms,
    };
    frame(s, kind, env, Some(&f.msg))
}

fn data_frame<S: Serializer, M: Serialize>(
    s: S,
    kind: &str,
    f: &DataFrame<M>,
) -> Result<S::Ok, S::Error> {
    let env = Env {
        id: None,
        sid: f.sid,
        seq: f.seq,
        sending_ts_ms: f.sending_ts_ms,
    };
    frame(s, kind, env, Some(&f.msg))
}
