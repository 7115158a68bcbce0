//! `[gateway]` configuration: connection, concurrency, queues, deadlines, retries, backoff,
//! fallback budgets. Unknown keys are errors; [`GatewayConfig::validate`] reports every bad
//! value at once, each naming its field.

use serde::{Deserialize, Serialize};

/// Settings of the REST gateway.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct GatewayConfig {
    /// Requests on the wire at once.
    pub max_in_flight: usize,
    /// Queue length per priority lane; a full lane answers `Overloaded` at once.
    pub lane_capacity: usize,
    /// Percent of the write bucket kept for cancels.
    pub cancel_reserve_pct: u8,
    /// Default deadline of an order placement (time from submission to sending), ms.
    pub placement_deadline_ms: u64,
    /// Time to wait for a response before calling the outcome unknown, ms.
    pub request_timeout_ms: u64,
    /// Retries of a read after 5xx or transport errors.
    pub max_read_retries: u32,
    /// Retries of a create (same client order id) after an ambiguous outcome.
    pub max_write_retries: u32,
    /// Attempts of a cancel in all.
    pub max_cancel_attempts: u32,
    /// First backoff ceiling, ms (exponential, full jitter).
    pub backoff_base_ms: u64,
    /// Largest backoff, ms.
    pub backoff_cap_ms: u64,
    /// Tokens per second of the read bucket until `GET /account/limits` answers.
    pub fallback_read_rate: u32,
    /// Capacity of the read bucket until the limits are read.
    pub fallback_read_capacity: u32,
    /// Tokens per second of the write bucket until the limits are read.
    pub fallback_write_rate: u32,
    /// Capacity of the write bucket until the limits are read.
    pub fallback_write_capacity: u32,
    /// Burst held back from the exchange's capacity, ms of refill: absorbs network jitter that
    /// brings requests closer together at the exchange than they left here.
    pub safety_margin_ms: u64,
    /// Re-read the account's limits and endpoint costs this often, s (0 = only at start).
    pub limits_refresh_s: u64,
    /// Clock offset to the exchange beyond which the signer is corrected, ms.
    pub clock_offset_apply_ms: i64,
    /// Clock offset beyond which a warning is raised, ms.
    pub clock_offset_warn_ms: i64,
    /// Largest response body accepted, bytes.
    pub max_body_bytes: usize,
}

impl Default for GatewayConfig {
    fn default() -> Self {
        GatewayConfig {
            max_in_flight: 8,
            lane_capacity: 10_000,
            cancel_reserve_pct: 20,
            placement_deadline_ms: 2_000,
            request_timeout_ms: 5_000,
            max_read_retries: 5,
            max_write_retries: 3,
            max_cancel_attempts: 5,
            backoff_base_ms: 100,
            backoff_cap_ms: 5_000,
            fallback_read_rate: 200,
            fallback_read_capacity: 200,
            fallback_write_rate: 100,
            fallback_write_capacity: 100,
            safety_margin_ms: 50,
            limits_refresh_s: 300,
            clock_offset_apply_ms: 1_000,
            clock_offset_warn_ms: 5_000,
            max_body_bytes: 16 << 20,
        }
    }
}

impl GatewayConfig {
    /// Every invalid value, each naming its field (`gateway.<field>: ...`).
    pub fn validate(&self) -> Result<(), Vec<String>> {
        let mut errs = Vec::new();
        let mut positive = |name: &str, v: u64| {
            if v == 0 {
                errs.push(format!("gateway.{name}: must be positive"));
            }
        };
        positive("max_in_flight", self.max_in_flight as u64);
        positive("lane_capacity", self.lane_capacity as u64);
        positive("placement_deadline_ms", self.placement_deadline_ms);
        positive("request_timeout_ms", self.request_timeout_ms);
        positive("max_cancel_attempts", u64::from(self.max_cancel_attempts));
        positive("backoff_base_ms", self.backoff_base_ms);
        positive("fallback_read_rate", u64::from(self.fallback_read_rate));
        positive(
            "fallback_read_capacity",
            u64::from(self.fallback_read_capacity),
        );
        positive("fallback_write_rate", u64::from(self.fallback_write_rate));
        positive(
            "fallback_write_capacity",
            u64::from(self.fallback_write_capacity),
        );
        positive("max_body_bytes", self.max_body_bytes as u64);
        if self.cancel_reserve_pct >= 100 {
            errs.push(format!(
                "gateway.cancel_reserve_pct: must be below 100, got {}",
                self.cancel_reserve_pct
            ));
        }
        if self.backoff_cap_ms < self.backoff_base_ms {
            errs.push(format!(
                "gateway.backoff_cap_ms: must be at least backoff_base_ms ({} < {})",
                self.backoff_cap_ms, self.backoff_base_ms
            ));
        }
        if self.clock_offset_apply_ms < 0 || self.clock_offset_warn_ms < 0 {
            errs.push("gateway.clock_offset_*_ms: must not be negative".to_string());
        }
        if errs.is_empty() { Ok(()) } else { Err(errs) }
    }

    /// Tokens held back from a bucket refilling `rate` per second.
    pub fn margin_tokens(&self, rate: u64) -> u64 {
        rate * self.safety_margin_ms / 1000
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid() {
        assert_eq!(GatewayConfig::default().validate(), Ok(()));
    }

    #[test]
    fn every_bad_value_is_reported_with_its_field() {
        let cfg = GatewayConfig {
            max_in_flight: 0,
            cancel_reserve_pct: 100,
            backoff_base_ms: 500,
            backoff_cap_ms: 100,
            ..GatewayConfig::default()
        };
        let errs = cfg.validate().unwrap_err();
        assert_eq!(errs.len(), 3, "{errs:?}");
        assert!(errs[0].starts_with("gateway.max_in_flight"));
        assert!(errs[1].starts_with("gateway.cancel_reserve_pct"));
        assert!(errs[2].starts_with("gateway.backoff_cap_ms"));
    }

    #[test]
    fn unknown_keys_are_refused() {
        let err = toml::from_str::<GatewayConfig>("max_inflight = 3")
            .unwrap_err()
            .to_string();
        assert!(err.contains("max_inflight"), "{err}");
    }
}
