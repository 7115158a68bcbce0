//! The blackout clock's life: started (HTTP client for probes, the state computed and told,
//! the exchange's windows read), restarted after a panic (nothing broadcast is trusted: the
//! state is computed and told again, timers re-armed), and its answer to the guardian's
//! heartbeat: ready once it has told its subscribers a state.

use std::time::Duration;

use actix::{Actor, AsyncContext, Context, Handler, Supervised};
use tracing::warn;

use super::{BlackoutClock, probe::ProbeTarget};
use crate::supervision::{Heartbeat, Liveness};

impl Actor for BlackoutClock {
    type Context = Context<Self>;

    fn started(&mut self, ctx: &mut Context<Self>) {
        if self
            .probes
            .iter()
            .flatten()
            .any(|p| matches!(p, ProbeTarget::Http { .. }))
        {
            let timeout = Duration::from_millis(self.cfg.probe_timeout_ms);
            match crate::http_client::build(timeout, true) {
                Ok(client) => self.http = Some(client),
                Err(error) => warn!(%error, "cannot build the HTTP client; HTTP probes will fail"),
            }
        }
        self.reevaluate(ctx);
        if self.cfg.exchange_schedule {
            self.refresh_schedule(ctx);
            if self.cfg.schedule_refresh_s > 0 {
                let every = Duration::from_secs(self.cfg.schedule_refresh_s);
                ctx.run_interval(every, |act, ctx| act.refresh_schedule(ctx));
            }
        }
    }
}

impl Supervised for BlackoutClock {
    fn restarting(&mut self, _ctx: &mut Context<Self>) {
        self.last = None;
        self.wake = None;
        self.probing = false;
    }
}

impl Handler<Heartbeat> for BlackoutClock {
    type Result = Liveness;

    fn handle(&mut self, _msg: Heartbeat, _ctx: &mut Context<Self>) -> Liveness {
        Liveness::when(self.last.is_some(), "its first state")
    }
}
