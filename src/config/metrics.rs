//! `[metrics]`: where `/metrics` (Prometheus text) and `/healthz` are served — loopback only,
//! unless `allow_non_loopback` says otherwise (a container, whose own network is the boundary)
//! — and how often metrics and the status line are logged.

use std::net::SocketAddr;

use serde::{Deserialize, Serialize};

/// `[metrics]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MetricsConfig {
    /// Loopback `IP:port` for `/metrics` and `/healthz` (port 0 picks a free one, logged at
    /// start); `""` turns the endpoint off.
    pub listen: String,
    /// Log each actor's metrics this often, s (0 = never).
    pub interval_s: u64,
    /// Log the one-line status this often, s (0 = never).
    pub status_interval_s: u64,
    /// `/healthz` answers 503 when more than this percent of watched books are stale.
    pub healthz_max_stale_pct: u32,
    /// Allow `listen` off loopback (e.g. `0.0.0.0:9187` inside a container, whose network is
    /// the boundary). The endpoints have no authentication: never on a public interface.
    pub allow_non_loopback: bool,
}

impl Default for MetricsConfig {
    fn default() -> Self {
        MetricsConfig {
            listen: "127.0.0.1:0".into(),
            interval_s: 60,
            status_interval_s: 5,
            healthz_max_stale_pct: 20,
            allow_non_loopback: false,
        }
    }
}

impl MetricsConfig {
    /// The address to serve on (`None`: off). Validate first.
    pub fn listen_addr(&self) -> Option<SocketAddr> {
        self.listen.parse().ok()
    }

    /// Every invalid value, each naming its field (`metrics.<field>: ...`).
    pub fn validate(&self) -> Vec<String> {
        let mut errs = Vec::new();
        if !self.listen.is_empty() {
            match self.listen_addr() {
                None => errs.push(format!(
                    "metrics.listen: {:?} is not IP:port (e.g. \"127.0.0.1:9184\"; \"\" = off)",
                    self.listen
                )),
                Some(addr) if !addr.ip().is_loopback() && !self.allow_non_loopback => {
                    errs.push(format!(
                        "metrics.listen: {:?} is not a loopback address; metrics are served on \
                         127.0.0.1 or [::1] only unless metrics.allow_non_loopback = true",
                        self.listen
                    ))
                }
                Some(_) => {}
            }
        }
        if self.healthz_max_stale_pct > 100 {
            errs.push(format!(
                "metrics.healthz_max_stale_pct: must be 0 to 100, got {}",
                self.healthz_max_stale_pct
            ));
        }
        errs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listen_must_be_loopback_or_off() {
        let ok = |listen: &str| MetricsConfig {
            listen: listen.into(),
            ..MetricsConfig::default()
        };
        for listen in ["", "127.0.0.1:0", "[::1]:9184", "127.0.0.2:80"] {
            assert!(ok(listen).validate().is_empty(), "{listen}");
        }
        for listen in ["0.0.0.0:9184", "192.168.1.2:80", "localhost:80", "9184"] {
            let errs = ok(listen).validate();
            assert!(errs[0].starts_with("metrics.listen:"), "{listen}: {errs:?}");
        }
        assert_eq!(ok("").listen_addr(), None);
        let container = MetricsConfig {
            listen: "0.0.0.0:9187".into(),
            allow_non_loopback: true,
            ..MetricsConfig::default()
        };
        assert!(container.validate().is_empty());
    }

    #[test]
    fn stale_share_is_a_percentage() {
        let cfg = MetricsConfig {
            healthz_max_stale_pct: 101,
            ..MetricsConfig::default()
        };
        assert!(cfg.validate()[0].starts_with("metrics.healthz_max_stale_pct:"));
    }
}
