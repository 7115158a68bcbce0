//! One WebSocket connection's state, reset on every restart: where it stands ([`Phase`]), its
//! write half, and what the idle watchdog reads.

use std::pin::Pin;

use actix::io::SinkWrite;
use awc::{error::WsProtocolError, ws::Message};
use futures_util::Sink;

/// The write half, type-erased.
pub(super) type WsSink = SinkWrite<Message, Pin<Box<dyn Sink<Message, Error = WsProtocolError>>>>;

/// Where the connection stands.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(super) enum Phase {
    /// Waiting out the delay or in the handshake.
    #[default]
    Connecting,
    /// Frames flow.
    Open,
    /// Lost; the actor is stopping.
    Gone,
}

/// One connection's state (reset on restart).
#[derive(Default)]
pub(super) struct Link {
    pub(super) phase: Phase,
    pub(super) sink: Option<WsSink>,
    /// When frames were last known to flow (set by the watchdog's tick, not per frame).
    pub(super) last_seen_ns: u128,
    /// A frame arrived since the watchdog last looked: one flag per frame instead of one
    /// clock read.
    pub(super) heard: bool,
}

impl std::fmt::Debug for Link {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Link")
            .field("phase", &self.phase)
            .finish_non_exhaustive()
    }
}

impl Link {
    /// Whether frames flow.
    pub(super) fn is_open(&self) -> bool {
        self.phase == Phase::Open
    }
}
