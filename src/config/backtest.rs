//! `[backtest]`: how `tradewind backtest` models the venue — latencies, the queue model of
//! resting orders, the account's cash and the seed of the venue's generated ids. Read by
//! `tradewind backtest` only; a live run ignores it.

use kalshi::{Money, fees::FeeType};
use serde::{Deserialize, Serialize};

/// Where a resting order of the strategy stands when makers at its price cancel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QueueModel {
    /// Cancels come off the back of the level: size ahead of the order only shrinks by
    /// recorded trades at its price (never better than reality).
    #[default]
    Conservative,
    /// Cancels come off the front of the level first: the order moves up with every cancel
    /// (an upper bound).
    Optimistic,
}

/// `[backtest]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BacktestConfig {
    /// Delay added to every recorded frame before the strategy sees it, ms (the recorded
    /// receive time already holds the live feed's own delay).
    pub feed_latency_ms: u64,
    /// One-way delay between the engine and the exchange, ms: an order, amend or cancel
    /// reaches the venue this long after the strategy decided, and its answer comes back as
    /// long after.
    pub order_latency_ms: u64,
    /// Where the strategy's resting orders stand in their level's queue.
    pub queue: QueueModel,
    /// The backtest account's cash, dollars.
    pub balance_dollars: String,
    /// Seed of the venue's generated ids (order ids, trade ids).
    pub seed: u64,
    /// The fee model of the recorded markets (Kalshi keeps it on the series, which a
    /// recording does not hold): `quadratic`, `quadratic_with_maker_fees` or `free`.
    pub fee_type: FeeType,
    /// Contracts assumed at the best bid and at the best ask of a `tradewind history fetch`
    /// download's candles (history has top-of-book prices, not their size).
    pub history_depth: u32,
}

impl Default for BacktestConfig {
    fn default() -> BacktestConfig {
        BacktestConfig {
            feed_latency_ms: 0,
            order_latency_ms: 1,
            queue: QueueModel::Conservative,
            balance_dollars: "100000.00".into(),
            seed: 1,
            fee_type: FeeType::Quadratic,
            history_depth: 100,
        }
    }
}

impl BacktestConfig {
    /// Every invalid value, each naming its field.
    pub fn validate(&self) -> Vec<String> {
        let mut errs = Vec::new();
        for (name, v) in [
            ("feed_latency_ms", self.feed_latency_ms),
            ("order_latency_ms", self.order_latency_ms),
        ] {
            if v > 60_000 {
                errs.push(format!("backtest.{name}: at most 60000, got {v}"));
            }
        }
        if !(1..=1_000_000).contains(&self.history_depth) {
            errs.push(format!(
                "backtest.history_depth: 1 to 1000000 contracts, got {}",
                self.history_depth
            ));
        }
        if self.balance().is_none() {
            errs.push(format!(
                "backtest.balance_dollars: {:?} is not a positive amount",
                self.balance_dollars
            ));
        }
        errs
    }

    /// The account's cash.
    pub fn balance(&self) -> Option<Money> {
        Money::parse(&self.balance_dollars)
            .ok()
            .filter(|m| !m.is_negative() && *m != Money::ZERO)
    }
}

#[cfg(test)]
mod tests {
    use super::BacktestConfig;

    #[test]
    fn history_depth_is_one_to_a_million_contracts() {
        let at = |history_depth| {
            BacktestConfig {
                history_depth,
                ..BacktestConfig::default()
            }
            .validate()
        };
        assert!(at(1).is_empty() && at(1_000_000).is_empty());
        for bad in [0, 1_000_001] {
            let errs = at(bad);
            assert_eq!(errs.len(), 1, "{errs:?}");
            assert!(errs[0].starts_with("backtest.history_depth"), "{errs:?}");
        }
    }
}
