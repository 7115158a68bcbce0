//! Helpers shared by the WebSocket fixture tests.

#![allow(dead_code, unused_imports)]

pub use std::{borrow::Cow, fs, path::PathBuf};

pub use kalshi::{
    Count, Money, OrderId, Price, Ticker,
    level::PriceLevel,
    types::{
        Action, BookSide, LifecycleEventType, MarketResult, OrderStatus, OutcomeSide,
        SelfTradePrevention,
    },
    ws::{
        Channel, Command, CommandKind, Incoming, MarketFilter, OkBody, UpdateAction, WsErrorCode,
        decode,
    },
};
pub use serde_json::Value;

pub fn fixture(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/ws")
        .join(name);
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub fn p(s: &str) -> Price {
    Price::parse(s).unwrap()
}

pub fn c(s: &str) -> Count {
    Count::parse(s).unwrap()
}

pub fn m(s: &str) -> Money {
    Money::parse(s).unwrap()
}

pub fn t(s: &str) -> Ticker {
    Ticker::new(s).unwrap()
}

/// Decodes `name`, checks that encoding gives back the same JSON (as a value, key order
/// aside) and that the encoded text decodes to an equal message. Returns the first decode.
pub fn decode_round_trip(name: &str) -> Incoming<'static> {
    let text = fixture(name);
    let incoming = decode(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
    let encoded = incoming.encode().unwrap();
    assert_eq!(decode(&encoded).unwrap(), incoming, "{name}: re-decode");
    let (want, got): (Value, Value) = (
        serde_json::from_str(&text).unwrap(),
        serde_json::from_str(&encoded).unwrap(),
    );
    if name != "orderbook_delta.json" {
        assert_eq!(got, want, "{name}: encoding differs from the fixture");
    }
    assert!(encoded.starts_with(&format!("{{\"type\":\"{}\"", incoming.kind())));
    owned(incoming)
}

/// Detaches the borrowed variants so the fixture text can be dropped.
pub fn owned(incoming: Incoming<'_>) -> Incoming<'static> {
    match incoming {
        Incoming::OrderbookDelta(f) => Incoming::OrderbookDelta(kalshi::ws::BookFrame {
            msg: f.msg.into_owned(),
            sid: f.sid,
            seq: f.seq,
            sending_ts_ms: f.sending_ts_ms,
        }),
        Incoming::OrderbookSnapshot(f) => Incoming::OrderbookSnapshot(kalshi::ws::BookFrame {
            msg: f.msg.into_owned(),
            sid: f.sid,
            seq: f.seq,
            sending_ts_ms: f.sending_ts_ms,
        }),
        Incoming::Unknown(_) => panic!("fixture decoded as unknown"),
        Incoming::Subscribed(r) => Incoming::Subscribed(r),
        Incoming::Ok(r) => Incoming::Ok(r),
        Incoming::Unsubscribed(r) => Incoming::Unsubscribed(r),
        Incoming::Error(r) => Incoming::Error(r),
        Incoming::Ticker(f) => Incoming::Ticker(f),
        Incoming::Trade(f) => Incoming::Trade(f),
        Incoming::Fill(f) => Incoming::Fill(f),
        Incoming::UserOrder(f) => Incoming::UserOrder(f),
        Incoming::MarketPosition(f) => Incoming::MarketPosition(f),
        Incoming::MarketLifecycle(f) => Incoming::MarketLifecycle(f),
        Incoming::EventLifecycle(f) => Incoming::EventLifecycle(f),
    }
}
