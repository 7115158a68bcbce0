//! The recording `bench backtest` replays, generated: the simulator's catalogue of markets
//! (its default world), a forecast giving each a fair value, a snapshot per market, then
//! deltas of ±1 on the YES bids of every market in turn, 10 µs apart — written by the
//! recorder's own writer, so the replay reads what a recording holds.

use std::{borrow::Cow, path::Path, sync::Arc};

use chrono::{DateTime, Utc};
use kalshi::{
    Count, Price,
    level::PriceLevel,
    types::{MarketStatus, OutcomeSide},
    ws::{BookFrame, Incoming, OrderbookDelta, OrderbookSnapshot},
};
use kalshi_sim::{
    catalogue::{self, CatalogueConfig},
    engine::SimMarket,
    server::convert,
};
use tradewind_actors::recording::{RecorderCounters, Tapped};

use tradewind::record::{FileWriter, FlushPolicy};

/// Virtual time between two deltas, ns.
const SPACING_NS: u64 = 10_000;

/// Writes the recording into `dir`: `deltas` deltas after the markets, forecast and
/// snapshots. Answers the records written.
pub fn write(dir: &Path, deltas: u64, start: DateTime<Utc>) -> Result<u64, String> {
    let (_, infos) = catalogue::build(&CatalogueConfig::default(), start)?;
    let tickers: Vec<String> = infos.iter().map(|i| i.ticker.to_string()).collect();
    let mut w = FileWriter::new(
        dir,
        FlushPolicy::default(),
        Arc::new(RecorderCounters::default()),
    )
    .map_err(|e| format!("{}: {e}", dir.display()))?;
    let t0 = start
        .timestamp_nanos_opt()
        .and_then(|n| u64::try_from(n).ok())
        .ok_or("start out of range")?;
    let mut ns = t0;
    for info in infos {
        let mut m = SimMarket::new(info);
        m.status = MarketStatus::Active;
        let market = Box::new(convert::market(&m));
        w.push(Tapped::Market {
            recv_ns: ns,
            market,
        });
        ns += 1;
    }
    let probabilities: serde_json::Map<String, serde_json::Value> = tickers
        .iter()
        .map(|t| (t.clone(), serde_json::json!(0.5)))
        .collect();
    let json = serde_json::json!({ "probabilities": probabilities }).to_string();
    w.push(Tapped::Forecast { recv_ns: ns, json });
    for (i, t) in tickers.iter().enumerate() {
        ns += 1;
        w.push(frame(ns, &snapshot(t, i as u64 + 1))?);
    }
    for i in 0..deltas {
        ns += SPACING_NS;
        let t = &tickers[(i % tickers.len() as u64) as usize];
        let sid = (i % tickers.len() as u64) + 1;
        let seq = 2 + i / tickers.len() as u64;
        w.push(frame(ns, &delta(t, sid, seq, i / tickers.len() as u64))?);
    }
    w.close();
    Ok(tickers.len() as u64 * 2 + 1 + deltas)
}

fn frame(recv_ns: u64, f: &Incoming<'_>) -> Result<Tapped, String> {
    let text = f.encode().map_err(|e| e.to_string())?;
    Ok(Tapped::Frame {
        recv_ns,
        text: text.into_bytes().into(),
    })
}

fn levels(from_cents: u32) -> Vec<PriceLevel> {
    (from_cents..from_cents + 5)
        .filter_map(|c| {
            Some(PriceLevel::new(
                Price::from_cents(c)?,
                Count::from_whole(100),
            ))
        })
        .collect()
}

/// YES bids 0.40–0.44 and NO bids 0.52–0.56 (YES asks 0.44–0.48), one sid per market.
fn snapshot(ticker: &str, sid: u64) -> Incoming<'_> {
    Incoming::OrderbookSnapshot(BookFrame {
        sid,
        seq: 1,
        sending_ts_ms: None,
        msg: OrderbookSnapshot {
            market_ticker: Cow::Borrowed(ticker),
            market_id: Cow::Borrowed("9b0f6b43-5b68-4f9f-9f02-a2a8f3c6b1d2"),
            yes_dollars_fp: levels(40),
            no_dollars_fp: levels(52),
        },
    })
}

/// The `round`-th delta of a market: +1 on even rounds, −1 on odd, on one of its YES bids.
fn delta(ticker: &str, sid: u64, seq: u64, round: u64) -> Incoming<'_> {
    Incoming::OrderbookDelta(BookFrame {
        sid,
        seq,
        sending_ts_ms: None,
        msg: OrderbookDelta {
            market_ticker: Cow::Borrowed(ticker),
            market_id: Cow::Borrowed("9b0f6b43-5b68-4f9f-9f02-a2a8f3c6b1d2"),
            price_dollars: Price::from_cents(40 + (round / 2 % 5) as u32).unwrap_or(Price::ONE),
            delta_fp: if round.is_multiple_of(2) {
                Count::ONE
            } else {
                -Count::ONE
            },
            side: OutcomeSide::Yes,
            client_order_id: None,
            subaccount: None,
            ts: None,
            ts_ms: None,
        },
    })
}
