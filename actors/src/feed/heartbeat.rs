//! The feed's answer to the guardian's heartbeat: ready while its connection is open.

use actix::{Context, Handler};

use super::Feed;
use crate::supervision::{Heartbeat, Liveness};

impl Handler<Heartbeat> for Feed {
    type Result = Liveness;

    fn handle(&mut self, _msg: Heartbeat, _ctx: &mut Context<Self>) -> Liveness {
        Liveness::when(self.link.is_open(), "its connection")
    }
}
