//! The supervision tree, in the spirit of Erlang/OTP: every actor runs under a [`guard`] that
//! catches a panic in its handlers, logs it with the actor's name and message and restarts the
//! actor in place (its address stays valid; `Supervised::restarting` rebuilds its state); the
//! [`guardian`] counts failures per actor and escalates past the [`policy`]'s intensity (or at
//! once when the journal fails), and asks every actor for a [`heartbeat`] several times a
//! second, so no death or hang goes unnoticed for more than `heartbeat_timeout_ms`.
//!
//! # Layout
//! - [`guard`]: the panic-catching future an actor runs in; [`event`]: what it reports.
//! - [`guardian`]: the actor at the top; [`policy`]: restart or escalate (pure).
//! - [`heartbeat`]: the liveness question every actor answers; [`config`]: `[supervision]`.

pub mod config;
pub mod event;
pub mod guard;
pub mod guardian;
pub mod heartbeat;
pub mod policy;

pub use self::{
    config::SupervisionConfig,
    event::{ChildEvent, ChildEventKind},
    guard::{OnStop, supervise},
    guardian::{
        Escalation, Guardian, NotReady, ShuttingDown, SupervisionMetrics, TellNotReady, Watch,
    },
    heartbeat::{Heartbeat, Liveness},
};
