//! The metadata cache's life: started (the selection fetched, then every `ttl_s`), restarted
//! after a panic (nothing in flight is trusted; the selection is fetched again — the markets
//! held meanwhile still answer lookups), and its answer to the guardian's heartbeat: ready
//! once a whole selection has been read.

use std::time::Duration;

use actix::{Actor, AsyncContext, Context, Handler, Supervised};

use super::Metadata;
use crate::supervision::{Heartbeat, Liveness};

impl Actor for Metadata {
    type Context = Context<Self>;

    fn started(&mut self, ctx: &mut Context<Self>) {
        self.refresh_selection(ctx);
        ctx.run_interval(Duration::from_secs(self.cfg.ttl_s), |act, ctx| {
            act.refresh_selection(ctx)
        });
    }
}

impl Supervised for Metadata {
    fn restarting(&mut self, _ctx: &mut Context<Self>) {
        self.in_flight.clear();
        self.refreshing = false;
        self.schedule_timer = None;
        self.last_refresh = None;
    }
}

impl Handler<Heartbeat> for Metadata {
    type Result = Liveness;

    fn handle(&mut self, _msg: Heartbeat, _ctx: &mut Context<Self>) -> Liveness {
        Liveness::when(self.last_refresh.is_some(), "its first selection")
    }
}
