//! A market of the simulated exchange: its public metadata, status, statistics and resting
//! book, plus the hidden truth (a temperature distribution shared by its event) that the
//! market makers lean on and settlement draws from.

use chrono::{DateTime, Utc};
use kalshi::{
    Count, EventTicker, Money, Price, SeriesTicker, Ticker,
    num::{PriceLevelStructure, PriceRanges},
    types::{MarketResult, MarketStatus},
};

use kalshi::fees::FeeType;

use super::{book::RestingBook, candles::Candles, notice::TickerSnapshot};

/// How a market's strike is defined, as Kalshi's `strike_type`, `floor_strike`, `cap_strike`.
/// Temperatures in °F, not money, so plain floats are fine here.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Strike {
    /// YES if the value is within `floor..=cap`.
    Between {
        /// Lowest value that pays YES.
        floor: f64,
        /// Highest value that pays YES.
        cap: f64,
    },
    /// YES if the value is strictly above `floor`.
    Greater {
        /// Threshold.
        floor: f64,
    },
    /// YES if the value is strictly below `cap`.
    Less {
        /// Threshold.
        cap: f64,
    },
}

impl Strike {
    /// Whether an observed value pays YES.
    pub fn pays_yes(self, value: f64) -> bool {
        match self {
            Strike::Between { floor, cap } => value >= floor && value <= cap,
            Strike::Greater { floor } => value > floor,
            Strike::Less { cap } => value < cap,
        }
    }

    /// Kalshi's `strike_type` string.
    pub fn strike_type(self) -> &'static str {
        match self {
            Strike::Between { .. } => "between",
            Strike::Greater { .. } => "greater",
            Strike::Less { .. } => "less",
        }
    }
}

/// Public metadata that does not change while trading.
#[derive(Debug, Clone)]
pub struct MarketInfo {
    /// Market ticker.
    pub ticker: Ticker,
    /// Event ticker.
    pub event_ticker: EventTicker,
    /// Series ticker.
    pub series_ticker: SeriesTicker,
    /// Market title (deprecated on Kalshi, still sent).
    pub title: String,
    /// What YES means.
    pub yes_sub_title: String,
    /// What NO means.
    pub no_sub_title: String,
    /// Rules text.
    pub rules_primary: String,
    /// Strike definition.
    pub strike: Strike,
    /// Price grid name.
    pub price_level_structure: PriceLevelStructure,
    /// Price grid.
    pub price_ranges: PriceRanges,
    /// Fee model of the series.
    pub fee_type: FeeType,
    /// Creation time.
    pub created_time: DateTime<Utc>,
    /// Opening time.
    pub open_time: DateTime<Utc>,
    /// Closing time (may move with `close_date_updated`).
    pub close_time: DateTime<Utc>,
    /// Latest possible expiration.
    pub latest_expiration_time: DateTime<Utc>,
    /// Seconds between determination and settlement.
    pub settlement_timer_seconds: i64,
}

/// A market: metadata, live state and the resting book.
#[derive(Debug, Clone)]
pub struct SimMarket {
    /// Metadata.
    pub info: MarketInfo,
    /// Status.
    pub status: MarketStatus,
    /// Result once determined.
    pub result: MarketResult,
    /// YES settlement value once determined.
    pub settlement_value: Option<Price>,
    /// Determination time.
    pub determined_at: Option<DateTime<Utc>>,
    /// Settlement time.
    pub settled_at: Option<DateTime<Utc>>,
    /// Last metadata or status change.
    pub updated_time: DateTime<Utc>,
    /// Resting orders.
    pub book: RestingBook,
    /// Last trade price.
    pub last_price: Price,
    /// Size of the last trade.
    pub last_trade_size: Count,
    /// Contracts traded.
    pub volume: Count,
    /// Dollars traded (YES notional).
    pub dollar_volume: Money,
    /// Contracts outstanding (sum of YES positions).
    pub open_interest: Count,
    /// Minute bars of trades and quotes, for candlesticks.
    pub candles: Candles,
}

impl SimMarket {
    /// A new market in `initialized` state (opened by the lifecycle clock at `open_time`).
    pub fn new(info: MarketInfo) -> SimMarket {
        SimMarket {
            updated_time: info.created_time,
            info,
            status: MarketStatus::Initialized,
            result: MarketResult::None,
            settlement_value: None,
            determined_at: None,
            settled_at: None,
            book: RestingBook::default(),
            last_price: Price::ZERO,
            last_trade_size: Count::ZERO,
            volume: Count::ZERO,
            dollar_volume: Money::ZERO,
            open_interest: Count::ZERO,
            candles: Candles::default(),
        }
    }

    /// Records a trade of `count` at `yes_price` in the market's statistics and candles.
    pub(super) fn record_trade(&mut self, yes_price: Price, count: Count, now: DateTime<Utc>) {
        self.last_price = yes_price;
        self.last_trade_size = count;
        self.volume += count;
        self.dollar_volume += yes_price.notional(count);
        self.candles.trade(now, yes_price, count);
    }

    /// The `ticker` channel's view of the market now.
    pub fn ticker_snapshot(&self, ts: DateTime<Utc>) -> TickerSnapshot {
        let (bid, ask) = self.book.top();
        TickerSnapshot {
            ticker: self.info.ticker.clone(),
            last_price: self.last_price,
            yes_bid: bid.map_or(Price::ZERO, |b| b.price),
            yes_ask: ask.map_or(Price::ONE, |a| a.price),
            yes_bid_size: bid.map_or(Count::ZERO, |b| b.count),
            yes_ask_size: ask.map_or(Count::ZERO, |a| a.count),
            last_trade_size: self.last_trade_size,
            volume: self.volume,
            open_interest: self.open_interest,
            dollar_volume: self.dollar_volume,
            ts,
        }
    }
}
