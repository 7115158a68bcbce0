//! The gateway's life: started (HTTP client built, budget sized from the account's limits,
//! then every `limits_refresh_s`), restarted after a panic (a fresh dispatcher with empty
//! buckets — every queued or in-flight request of the failed instance is answered `Stopped`,
//! which its caller treats as an unknown outcome — then started again), and its answer to the
//! guardian's heartbeat.

use std::time::Duration;

use actix::{Actor, AsyncContext, Context, Handler, Supervised};
use tracing::warn;

use super::{Gateway, dispatch::Dispatcher, http};
use crate::supervision::{Heartbeat, Liveness};

impl Actor for Gateway {
    type Context = Context<Self>;

    fn started(&mut self, ctx: &mut Context<Self>) {
        match crate::http_client::build(http::ms(self.cfg.request_timeout_ms), self.base.tls) {
            Ok(client) => self.client = Some(client),
            Err(e) => warn!(error = %e, "cannot build the HTTP client; every request will fail"),
        }
        self.refresh_limits(ctx);
        if self.cfg.limits_refresh_s > 0 {
            ctx.run_interval(
                Duration::from_secs(self.cfg.limits_refresh_s),
                |act, ctx| act.refresh_limits(ctx),
            );
        }
    }
}

impl Supervised for Gateway {
    fn restarting(&mut self, _ctx: &mut Context<Self>) {
        // Dropping the old dispatcher drops every queued job's answer channel.
        self.dispatcher = Dispatcher::for_config(&self.cfg, self.clock.monotonic_ns());
        self.client = None;
        self.wake = None;
        self.limits_from_exchange = false;
    }
}

impl Handler<Heartbeat> for Gateway {
    type Result = Liveness;

    fn handle(&mut self, _msg: Heartbeat, _ctx: &mut Context<Self>) -> Liveness {
        Liveness::when(self.client.is_some(), "its HTTP client")
    }
}
