//! A market's price history for the candlestick endpoints: one [`Bar`] per UTC minute in
//! which something happened — a trade, or a change of the best YES bid or ask — kept as the
//! market trades ([`Candles::trade`], [`Candles::quote`]) and folded into 1-, 60- or
//! 1440-minute candles on request ([`Candles::candles`]).
//!
//! Choices where Kalshi is silent:
//! - periods are aligned to multiples of their length in Unix time (UTC minutes, hours,
//!   days); the candle with `end_period_ts = E` covers `[E − length, E)`;
//! - only periods with activity have a candle (UNCERTAIN: Kalshi may also send quiet
//!   periods); `include_latest_before_start` adds the last such candle ending before the
//!   window;
//! - a quiet market's bid and ask are `0` and `1`, as `GET /markets` shows them; the open of
//!   the bid/ask is the quote standing when the period began;
//! - the mean price is volume-weighted, floored to a micro-dollar; `previous` is the last
//!   trade price before the period; open interest is the one at the period's last activity.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use kalshi::{Count, Money, Price};

/// Open, high, low and close of a quote or price.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ohlc {
    /// First value.
    pub open: Price,
    /// Highest.
    pub high: Price,
    /// Lowest.
    pub low: Price,
    /// Last value.
    pub close: Price,
}

impl Ohlc {
    fn new(p: Price) -> Ohlc {
        Ohlc {
            open: p,
            high: p,
            low: p,
            close: p,
        }
    }

    fn push(&mut self, p: Price) {
        self.high = self.high.max(p);
        self.low = self.low.min(p);
        self.close = p;
    }

    fn merge(&mut self, later: &Ohlc) {
        self.high = self.high.max(later.high);
        self.low = self.low.min(later.low);
        self.close = later.close;
    }
}

/// What happened in one minute (or, folded, one period).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bar {
    /// Best YES bid.
    pub bid: Ohlc,
    /// Best YES ask.
    pub ask: Ohlc,
    /// Traded YES price, if anything traded.
    pub price: Option<Ohlc>,
    /// YES notional traded, for the mean.
    pub notional: Money,
    /// Contracts traded.
    pub volume: Count,
    /// Open interest at the last activity.
    pub open_interest: Count,
}

impl Bar {
    fn merge(&mut self, later: &Bar) {
        self.bid.merge(&later.bid);
        self.ask.merge(&later.ask);
        self.price = match (self.price, later.price) {
            (Some(mut a), Some(b)) => {
                a.merge(&b);
                Some(a)
            }
            (a, b) => a.or(b),
        };
        self.notional += later.notional;
        self.volume += later.volume;
        self.open_interest = later.open_interest;
    }

    /// The volume-weighted mean traded price, floored to a micro-dollar.
    pub fn mean(&self) -> Option<Price> {
        if !self.volume.is_positive() {
            return None;
        }
        let micros = i128::from(self.notional.micros()) * 100 / i128::from(self.volume.centis());
        u32::try_from(micros).ok().and_then(Price::from_micros)
    }
}

/// One folded period, ready for the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Candle {
    /// End of the period, Unix seconds (exclusive).
    pub end_ts: i64,
    /// What happened in it.
    pub bar: Bar,
    /// The last trade price before it.
    pub previous: Option<Price>,
}

/// A market's minute bars and the quote and price standing now.
#[derive(Debug, Clone)]
pub struct Candles {
    bars: BTreeMap<i64, Bar>,
    quote: (Price, Price),
    open_interest: Count,
}

impl Default for Candles {
    fn default() -> Self {
        Candles {
            bars: BTreeMap::new(),
            quote: (Price::ZERO, Price::ONE),
            open_interest: Count::ZERO,
        }
    }
}

fn minute(ts: DateTime<Utc>) -> i64 {
    ts.timestamp().div_euclid(60) * 60
}

impl Candles {
    /// The bar of `ts`'s minute, opened at the standing quote if new.
    fn bar(&mut self, ts: DateTime<Utc>) -> &mut Bar {
        let (bid, ask) = self.quote;
        let open_interest = self.open_interest;
        self.bars.entry(minute(ts)).or_insert_with(|| Bar {
            bid: Ohlc::new(bid),
            ask: Ohlc::new(ask),
            price: None,
            notional: Money::ZERO,
            volume: Count::ZERO,
            open_interest,
        })
    }

    /// Records a trade of `count` at `price`.
    pub fn trade(&mut self, ts: DateTime<Utc>, price: Price, count: Count) {
        let bar = self.bar(ts);
        match &mut bar.price {
            Some(p) => p.push(price),
            None => bar.price = Some(Ohlc::new(price)),
        }
        bar.notional += price.notional(count);
        bar.volume += count;
    }

    /// Records the best bid and ask and the open interest after a change.
    pub fn quote(&mut self, ts: DateTime<Utc>, bid: Price, ask: Price, open_interest: Count) {
        if (bid, ask) == self.quote && open_interest == self.open_interest {
            return;
        }
        let bar = self.bar(ts);
        bar.bid.push(bid);
        bar.ask.push(ask);
        bar.open_interest = open_interest;
        self.quote = (bid, ask);
        self.open_interest = open_interest;
    }

    /// Candles of `period_min` minutes ending within `start_ts..=end_ts` (Unix seconds),
    /// oldest first; with `include_before`, also the last one ending before `start_ts`.
    pub fn candles(
        &self,
        start_ts: i64,
        end_ts: i64,
        period_min: u32,
        include_before: bool,
    ) -> Vec<Candle> {
        let len = i64::from(period_min) * 60;
        let mut folded: BTreeMap<i64, Bar> = BTreeMap::new();
        for (&m, bar) in self.bars.range(..end_ts) {
            let end = m.div_euclid(len) * len + len;
            folded
                .entry(end)
                .and_modify(|b| b.merge(bar))
                .or_insert(*bar);
        }
        let before = folded.range(..start_ts).next_back().map(|(e, _)| *e);
        let first = if include_before {
            before.unwrap_or(start_ts)
        } else {
            start_ts
        };
        folded
            .range(first..=end_ts)
            .map(|(&end_ts, bar)| Candle {
                end_ts,
                bar: *bar,
                previous: self.last_price_before(end_ts - len),
            })
            .collect()
    }

    /// The best YES bid and ask standing at `ts` (Unix seconds; the close of the last minute
    /// with activity that began before it); `None` before any activity.
    pub fn quote_at(&self, ts: i64) -> Option<(Price, Price)> {
        self.bars
            .range(..ts)
            .next_back()
            .map(|(_, b)| (b.bid.close, b.ask.close))
    }

    fn last_price_before(&self, ts: i64) -> Option<Price> {
        self.bars
            .range(..ts)
            .rev()
            .find_map(|(_, b)| b.price.map(|p| p.close))
    }
}

/// Where the candles of `markets` markets over `start_ts..=end_ts` in periods of
/// `period_s` seconds must stop so that together they hold at most `max_candles`: `end_ts`
/// itself when they fit, else the last second before the period that would overflow.
/// UNCERTAIN: Kalshi documents the adjustment ("if the requested candlesticks would be larger
/// than maxAggregateCandidates") but not its bound; the simulator uses the per-market one.
pub fn aggregate_end(
    start_ts: i64,
    end_ts: i64,
    period_s: i64,
    markets: usize,
    max_candles: i64,
) -> i64 {
    let per_market = max_candles / i64::try_from(markets.max(1)).unwrap_or(i64::MAX);
    let last = start_ts + per_market.max(1) * period_s.max(1) - 1;
    end_ts.min(last)
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn at(s: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_770_800_000 + s, 0).unwrap()
    }

    fn p(s: &str) -> Price {
        Price::parse(s).unwrap()
    }

    #[test]
    fn an_event_window_is_cut_to_the_aggregate_bound() {
        // 6 markets × 100 minutes fit in 1000 candles; 6 × 200 do not: 166 periods each.
        assert_eq!(aggregate_end(0, 6000, 60, 6, 1000), 6000);
        assert_eq!(aggregate_end(0, 12_000, 60, 6, 1000), 166 * 60 - 1);
        assert_eq!(aggregate_end(0, 12_000, 60, 0, 1000), 12_000);
    }

    #[test]
    fn minutes_fold_into_hours_with_standing_quotes_and_prices() {
        let mut c = Candles::default();
        c.quote(at(0), p("0.40"), p("0.60"), Count::ZERO);
        c.trade(at(10), p("0.60"), Count::from_whole(2));
        c.quote(at(10), p("0.40"), p("0.62"), Count::from_whole(2));
        c.trade(at(130), p("0.40"), Count::from_whole(1));
        c.quote(at(130), p("0.38"), p("0.62"), Count::from_whole(3));
        let base = 1_770_800_000;
        let minutes = c.candles(base, base + 3600, 1, false);
        assert_eq!(minutes.len(), 2, "two minutes had activity");
        assert_eq!(minutes[1].previous, Some(p("0.60")));
        assert_eq!(
            minutes[1].bar.bid.open,
            p("0.40"),
            "the quote standing at its start"
        );
        let hours = c.candles(base - 3600, base + 7200, 60, false);
        let [hour] = hours.as_slice() else {
            panic!("{hours:?}")
        };
        let price = hour.bar.price.unwrap();
        assert_eq!(
            (price.open, price.high, price.low, price.close),
            (p("0.60"), p("0.60"), p("0.40"), p("0.40"))
        );
        assert_eq!(hour.bar.mean(), Some(Price::from_micros(533_333).unwrap()));
        let bid = hour.bar.bid;
        assert_eq!(
            (bid.open, bid.high, bid.close),
            (Price::ZERO, p("0.40"), p("0.38"))
        );
        assert_eq!(hour.bar.ask.high, Price::ONE, "a quiet market's ask is 1");
        assert_eq!(hour.bar.open_interest, Count::from_whole(3));
        assert_eq!(hour.bar.volume, Count::from_whole(3));
        let later = c.candles(base + 3600, base + 7200, 60, true);
        assert_eq!(later.len(), 1, "the hour before the window is included");
        assert!(c.candles(base + 3600, base + 7200, 60, false).is_empty());
    }
}
