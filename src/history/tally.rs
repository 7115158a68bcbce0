//! Counts of a download and the read-budget measures, pure: rows and part files per table,
//! markets done, and from the gateway's answer counts the requests, 429s and read tokens
//! spent. Read budget used = tokens spent ÷ (refill rate × elapsed), the measure of
//! `tradewind bench gateway`: the gateway starts with its buckets empty (the exchange's may
//! not be full) and paces at the refill rate, so 100 % is a download that kept it busy the
//! whole time. Counting the bucket's initial burst too — tokens ÷ (burst + rate × elapsed),
//! the most a full exchange bucket would have let through — gives the second, lower figure;
//! the gap is the burst the gateway deliberately leaves unspent, largest on short runs.

use std::collections::BTreeMap;

use kalshi::{
    limits::{self, Bucket},
    rest::Endpoint,
};

/// Rows, parts and markets done.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    /// Market rows written.
    pub markets: u64,
    /// Trade rows written.
    pub trades: u64,
    /// Candle rows written.
    pub candles: u64,
    /// Part files written.
    pub parts: u64,
    /// Markets whose trades and candles are complete / markets planned.
    pub markets_done: (u64, u64),
    /// Live trade pages not listed newest first (warned on stderr).
    pub out_of_order: u64,
}

/// What the gateway answered, by `METHOD /template STATUS`.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Budget {
    /// Answers (any status).
    pub requests: u64,
    /// 429s among them.
    pub rate_limited: u64,
    /// Read tokens they cost (documented costs).
    pub read_tokens: u64,
}

impl Budget {
    /// From the gateway's counters.
    pub fn from_counts(by_endpoint: &BTreeMap<String, u64>) -> Budget {
        let mut b = Budget::default();
        for (key, n) in by_endpoint {
            let mut words = key.split(' ');
            let (Some(method), Some(template), Some(status)) =
                (words.next(), words.next(), words.next())
            else {
                continue;
            };
            b.requests += n;
            if status == "429" {
                b.rate_limited += n;
            }
            let endpoint = Endpoint::ALL
                .iter()
                .find(|e| e.method().as_str() == method && e.template() == template);
            if let Some(e) = endpoint.filter(|e| e.bucket() == Bucket::Read) {
                b.read_tokens += u64::from(limits::cost(*e, 1)) * n;
            }
        }
        b
    }

    /// Share of the read budget used over `elapsed_s` at `rate` tokens/s.
    pub fn read_use(&self, rate: u64, elapsed_s: f64) -> f64 {
        self.read_use_with_burst(rate, 0, elapsed_s)
    }

    /// Share of the read budget used over `elapsed_s` at `rate` tokens/s by a bucket that
    /// held `burst` tokens at the start.
    pub fn read_use_with_burst(&self, rate: u64, burst: u64, elapsed_s: f64) -> f64 {
        let most = burst as f64 + rate as f64 * elapsed_s;
        if most > 0.0 {
            self.read_tokens as f64 / most
        } else {
            0.0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_come_from_answers_and_the_measure_is_per_second_of_refill() {
        let counts: BTreeMap<String, u64> = [
            ("GET /markets/trades 200".to_owned(), 18),
            ("GET /historical/trades 429".to_owned(), 1),
            ("GET /account/limits 200".to_owned(), 1),
        ]
        .into();
        let b = Budget::from_counts(&counts);
        assert_eq!((b.requests, b.rate_limited, b.read_tokens), (20, 1, 200));
        assert!((b.read_use(100, 2.0) - 1.0).abs() < 1e-9);
        assert!((b.read_use_with_burst(100, 200, 2.0) - 0.5).abs() < 1e-9);
    }
}
