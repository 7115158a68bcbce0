//! Panics on purpose, for tests and `tradewind soak --process-faults` only: every actor
//! handles [`InjectPanic`] by panicking with the reason given. Compiled only with the
//! `fault-injection` feature, which no configuration of a normal run can turn on.

use actix::{Actor, Handler, Message};

use crate::{
    blackout::BlackoutClock, feed::Feed, gateway::Gateway, metadata::Metadata, orders::Orders,
    strategy::StrategyActor,
};

/// Makes the receiving actor panic inside its handler.
#[derive(Debug, Clone, Message)]
#[rtype(result = "()")]
pub struct InjectPanic {
    /// The panic's message.
    pub reason: String,
}

macro_rules! panics_on_request {
    ($($actor:ty),*) => {$(
        impl Handler<InjectPanic> for $actor {
            type Result = ();

            fn handle(&mut self, msg: InjectPanic, _ctx: &mut <$actor as Actor>::Context) {
                panic!("injected fault: {}", msg.reason);
            }
        }
    )*};
}

panics_on_request!(
    Gateway,
    Feed,
    Metadata,
    BlackoutClock,
    Orders,
    StrategyActor
);
