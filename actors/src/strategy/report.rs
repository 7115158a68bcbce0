//! The strategy actor's answer to `GetMetrics`: its counters and gauges, and its state —
//! `trading` or `idle` and why — computed by [`super::state::strategy_state`] from what the
//! actor holds now (enabled, positions read, blackout, forecast and its age, books fresh and
//! stale, markets priced). The engine adds the order manager's say (a halt, a reconciliation)
//! with [`StrategyMetrics::with_orders`].

use actix::{Context, Handler, MessageResult};

use super::{
    actor::{GetMetrics, StrategyActor},
    metrics::StrategyMetrics,
    state::{self, ForecastStatus, StateInputs, StateReport, StrategyState},
};

impl StrategyActor {
    /// Where the forecast stands for the strategy now.
    fn forecast_status(&self) -> ForecastStatus {
        state::forecast_status(
            &self.cfg.forecast,
            self.strategy.uses_forecast(),
            self.forecast_at,
            self.forecast_entries(),
            self.clock.now(),
        )
        .awaiting_newer(self.cycle.awaiting)
    }

    /// Whether the forecast may be traded on: not stale, not made old by a GFS window.
    pub(super) fn forecast_tradable(&self) -> bool {
        !matches!(
            self.forecast_status(),
            ForecastStatus::Stale | ForecastStatus::AwaitingNewer
        )
    }

    /// The strategy's state, as far as the actor knows.
    pub(super) fn state(&self) -> StrategyState {
        let books_fresh = self
            .markets
            .keys()
            .filter(|t| !self.stale.contains_key(*t))
            .count();
        state::strategy_state(&StateInputs {
            enabled: self.cfg.enabled,
            positions_known: self.seeded,
            blackout: self.blackout,
            forecast: self.forecast_status(),
            markets_priced: self.markets_priced,
            books_fresh,
            books_stale: self.stale.len(),
        })
    }
}

impl Handler<GetMetrics> for StrategyActor {
    type Result = MessageResult<GetMetrics>;

    fn handle(&mut self, _msg: GetMetrics, _ctx: &mut Context<Self>) -> Self::Result {
        MessageResult(StrategyMetrics {
            counters: self.counters.clone(),
            forecast_entries: self.forecast_entries(),
            forecast_age_s: self
                .forecast_at
                .map(|t| (self.clock.now() - t).num_seconds()),
            forecast_model_run_s: self.forecast.model_run.map(|t| t.timestamp()),
            forecast_awaiting_newer: self.cycle.awaiting,
            markets_priced: self.markets_priced,
            blackout: self.blackout,
            state: StateReport::of(self.state()),
            own: self.strategy.counters(),
        })
    }
}
