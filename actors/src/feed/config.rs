//! `[feed]` configuration: the socket (frame size, timeouts), the reconnect policy, resync
//! and subscription sizing, and the initial watch list. Unknown keys are errors;
//! [`FeedConfig::validate`] reports every bad value at once, each naming its field.

use std::time::Duration;

use kalshi::Ticker;
use serde::{Deserialize, Serialize};

/// Settings of the market-data feed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FeedConfig {
    /// Largest WebSocket frame accepted, bytes (awc's default of 64 KiB is too small for the
    /// snapshot of a deep book).
    pub max_frame_bytes: usize,
    /// Time allowed for the TCP/TLS connect and the upgrade, ms.
    pub connect_timeout_ms: u64,
    /// No frame at all (data or ping) for this long means the socket is dead, ms. Kalshi
    /// pings every 10 s.
    pub idle_timeout_ms: u64,
    /// Smallest delay before any reconnect, ms: never a tight loop.
    pub reconnect_min_ms: u64,
    /// Ceiling of the first reconnect delay, ms (exponential, full jitter).
    pub reconnect_base_ms: u64,
    /// Largest reconnect delay, ms.
    pub reconnect_cap_ms: u64,
    /// A connection that lived this long resets the reconnect delay to its first step, ms.
    pub stable_after_ms: u64,
    /// A book whose requested snapshot has not come within this long has its subscription
    /// re-created, ms.
    pub resync_timeout_ms: u64,
    /// Markets per `orderbook_delta` subscription. A gap in one subscription's `seq` marks
    /// only its markets stale, so smaller subscriptions resync less.
    pub max_markets_per_subscription: usize,
    /// Markets to watch from the start (the metadata cache replaces the list later).
    pub watch: Vec<Ticker>,
    /// Also subscribe every market's public trades (`trade`). The engine does not use them;
    /// `tradewind record` and `tradewind run --record` turn it on so that a backtest of the
    /// recording can fill resting orders from the trades at their price.
    pub public_trades: bool,
}

impl Default for FeedConfig {
    fn default() -> Self {
        FeedConfig {
            max_frame_bytes: 16 << 20,
            connect_timeout_ms: 10_000,
            idle_timeout_ms: 30_000,
            reconnect_min_ms: 250,
            reconnect_base_ms: 1_000,
            reconnect_cap_ms: 30_000,
            stable_after_ms: 60_000,
            resync_timeout_ms: 5_000,
            max_markets_per_subscription: 200,
            watch: Vec::new(),
            public_trades: false,
        }
    }
}

/// Milliseconds as a duration.
pub(crate) fn ms(v: u64) -> Duration {
    Duration::from_millis(v)
}

impl FeedConfig {
    /// Every invalid value, each naming its field (`feed.<field>: ...`).
    pub fn validate(&self) -> Result<(), Vec<String>> {
        let mut errs = Vec::new();
        let mut positive = |name: &str, v: u64| {
            if v == 0 {
                errs.push(format!("feed.{name}: must be positive"));
            }
        };
        positive("connect_timeout_ms", self.connect_timeout_ms);
        positive("idle_timeout_ms", self.idle_timeout_ms);
        positive("reconnect_min_ms", self.reconnect_min_ms);
        positive("reconnect_base_ms", self.reconnect_base_ms);
        positive("resync_timeout_ms", self.resync_timeout_ms);
        positive(
            "max_markets_per_subscription",
            self.max_markets_per_subscription as u64,
        );
        if self.max_frame_bytes < 64 << 10 {
            errs.push(format!(
                "feed.max_frame_bytes: must be at least 65536 (awc's default), got {}",
                self.max_frame_bytes
            ));
        }
        if self.reconnect_cap_ms < self.reconnect_base_ms {
            errs.push(format!(
                "feed.reconnect_cap_ms: must be at least reconnect_base_ms ({} < {})",
                self.reconnect_cap_ms, self.reconnect_base_ms
            ));
        }
        if self.reconnect_min_ms > self.reconnect_cap_ms {
            errs.push(format!(
                "feed.reconnect_min_ms: must not exceed reconnect_cap_ms ({} > {})",
                self.reconnect_min_ms, self.reconnect_cap_ms
            ));
        }
        if errs.is_empty() { Ok(()) } else { Err(errs) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid() {
        assert_eq!(FeedConfig::default().validate(), Ok(()));
    }

    #[test]
    fn every_bad_value_is_reported_with_its_field() {
        let cfg = FeedConfig {
            idle_timeout_ms: 0,
            max_markets_per_subscription: 0,
            max_frame_bytes: 1024,
            reconnect_base_ms: 500,
            reconnect_cap_ms: 100,
            reconnect_min_ms: 200,
            ..FeedConfig::default()
        };
        let errs = cfg.validate().unwrap_err();
        let fields: Vec<&str> = errs
            .iter()
            .map(|e| e.split(':').next().unwrap_or(""))
            .collect();
        assert_eq!(
            fields,
            [
                "feed.idle_timeout_ms",
                "feed.max_markets_per_subscription",
                "feed.max_frame_bytes",
                "feed.reconnect_cap_ms",
                "feed.reconnect_min_ms"
            ],
            "{errs:?}"
        );
    }

    #[test]
    fn unknown_keys_are_refused_and_tickers_are_checked() {
        let err = toml::from_str::<FeedConfig>("idle_timeout = 3")
            .unwrap_err()
            .to_string();
        assert!(err.contains("idle_timeout"), "{err}");
        let err = toml::from_str::<FeedConfig>("watch = [\"BAD TICKER\"]")
            .unwrap_err()
            .to_string();
        assert!(err.contains("watch"), "{err}");
        let ok: FeedConfig = toml::from_str("watch = [\"KXHIGHNY-26NOV28-B50.5\"]").unwrap();
        assert_eq!(ok.watch.len(), 1);
    }
}
