//! What the guards and the order manager tell the guardian about an actor.

use actix::Message;

/// Something happened to a supervised actor.
#[derive(Debug, Clone, PartialEq, Eq, Message)]
#[rtype(result = "()")]
pub struct ChildEvent {
    /// The actor's name (`gateway`, `feed`, `metadata`, `blackout`, `orders`, `strategy`).
    pub actor: &'static str,
    /// What.
    pub kind: ChildEventKind,
}

/// What happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChildEventKind {
    /// A handler panicked; the actor was restarted in place.
    Panicked {
        /// The panic's message.
        reason: String,
    },
    /// It stopped itself and was started again (its policy: the feed's reconnects).
    Stopped,
    /// It ended and will not run again.
    Ended,
    /// The order journal refused a write: nothing it does next can be trusted to be recorded.
    JournalFailed {
        /// The error.
        reason: String,
    },
}
