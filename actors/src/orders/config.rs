//! `[orders]` configuration: who the orders belong to (the strategy id in client order ids),
//! where the journal lives and how hard it syncs, the risk limits, what is cancelled when
//! (blackout, halt, shutdown), Kalshi's own safety nets, and reconciliation timing. Unknown
//! keys are errors; [`OrdersConfig::validate`] reports every bad value at once, each naming
//! its field (`orders.<field>`).
//!
//! ```toml
//! [orders]
//! strategy_id = "fv"
//! journal_path = "tradewind-journal.sqlite"
//! id_block = 256               # intent ids reserved in the journal per synchronous commit
//! journal_wake_ms = 5           # an intent's rows wait at most this long for the writer's wake
//! journal_queue_max = 8192      # batches waiting for the disk before placements are refused
//! max_contracts_per_order = 100
//! max_position_per_market = 500
//! max_total_exposure_dollars = "1000.00"
//! max_open_orders = 50
//! max_orders_per_minute = 120
//! max_daily_loss_dollars = "100.00"
//! cancel_on_blackout = false
//! cancel_on_shutdown = true
//! cancel_order_on_pause = true
//! # order_group_id = "..."   # an order group created beforehand, with its contracts limit
//! ```

use kalshi::{Money, types::SelfTradePrevention};
use serde::{Deserialize, Serialize};

use super::{ids, journal::Synchronous, spec::Placement};

/// Settings of the order manager.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct OrdersConfig {
    /// Names this bot's orders: the first part of every client order id (1–24 of
    /// `[A-Za-z0-9_-]`). Change it and old orders are no longer recognised as ours.
    pub strategy_id: String,
    /// The SQLite journal file.
    pub journal_path: String,
    /// `full` (default) or `normal`; see [`Synchronous`].
    pub journal_synchronous: Synchronous,
    /// Intent sequence numbers reserved in the journal at a time (one synchronous commit per
    /// block; an intent inside a reserved block is sent before its rows are committed).
    pub id_block: u64,
    /// An intent's journal rows are queued without waking the writer thread (no wake-up on
    /// the order's path); the placement's answer wakes it, or a timer this many ms after the
    /// rows were queued, whichever comes first (0 = wake at once).
    pub journal_wake_ms: u64,
    /// Journal batches that may wait for the writer (a stalled disk) before new placements
    /// are refused (`journal_backlog`); rows of orders already sent are always queued.
    pub journal_queue_max: usize,
    /// Largest order, whole contracts.
    pub max_contracts_per_order: u64,
    /// Largest position in one market if every resting order on its side filled, contracts.
    pub max_position_per_market: u64,
    /// Largest cost of open positions plus resting orders, all markets, dollars.
    pub max_total_exposure_dollars: Money,
    /// Most orders open at once.
    pub max_open_orders: u32,
    /// Most new orders in any 60 s.
    pub max_orders_per_minute: u32,
    /// Halt new orders once the day's P&L (UTC day; realised − fees + unrealised) falls this
    /// far below zero, dollars.
    pub max_daily_loss_dollars: Money,
    /// Cancel resting orders when a blackout starts (else they are left alone).
    pub cancel_on_blackout: bool,
    /// Cancel resting orders on shutdown.
    pub cancel_on_shutdown: bool,
    /// Cancel resting orders on `Halt` and when the daily loss limit halts.
    pub cancel_on_halt: bool,
    /// Send `cancel_order_on_pause = true`: the exchange cancels the order if trading pauses.
    pub cancel_order_on_pause: bool,
    /// Self-trade prevention sent with every order.
    pub self_trade_prevention: SelfTradePrevention,
    /// An order group every order joins; its contracts limit makes the exchange cancel them
    /// all on runaway fills. Create it beforehand; `None` = no group.
    pub order_group_id: Option<String>,
    /// Deadline of a placement in the gateway's queue, ms: later it is not sent at all.
    pub placement_deadline_ms: u64,
    /// Wait before settling an order whose placement outcome is unknown, ms.
    pub unknown_recheck_ms: u64,
    /// An intent found missing from the exchange is re-sent (same client id) when younger
    /// than this, ms; an older one is marked not sent.
    pub resend_window_ms: u64,
    /// Cross-check positions with `GET /portfolio/positions` this often, s (0 = only at
    /// start and after feed reconnects).
    pub positions_check_s: u64,
    /// Slack before the last fill seen when asking `GET /portfolio/fills` for a gap, s.
    pub fill_lookback_s: u64,
    /// Wait before retrying a failed start-up reconciliation, ms.
    pub reconcile_retry_ms: u64,
    /// Days of finished orders and fills loaded from the journal at start.
    pub history_days: u32,
}

impl Default for OrdersConfig {
    fn default() -> Self {
        OrdersConfig {
            strategy_id: "tradewind".into(),
            journal_path: "tradewind-journal.sqlite".into(),
            journal_synchronous: Synchronous::Full,
            id_block: 256,
            journal_wake_ms: 5,
            journal_queue_max: 8_192,
            max_contracts_per_order: 100,
            max_position_per_market: 500,
            max_total_exposure_dollars: Money::from_cents(100_000),
            max_open_orders: 50,
            max_orders_per_minute: 120,
            max_daily_loss_dollars: Money::from_cents(10_000),
            cancel_on_blackout: false,
            cancel_on_shutdown: true,
            cancel_on_halt: true,
            cancel_order_on_pause: true,
            self_trade_prevention: SelfTradePrevention::TakerAtCross,
            order_group_id: None,
            placement_deadline_ms: 2_000,
            unknown_recheck_ms: 500,
            resend_window_ms: 10_000,
            positions_check_s: 60,
            fill_lookback_s: 5,
            reconcile_retry_ms: 1_000,
            history_days: 2,
        }
    }
}

impl OrdersConfig {
    /// How every order is placed.
    pub fn placement(&self) -> Placement {
        Placement {
            self_trade_prevention: self.self_trade_prevention.clone(),
            cancel_order_on_pause: self.cancel_order_on_pause,
            order_group_id: self.order_group_id.clone(),
        }
    }
    /// Every invalid value, each naming its field (`orders.<field>: ...`).
    pub fn validate(&self) -> Result<(), Vec<String>> {
        let mut errs = Vec::new();
        if let Err(e) = ids::check_strategy(&self.strategy_id) {
            errs.push(format!("orders.strategy_id: {e}"));
        }
        if self.journal_path.trim().is_empty() {
            errs.push("orders.journal_path: must not be empty".into());
        }
        for (name, v) in [
            ("max_contracts_per_order", self.max_contracts_per_order),
            ("max_position_per_market", self.max_position_per_market),
            ("max_open_orders", u64::from(self.max_open_orders)),
            (
                "max_orders_per_minute",
                u64::from(self.max_orders_per_minute),
            ),
            ("placement_deadline_ms", self.placement_deadline_ms),
            ("reconcile_retry_ms", self.reconcile_retry_ms),
            ("history_days", u64::from(self.history_days)),
            ("id_block", self.id_block),
            ("journal_queue_max", self.journal_queue_max as u64),
        ] {
            if v == 0 {
                errs.push(format!("orders.{name}: must be positive"));
            }
        }
        const MAX_ID_BLOCK: u64 = 1_000_000;
        if self.id_block > MAX_ID_BLOCK {
            errs.push(format!(
                "orders.id_block: at most {MAX_ID_BLOCK}, got {}",
                self.id_block
            ));
        }
        const MAX_WAKE_MS: u64 = 1_000;
        if self.journal_wake_ms > MAX_WAKE_MS {
            errs.push(format!(
                "orders.journal_wake_ms: at most {MAX_WAKE_MS}, got {}",
                self.journal_wake_ms
            ));
        }
        const MAX_QUEUE: usize = 1_000_000;
        if self.journal_queue_max > MAX_QUEUE {
            errs.push(format!(
                "orders.journal_queue_max: at most {MAX_QUEUE}, got {}",
                self.journal_queue_max
            ));
        }
        const MAX_CONTRACTS: u64 = 1_000_000_000;
        for (name, v) in [
            ("max_contracts_per_order", self.max_contracts_per_order),
            ("max_position_per_market", self.max_position_per_market),
        ] {
            if v > MAX_CONTRACTS {
                errs.push(format!("orders.{name}: at most {MAX_CONTRACTS}, got {v}"));
            }
        }
        for (name, v) in [
            (
                "max_total_exposure_dollars",
                self.max_total_exposure_dollars,
            ),
            ("max_daily_loss_dollars", self.max_daily_loss_dollars),
        ] {
            if v <= Money::ZERO {
                errs.push(format!("orders.{name}: must be above zero, got {v}"));
            }
        }
        if let SelfTradePrevention::Other(s) = &self.self_trade_prevention {
            errs.push(format!(
                "orders.self_trade_prevention: unknown value {s:?} (taker_at_cross, maker)"
            ));
        }
        if let Some(g) = &self.order_group_id
            && g.trim().is_empty()
        {
            errs.push("orders.order_group_id: must not be empty when set".into());
        }
        if errs.is_empty() { Ok(()) } else { Err(errs) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid() {
        assert_eq!(OrdersConfig::default().validate(), Ok(()));
    }

    #[test]
    fn every_bad_value_is_reported_with_its_field() {
        let cfg = OrdersConfig {
            strategy_id: "bad:id".into(),
            journal_path: " ".into(),
            max_contracts_per_order: 0,
            max_open_orders: 0,
            max_total_exposure_dollars: Money::ZERO,
            max_daily_loss_dollars: Money::from_cents(-1),
            self_trade_prevention: SelfTradePrevention::Other("nope".into()),
            order_group_id: Some(String::new()),
            ..OrdersConfig::default()
        };
        let errs = cfg.validate().unwrap_err();
        for field in [
            "strategy_id",
            "journal_path",
            "max_contracts_per_order",
            "max_open_orders",
            "max_total_exposure_dollars",
            "max_daily_loss_dollars",
            "self_trade_prevention",
            "order_group_id",
        ] {
            let name = format!("orders.{field}:");
            assert!(
                errs.iter().any(|e| e.starts_with(&name)),
                "{field}: {errs:?}"
            );
        }
        assert_eq!(errs.len(), 8, "{errs:?}");
    }

    #[test]
    fn toml_with_an_unknown_key_is_refused() {
        let err = toml::from_str::<OrdersConfig>("max_contract_per_order = 5").unwrap_err();
        assert!(err.to_string().contains("unknown field"), "{err}");
        let ok: OrdersConfig = toml::from_str(
            "strategy_id = \"fv\"\nmax_total_exposure_dollars = \"250.50\"\njournal_synchronous = \"normal\"",
        )
        .unwrap();
        assert_eq!(
            ok.max_total_exposure_dollars,
            Money::parse("250.50").unwrap()
        );
        assert_eq!(ok.journal_synchronous, Synchronous::Normal);
    }
}
