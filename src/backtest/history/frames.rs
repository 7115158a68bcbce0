//! What a live feed would have carried, made from downloaded history — pure: the market as it
//! was listed (nothing it ended with: no result, no settlement, no traded volume), a book
//! snapshot of a candle's closing quotes with an assumed depth, a public trade, and the
//! market's determination and settlement. Frames are the exchange's own JSON, so the replay
//! takes them through Kalshi's decoder as it takes a recording's.

use std::borrow::Cow;

use kalshi::{
    Count, Price,
    level::PriceLevel,
    rest::Market,
    types::{MarketResult, MarketStatus},
    ws::OrderbookSnapshot,
};
use serde_json::json;

use super::read::TradeRow;

/// `m` as it stood when it opened: active, its result, settlement, quotes and volume not yet
/// known (so nothing from its end leaks into the replay).
pub fn as_listed(m: &Market) -> Market {
    let mut m = m.clone();
    m.status = MarketStatus::Active;
    m.result = MarketResult::None;
    m.settlement_value_dollars = None;
    m.settlement_ts = None;
    m.expiration_value = String::new();
    m.updated_time = m.open_time;
    for p in [
        &mut m.yes_bid_dollars,
        &mut m.yes_ask_dollars,
        &mut m.no_bid_dollars,
        &mut m.no_ask_dollars,
        &mut m.last_price_dollars,
        &mut m.previous_yes_bid_dollars,
        &mut m.previous_yes_ask_dollars,
        &mut m.previous_price_dollars,
    ] {
        *p = Price::ZERO;
    }
    for c in [
        &mut m.yes_bid_size_fp,
        &mut m.yes_ask_size_fp,
        &mut m.volume_fp,
        &mut m.volume_24h_fp,
        &mut m.open_interest_fp,
    ] {
        *c = Count::ZERO;
    }
    m
}

/// A candle's closing quotes as book levels: the YES bid, and the YES ask as a NO bid at its
/// complement. A quote at `0` or `1` is no quote (a quiet market shows bid 0, ask 1); a
/// crossed or locked pair is `None` (not a book).
pub fn quotes(bid: Price, ask: Price) -> Option<(Option<Price>, Option<Price>)> {
    let inside = |p: Price| p > Price::ZERO && p < Price::ONE;
    let (bid, ask) = (
        Some(bid).filter(|p| inside(*p)),
        Some(ask).filter(|p| inside(*p)),
    );
    match (bid, ask) {
        (Some(b), Some(a)) if b >= a => None,
        q => Some(q),
    }
}

/// An `orderbook_snapshot` frame of `ticker` holding `depth` contracts at each quote.
pub fn snapshot_frame(
    ticker: &str,
    (sid, seq): (u64, u64),
    (bid, ask): (Option<Price>, Option<Price>),
    depth: Count,
) -> String {
    let snap = OrderbookSnapshot {
        market_ticker: Cow::Borrowed(ticker),
        market_id: Cow::Borrowed(""),
        yes_dollars_fp: bid.map(|p| PriceLevel::new(p, depth)).into_iter().collect(),
        no_dollars_fp: ask
            .map(|p| PriceLevel::new(p.complement(), depth))
            .into_iter()
            .collect(),
    };
    json!({"type": "orderbook_snapshot", "sid": sid, "seq": seq, "msg": snap}).to_string()
}

/// A public `trade` frame.
pub fn trade_frame(t: &TradeRow, sid: u64) -> String {
    let mut msg = json!({
        "trade_id": t.trade_id,
        "market_ticker": t.ticker,
        "yes_price_dollars": t.yes_price,
        "no_price_dollars": t.yes_price.complement(),
        "count_fp": t.count,
        "ts": t.at_us.div_euclid(1_000_000),
        "ts_ms": t.at_us.div_euclid(1_000),
    });
    for (key, v) in [
        ("taker_outcome_side", &t.taker_outcome_side),
        ("taker_book_side", &t.taker_book_side),
    ] {
        if let Some(v) = v {
            msg[key] = json!(v);
        }
    }
    json!({"type": "trade", "sid": sid, "msg": msg}).to_string()
}

/// The YES value `m` settled at: its recorded value, else what its result implies (`yes`
/// pays a dollar, `no` nothing); `None` for a market not determined (or a scalar result
/// without its value).
pub fn settlement_value(m: &Market) -> Option<(MarketResult, Price)> {
    let value = match (&m.result, m.settlement_value_dollars) {
        (MarketResult::None | MarketResult::Other(_), _) => return None,
        (_, Some(v)) => v,
        (MarketResult::Yes, None) => Price::ONE,
        (MarketResult::No, None) => Price::ZERO,
        _ => return None,
    };
    Some((m.result.clone(), value))
}

/// `market_lifecycle_v2` frames of `m`'s determination at `ts` (Unix s) with `result` and
/// `value`, then its settlement.
pub fn outcome_frames(m: &Market, ts: i64, (result, value): (MarketResult, Price)) -> [String; 2] {
    let determined = json!({
        "event_type": "determined",
        "market_ticker": m.ticker,
        "result": result,
        "determination_ts": ts,
        "settlement_value": value,
    });
    let settled = json!({
        "event_type": "settled",
        "market_ticker": m.ticker,
        "settled_ts": ts,
    });
    [determined, settled]
        .map(|msg| json!({"type": "market_lifecycle_v2", "sid": 0, "msg": msg}).to_string())
}
