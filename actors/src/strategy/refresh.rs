//! The strategy actor's forecast refreshes: the forecast file looked at on its interval,
//! Open-Meteo fetched on the model cycle's schedule, and a refetch when a GFS blackout window
//! ends ([`super::cycle`]): the forecast that arrives then is traded on only if it is newer
//! than the last; until one is, the strategy gets no fair value and places nothing, and the
//! fetch is retried after a minute, then after a doubling wait up to `refresh_s`.

use std::time::Duration;

use actix::{ActorFutureExt, AsyncContext, Context, WrapFuture};
use tracing::{info, warn};

use super::{
    actor::StrategyActor,
    config::ForecastSource,
    forecast::Forecast,
    source::{self, FileCheck},
};

impl StrategyActor {
    /// A forecast arrived from the source (`fetched`: what it answered; `merged`: what to
    /// trade on, the last forecast updated with it). Taken unless a newer one is awaited and
    /// this is not it.
    fn forecast_arrived(&mut self, fetched: &Forecast, merged: Forecast) {
        if !self.cycle.offer(fetched) {
            self.counters.forecast_not_newer += 1;
            info!("forecast not newer than the last after the GFS window; still waiting");
            return;
        }
        self.counters.forecast_loads += 1;
        self.forecast = merged;
        self.reprice();
        self.forecast_at = Some(self.clock.now());
        if let Some(tap) = &self.peers.record {
            tap.forecast(self.forecast.to_file_json());
        }
        info!(entries = self.forecast_entries(), model_run = ?self.forecast.model_run, "forecast loaded");
    }

    /// A GFS window ended: refetch now and wait for a newer forecast.
    pub(super) fn refetch(&mut self, ctx: &mut Context<Self>) {
        self.counters.forecast_refetches += 1;
        info!(source = ?self.cfg.forecast.source, "GFS window ended: refetching the forecast");
        match self.cfg.forecast.source {
            ForecastSource::None => {}
            ForecastSource::File => self.check_file(),
            ForecastSource::OpenMeteo => {
                if let Some(pending) = self.next_fetch.take() {
                    ctx.cancel_future(pending);
                }
                self.fetch_open_meteo(ctx);
            }
        }
    }

    pub(super) fn check_file(&mut self) {
        match self.file.check() {
            FileCheck::Unchanged => {}
            FileCheck::Missing => {
                self.counters.forecast_errors += 1;
                warn!(file = %self.file.path().display(), "forecast file missing");
            }
            FileCheck::Loaded(f) => self.forecast_arrived(&f.clone(), f),
            FileCheck::Failed(e) => {
                self.counters.forecast_errors += 1;
                warn!(file = %self.file.path().display(), error = %e, "forecast file not loaded; keeping the last one");
            }
        }
    }

    pub(super) fn fetch_open_meteo(&mut self, ctx: &mut Context<Self>) {
        let Some(client) = self.forecast_client() else {
            return;
        };
        let requests = source::ensemble_requests(&self.forecast_base, &self.cfg.forecast);
        let fetch = source::fetch_ensembles(client, requests);
        ctx.spawn(fetch.into_actor(self).map(|(forecast, errors), act, ctx| {
            let now = act.clock.now();
            let got = !forecast.ensembles.is_empty();
            if !errors.is_empty() {
                act.counters.forecast_errors += 1;
                warn!(errors = ?errors, "forecast fetch incomplete");
            }
            if got {
                let mut merged = act.forecast.clone();
                merged.merge(forecast.clone());
                act.forecast_arrived(&forecast, merged);
            }
            let wait = if got && act.cycle.awaiting {
                let cap = Duration::from_secs(act.cfg.forecast.refresh_s);
                act.cycle.awaiting_retry(cap)
            } else {
                let next = source::next_attempt(&act.cfg.forecast, now, got);
                (next - now).to_std().unwrap_or(Duration::from_secs(1))
            };
            act.next_fetch = Some(ctx.run_later(wait, |act, ctx| act.fetch_open_meteo(ctx)));
        }));
    }

    /// The HTTP client for forecasts, built on first use.
    fn forecast_client(&mut self) -> Option<awc::Client> {
        if self.client.is_none() {
            let timeout = Duration::from_millis(self.cfg.forecast.timeout_ms);
            match crate::http_client::build(timeout, self.forecast_base.starts_with("https://")) {
                Ok(c) => self.client = Some(c),
                Err(e) => warn!(error = %e, "no HTTP client for the forecast"),
            }
        }
        self.client.clone()
    }
}
