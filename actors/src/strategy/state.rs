//! The strategy's state as an operator reads it: `trading`, or `idle` and why (disabled,
//! halted, waiting for reconciliation, blackout, no forecast, forecast stale, waiting for a
//! newer forecast after a GFS window, no market priced, no books yet, books stale). Pure: [`strategy_state`] computes it from what the strategy actor
//! knows ([`StateInputs`]); [`StrategyState::with_orders`] adds what only the order manager
//! knows (a halt, a reconciliation in progress). `trading` means nothing stops the strategy
//! from placing an order; it places one only when its rules find an edge.
//!
//! [`StateReport`] is the form the metrics carry: the state as text (`"idle: no forecast"`,
//! for the status line, logs and `/healthz`), a `trading` flag and one `idle` flag per reason
//! (an enum gauge in Prometheus: `tradewind_strategy_idle{key="no_forecast"} 1`).

use std::{collections::BTreeMap, fmt};

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

use super::config::{ForecastConfig, ForecastSource};

/// Why the strategy places nothing, in the order they are reported (the first that holds).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IdleReason {
    /// `[strategy] enabled = false`: watch only.
    Disabled,
    /// The order manager's kill switch is set (a loss limit, a journal failure, an operator).
    Halted,
    /// The order manager has not reconciled with the exchange (or the strategy has not yet
    /// read the positions held).
    WaitingForReconciliation,
    /// A blackout window is in force.
    Blackout,
    /// The configured forecast source has given nothing yet.
    NoForecast,
    /// The last forecast is older than the source's refresh allows ([`stale_after`]).
    ForecastStale,
    /// A GFS window ended and the forecast that came since is not newer than the last.
    AwaitingNewerForecast,
    /// A forecast is loaded but covers none of the markets whose books arrive.
    NoMarketPriced,
    /// No book has arrived yet.
    NoBooks,
    /// Every book seen is stale (the feed is down or resyncing).
    BooksStale,
}

impl IdleReason {
    /// Every reason, in reporting order.
    pub const ALL: [IdleReason; 10] = [
        IdleReason::Disabled,
        IdleReason::Halted,
        IdleReason::WaitingForReconciliation,
        IdleReason::Blackout,
        IdleReason::NoForecast,
        IdleReason::ForecastStale,
        IdleReason::AwaitingNewerForecast,
        IdleReason::NoMarketPriced,
        IdleReason::NoBooks,
        IdleReason::BooksStale,
    ];

    /// Its metrics key (`no_forecast`).
    pub fn key(self) -> &'static str {
        match self {
            IdleReason::Disabled => "disabled",
            IdleReason::Halted => "halted",
            IdleReason::WaitingForReconciliation => "waiting_for_reconciliation",
            IdleReason::Blackout => "blackout",
            IdleReason::NoForecast => "no_forecast",
            IdleReason::ForecastStale => "forecast_stale",
            IdleReason::AwaitingNewerForecast => "awaiting_newer_forecast",
            IdleReason::NoMarketPriced => "no_market_priced",
            IdleReason::NoBooks => "no_books",
            IdleReason::BooksStale => "books_stale",
        }
    }

    /// Its words (`no forecast`).
    pub fn words(self) -> &'static str {
        match self {
            IdleReason::Disabled => "disabled",
            IdleReason::Halted => "halted",
            IdleReason::WaitingForReconciliation => "waiting for reconciliation",
            IdleReason::Blackout => "blackout",
            IdleReason::NoForecast => "no forecast",
            IdleReason::ForecastStale => "forecast stale",
            IdleReason::AwaitingNewerForecast => "waiting for a newer forecast",
            IdleReason::NoMarketPriced => "forecast covers no market",
            IdleReason::NoBooks => "no books yet",
            IdleReason::BooksStale => "books stale",
        }
    }
}

/// `trading`, or `idle` and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StrategyState {
    /// Nothing stops the strategy from placing orders.
    #[default]
    Trading,
    /// The strategy places nothing, for this reason.
    Idle(IdleReason),
}

impl fmt::Display for StrategyState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StrategyState::Trading => f.write_str("trading"),
            StrategyState::Idle(why) => write!(f, "idle: {}", why.words()),
        }
    }
}

impl StrategyState {
    /// This state, given the order manager's: a halt or a reconciliation in progress comes
    /// before every reason but `disabled`.
    pub fn with_orders(self, halted: bool, reconciled: bool) -> StrategyState {
        match self {
            StrategyState::Idle(IdleReason::Disabled) => self,
            _ if halted => StrategyState::Idle(IdleReason::Halted),
            _ if !reconciled => StrategyState::Idle(IdleReason::WaitingForReconciliation),
            _ => self,
        }
    }
}

/// Where the forecast stands for the strategy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ForecastStatus {
    /// The strategy does not price from the forecast, or no source is configured.
    NotNeeded,
    /// Nothing loaded yet (or the loaded forecast is empty).
    Missing,
    /// Loaded, but older than the source's refresh allows.
    Stale,
    /// Loaded, but a GFS window ended since and no newer one has arrived.
    AwaitingNewer,
    /// Loaded and recent.
    Fresh,
}

impl ForecastStatus {
    /// This status, when a GFS window ended and a newer forecast is (`true`) awaited: a
    /// fresh forecast is then not yet the one to trade on.
    pub fn awaiting_newer(self, awaiting: bool) -> ForecastStatus {
        match self {
            ForecastStatus::Fresh if awaiting => ForecastStatus::AwaitingNewer,
            other => other,
        }
    }
}

/// How old a forecast from this source may get before it is not traded on: twice the refresh
/// period for Open-Meteo (a whole period of failed refetches); never for a file (its owner
/// rewrites it when they choose) or no source.
pub fn stale_after(cfg: &ForecastConfig) -> Option<Duration> {
    match cfg.source {
        ForecastSource::OpenMeteo => {
            let s = cfg.refresh_s.clamp(60, 7 * 86_400).saturating_mul(2);
            Some(Duration::seconds(i64::try_from(s).unwrap_or(i64::MAX)))
        }
        ForecastSource::File | ForecastSource::None => None,
    }
}

/// Where the forecast stands: `loaded_at` the time the last one was loaded, `entries` what
/// it covers.
pub fn forecast_status(
    cfg: &ForecastConfig,
    uses_forecast: bool,
    loaded_at: Option<DateTime<Utc>>,
    entries: usize,
    now: DateTime<Utc>,
) -> ForecastStatus {
    if !uses_forecast || cfg.source == ForecastSource::None {
        return ForecastStatus::NotNeeded;
    }
    match loaded_at {
        None => ForecastStatus::Missing,
        Some(_) if entries == 0 => ForecastStatus::Missing,
        Some(at) if stale_after(cfg).is_some_and(|max| now - at > max) => ForecastStatus::Stale,
        Some(_) => ForecastStatus::Fresh,
    }
}

/// What the strategy actor knows that decides its state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StateInputs {
    /// `[strategy] enabled`.
    pub enabled: bool,
    /// The positions held were read from the order manager (after its reconciliation).
    pub positions_known: bool,
    /// A blackout is in force.
    pub blackout: bool,
    /// The forecast.
    pub forecast: ForecastStatus,
    /// Markets with a fair value under the forecast.
    pub markets_priced: usize,
    /// Markets whose book arrived and is not stale.
    pub books_fresh: usize,
    /// Markets whose book is stale.
    pub books_stale: usize,
}

/// The strategy's state: the first reason to be idle that holds, else `trading`.
pub fn strategy_state(i: &StateInputs) -> StrategyState {
    let idle = if !i.enabled {
        Some(IdleReason::Disabled)
    } else if !i.positions_known {
        Some(IdleReason::WaitingForReconciliation)
    } else if i.blackout {
        Some(IdleReason::Blackout)
    } else if i.forecast == ForecastStatus::Missing {
        Some(IdleReason::NoForecast)
    } else if i.forecast == ForecastStatus::Stale {
        Some(IdleReason::ForecastStale)
    } else if i.forecast == ForecastStatus::AwaitingNewer {
        Some(IdleReason::AwaitingNewerForecast)
    } else if i.books_fresh == 0 && i.books_stale == 0 {
        Some(IdleReason::NoBooks)
    } else if i.books_fresh == 0 {
        Some(IdleReason::BooksStale)
    } else if i.forecast == ForecastStatus::Fresh && i.markets_priced == 0 {
        Some(IdleReason::NoMarketPriced)
    } else {
        None
    };
    idle.map_or(StrategyState::Trading, StrategyState::Idle)
}

/// The state as the metrics carry it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct StateReport {
    /// `trading` or `idle: <why>`.
    pub state: String,
    /// Whether nothing stops the strategy from placing orders.
    pub trading: bool,
    /// One flag per reason to be idle ([`IdleReason::key`]); at most one is set.
    pub idle: BTreeMap<&'static str, bool>,
    /// The state itself.
    #[serde(skip)]
    pub kind: StrategyState,
}

impl StateReport {
    /// The report of `state`.
    pub fn of(state: StrategyState) -> StateReport {
        StateReport {
            state: state.to_string(),
            trading: state == StrategyState::Trading,
            idle: IdleReason::ALL
                .iter()
                .map(|r| (r.key(), state == StrategyState::Idle(*r)))
                .collect(),
            kind: state,
        }
    }
}

#[cfg(test)]
#[path = "state_tests.rs"]
mod tests;
