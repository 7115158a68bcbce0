//! Panics on purpose, for tests and `tradewind soak --process-faults` only. With the
//! `fault-injection` feature every actor handles `InjectPanic` by panicking with the reason
//! given, and [`panic_actor`] sends one to an engine's actor by name. Without it (every normal
//! build: no configuration can turn it on) [`ENABLED`] is false, `InjectPanic` does not exist
//! and [`panic_actor`] only answers that this build cannot.

use crate::root::Engine;

/// Whether this build can make actors panic on purpose (feature `fault-injection`).
pub const ENABLED: bool = cfg!(feature = "fault-injection");

/// The actors [`panic_actor`] can reach, by the names the supervision tree reports them under.
pub const ACTORS: [&str; 6] = [
    "gateway", "feed", "metadata", "blackout", "orders", "strategy",
];

/// Makes `engine`'s `actor` (one of [`ACTORS`]) panic in its handler, with `reason`.
///
/// # Errors
/// An unknown actor, or a build without the `fault-injection` feature.
pub fn panic_actor(engine: &Engine, actor: &str, reason: &str) -> Result<(), String> {
    if !ACTORS.contains(&actor) {
        return Err(format!("no actor {actor:?}; one of {}", ACTORS.join(", ")));
    }
    send(engine, actor, reason)
}

#[cfg(feature = "fault-injection")]
fn send(engine: &Engine, actor: &str, reason: &str) -> Result<(), String> {
    let p = InjectPanic {
        reason: reason.to_owned(),
    };
    match actor {
        "gateway" => engine.gateway.do_send(p),
        "feed" => engine.feed.do_send(p),
        "metadata" => engine.metadata.do_send(p),
        "blackout" => engine.blackout.do_send(p),
        "orders" => engine.orders.do_send(p),
        _ => engine.strategy.do_send(p),
    }
    Ok(())
}

#[cfg(not(feature = "fault-injection"))]
fn send(_: &Engine, _: &str, _: &str) -> Result<(), String> {
    Err("this build cannot inject panics: build with `--features fault-injection`".to_owned())
}

#[cfg(feature = "fault-injection")]
pub use self::inject::InjectPanic;

#[cfg(feature = "fault-injection")]
mod inject {
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
}
