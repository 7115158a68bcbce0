//! The quoter's write pace (pure, on the engine's clock): a token bucket of writes per second
//! for all markets, and a least interval between two writes on one side of one market. A
//! placement or an amend takes a token; cancels are never held back and take none (the
//! gateway keeps a share of the exchange's budget for them).

use std::collections::HashMap;

use chrono::{DateTime, TimeDelta, Utc};
use kalshi::{Ticker, types::BookSide};

/// The write pace.
#[derive(Debug)]
pub struct Pace {
    rate: f64,
    burst: f64,
    tokens: f64,
    filled_at: Option<DateTime<Utc>>,
    min_interval: TimeDelta,
    last: HashMap<(Ticker, BookSide), DateTime<Utc>>,
}

impl Pace {
    /// `rate` writes a second after a burst of `burst`; `min_interval_ms` between two writes on
    /// one side of one market.
    pub fn new(rate: f64, burst: u32, min_interval_ms: u64) -> Pace {
        let burst = f64::from(burst.max(1));
        Pace {
            rate: rate.max(0.0),
            burst,
            tokens: burst,
            filled_at: None,
            min_interval: TimeDelta::milliseconds(
                i64::try_from(min_interval_ms).unwrap_or(i64::MAX),
            ),
            last: HashMap::new(),
        }
    }

    fn refill(&mut self, now: DateTime<Utc>) {
        if let Some(at) = self.filled_at {
            let secs = (now - at).num_microseconds().unwrap_or(i64::MAX) as f64 / 1e6;
            if secs > 0.0 {
                self.tokens = (self.tokens + secs * self.rate).min(self.burst);
            } else {
                return;
            }
        }
        self.filled_at = Some(now);
    }

    /// Whether a write on `side` of `ticker` may go now; if so, it is counted.
    pub fn try_write(&mut self, ticker: &Ticker, side: BookSide, now: DateTime<Utc>) -> bool {
        let key = (ticker.clone(), side);
        if self
            .last
            .get(&key)
            .is_some_and(|at| now - *at < self.min_interval)
        {
            return false;
        }
        self.refill(now);
        if self.tokens < 1.0 {
            return false;
        }
        self.tokens -= 1.0;
        self.last.insert(key, now);
        true
    }
}
