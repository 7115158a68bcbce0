//! What the server keeps of each live WebSocket session ([`SessionControl`]: owner, socket,
//! command channel) and the commands it can send one ([`SessionCommand`]). The registry is
//! [`Shared::sessions`](super::state::Shared::sessions); [`SimControl::drop_ws`] and the
//! periodic drop fault send through it.
//!
//! [`SimControl::drop_ws`]: super::control::SimControl::drop_ws

use tokio::sync::mpsc::UnboundedSender;

use super::{conn::ConnFd, faults::DropMode};
use crate::engine::AccountIdx;

/// A command to one WebSocket session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionCommand {
    /// End the connection this way.
    Drop(DropMode),
}

/// What the server keeps of a live WebSocket session.
#[derive(Debug, Clone)]
pub struct SessionControl {
    /// Owner.
    pub account: AccountIdx,
    /// Its socket, for cuts.
    pub fd: Option<ConnFd>,
    /// Its command channel.
    pub tx: UnboundedSender<SessionCommand>,
}
