//! `[strategy.quoter]`: the quoter's settings — distance from fair, size, inventory skew and
//! limits, when a quote is amended, the write pace, and what happens near a market's close —
//! and their validation, every error naming its field (`strategy.quoter.edge: …`).

use serde::{Deserialize, Serialize};

/// Settings of the quoter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct QuoterConfig {
    /// Distance of each quote from the (skewed) fair value, probability points (0.02 = 2¢).
    pub edge: f64,
    /// Contracts per quote when flat.
    pub size: i64,
    /// Largest position per market, contracts (either side). At the limit only the side that
    /// reduces the position quotes.
    pub max_position: i64,
    /// Both quotes move down by this much per contract held long (up per contract short),
    /// probability points: a long position sells more readily and buys less readily.
    pub skew_per_contract: f64,
    /// Also shrink the side that adds to the position, in proportion to the room left under
    /// `max_position` (never below one contract while there is room).
    pub shrink_adding_side: bool,
    /// Amend a resting quote when its target price moved at least this far (fair value, skew
    /// or the book moved), probability points; 0 = on any tick. A smaller target size is a
    /// decrease (kept queue position) whatever the price.
    pub requote_threshold: f64,
    /// Quote only markets whose fair probability is at least this.
    pub min_fair: f64,
    /// Quote only markets whose fair probability is at most this.
    pub max_fair: f64,
    /// Quote at most this many markets at once (0 = every market with a fair value).
    pub max_markets: usize,
    /// Least time between two writes (placement or amend) on one side of one market, ms.
    pub min_requote_interval_ms: u64,
    /// The quoter's own budget of writes (placements and amends), per second, all markets.
    /// Cancels and pulls are never held back by it.
    pub max_writes_per_s: f64,
    /// Writes that may go at once before the rate applies.
    pub write_burst: u32,
    /// Pull the market's quotes and stop quoting it this long before it closes, s.
    pub pull_before_close_s: u64,
    /// From this long before close, flatten the position with reduce-only
    /// immediate-or-cancel orders at the best opposite price, s (0 = off).
    pub flatten_before_close_s: u64,
}

impl Default for QuoterConfig {
    fn default() -> QuoterConfig {
        QuoterConfig {
            edge: 0.02,
            size: 5,
            max_position: 25,
            skew_per_contract: 0.001,
            shrink_adding_side: true,
            requote_threshold: 0.01,
            min_fair: 0.05,
            max_fair: 0.95,
            max_markets: 0,
            min_requote_interval_ms: 500,
            max_writes_per_s: 8.0,
            write_burst: 16,
            pull_before_close_s: 60,
            flatten_before_close_s: 0,
        }
    }
}

impl QuoterConfig {
    /// Every invalid value, each naming its field (`strategy.quoter.<field>: …`).
    pub fn validate(&self) -> Vec<String> {
        let mut errs = Vec::new();
        let mut err =
            |field: &str, what: String| errs.push(format!("strategy.quoter.{field}: {what}"));
        let within = |v: f64, lo: f64, hi: f64| v.is_finite() && (lo..=hi).contains(&v);
        if !within(self.edge, 0.0, 0.5) || self.edge == 0.0 {
            err(
                "edge",
                format!("must be within (0, 0.5], got {}", self.edge),
            );
        }
        for (field, v) in [("size", self.size), ("max_position", self.max_position)] {
            if !(1..=MAX_CONTRACTS).contains(&v) {
                err(
                    field,
                    format!("must be within 1..={MAX_CONTRACTS}, got {v}"),
                );
            }
        }
        for (field, v) in [
            ("pull_before_close_s", self.pull_before_close_s),
            ("flatten_before_close_s", self.flatten_before_close_s),
        ] {
            if v > MAX_BEFORE_CLOSE_S {
                err(
                    field,
                    format!("must be at most {MAX_BEFORE_CLOSE_S} (a year), got {v}"),
                );
            }
        }
        if !within(self.skew_per_contract, 0.0, 0.1) {
            let v = self.skew_per_contract;
            err(
                "skew_per_contract",
                format!("must be within 0..=0.1, got {v}"),
            );
        }
        if !within(self.requote_threshold, 0.0, 1.0) {
            let v = self.requote_threshold;
            err(
                "requote_threshold",
                format!("must be within 0..=1, got {v}"),
            );
        }
        for (field, v) in [("min_fair", self.min_fair), ("max_fair", self.max_fair)] {
            if !within(v, 0.0, 1.0) {
                err(field, format!("must be within 0..=1, got {v}"));
            }
        }
        if self.min_fair > self.max_fair {
            let (lo, hi) = (self.min_fair, self.max_fair);
            err("min_fair", format!("{lo} is above max_fair {hi}"));
        }
        if !within(self.max_writes_per_s, 0.0, 10_000.0) || self.max_writes_per_s == 0.0 {
            let v = self.max_writes_per_s;
            err(
                "max_writes_per_s",
                format!("must be within (0, 10000], got {v}"),
            );
        }
        if self.write_burst == 0 {
            err("write_burst", "must be at least 1".into());
        }
        errs
    }
}

/// Largest quote size or position limit accepted, contracts (Kalshi's own per-order limit is
/// far below; the bound keeps position arithmetic from overflowing).
const MAX_CONTRACTS: i64 = 1_000_000;

/// Largest `*_before_close_s` accepted (a year): time arithmetic stays in range.
const MAX_BEFORE_CLOSE_S: u64 = 366 * 86_400;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_is_valid_and_every_bad_value_is_named() {
        assert!(QuoterConfig::default().validate().is_empty());
        let bad = QuoterConfig {
            edge: 0.0,
            size: 0,
            skew_per_contract: -1.0,
            min_fair: 0.9,
            max_fair: 0.1,
            max_writes_per_s: f64::NAN,
            write_burst: 0,
            ..QuoterConfig::default()
        };
        let errs = bad.validate();
        let fields: Vec<&str> = errs
            .iter()
            .map(|e| e.split(':').next().unwrap_or_default())
            .collect();
        assert_eq!(
            fields,
            [
                "strategy.quoter.edge",
                "strategy.quoter.size",
                "strategy.quoter.skew_per_contract",
                "strategy.quoter.min_fair",
                "strategy.quoter.max_writes_per_s",
                "strategy.quoter.write_burst",
            ],
            "{errs:?}"
        );
    }

    #[test]
    fn unknown_keys_are_refused() {
        let err = toml::from_str::<QuoterConfig>("edge = 0.03\nspread = 2").unwrap_err();
        assert!(err.to_string().contains("spread"), "{err}");
    }
}
