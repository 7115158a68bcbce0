//! What a live feed would have carried, made from downloaded history — pure: the market as it
//! was listed (nothing it ended with: no result, no settlement, no traded volume), a book
//! snapshot of a candle's closing quotes with an assumed depth, a public trade, and the
//! market's determination and settlement. Frames are the `kalshi` crate's own frame types,
//! decoded already: the replay takes them where it takes a recording's after decoding.

use std::borrow::Cow;

use chrono::{DateTime, Utc};
use kalshi::{
    Count, Price, Ticker,
    level::PriceLevel,
    rest::Market,
    types::{BookSide, MarketResult, MarketStatus, OutcomeSide},
    ws::{BookFrame, DataFrame, Incoming, OrderbookSnapshot, Trade},
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
    m.is_provisional = None;
    m.expiration_time = None;
    m.updated_time = m.open_time;
    // No quote yet: bids at 0, asks at 1 (as Kalshi shows an empty side).
    (m.yes_ask_dollars, m.no_ask_dollars) = (Price::ONE, Price::ONE);
    for p in [
        &mut m.yes_bid_dollars,
        &mut m.no_bid_dollars,
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
) -> Incoming<'static> {
    let msg = OrderbookSnapshot {
        market_ticker: Cow::Owned(ticker.to_owned()),
        market_id: Cow::Borrowed(""),
        yes_dollars_fp: bid.map(|p| PriceLevel::new(p, depth)).into_iter().collect(),
        no_dollars_fp: ask
            .map(|p| PriceLevel::new(p.complement(), depth))
            .into_iter()
            .collect(),
    };
    Incoming::OrderbookSnapshot(BookFrame {
        sid,
        seq,
        sending_ts_ms: None,
        msg,
    })
}

/// A public `trade` frame (`None`: a ticker that is not one).
pub fn trade_frame(t: &TradeRow, sid: u64) -> Option<Incoming<'static>> {
    let market_ticker = Ticker::new(&*t.ticker).ok()?;
    Some(Incoming::Trade(DataFrame::new(
        sid,
        Trade {
            trade_id: t.trade_id.clone(),
            market_ticker,
            yes_price_dollars: t.yes_price,
            no_price_dollars: Some(t.yes_price.complement()),
            count_fp: t.count,
            taker_side: None,
            taker_outcome_side: t
                .taker_outcome_side
                .as_deref()
                .and_then(OutcomeSide::from_wire),
            taker_book_side: t.taker_book_side.as_deref().and_then(BookSide::from_wire),
            ts: Some(t.at_us.div_euclid(1_000_000)),
            ts_ms: Some(t.at_us.div_euclid(1_000)),
        },
    )))
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

/// `market_lifecycle_v2` frames of `m`'s determination at `determined` with `result` and
/// `value`, then its settlement at `settled`.
pub fn outcome_frames(
    m: &Market,
    (determined, settled): (DateTime<Utc>, DateTime<Utc>),
    (result, value): (MarketResult, Price),
) -> [Option<Incoming<'static>>; 2] {
    let determined = json!({
        "event_type": "determined",
        "market_ticker": m.ticker,
        "result": result,
        "determination_ts": determined.timestamp(),
        "settlement_value": value,
    });
    let settled = json!({
        "event_type": "settled",
        "market_ticker": m.ticker,
        "settled_ts": settled.timestamp(),
    });
    [determined, settled].map(|msg| {
        let e = serde_json::from_value(msg).ok()?;
        Some(Incoming::MarketLifecycle(DataFrame::new(0, e)))
    })
}
