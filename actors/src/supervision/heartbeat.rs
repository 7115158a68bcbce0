//! The question the guardian asks every actor several times a second, and the answer: alive
//! (it answered at all) and ready (it has rebuilt what it needs after a start or a restart:
//! the gateway its client, the cache its selection, the clock its state, the order manager its
//! reconciliation, the strategy its positions, the feed its connection).

use actix::{Message, MessageResponse};
use serde::Serialize;

/// Are you there, and ready?
#[derive(Debug, Clone, Copy, Message)]
#[rtype(result = "Liveness")]
pub struct Heartbeat;

/// An actor's answer to [`Heartbeat`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, MessageResponse)]
pub struct Liveness {
    /// Ready to do its job.
    pub ready: bool,
    /// Why not, when it is not.
    pub waiting_for: Option<String>,
}

impl Liveness {
    /// Ready.
    pub fn ready() -> Liveness {
        Liveness {
            ready: true,
            waiting_for: None,
        }
    }

    /// Not ready, for `why`.
    pub fn waiting(why: impl Into<String>) -> Liveness {
        Liveness {
            ready: false,
            waiting_for: Some(why.into()),
        }
    }

    /// Ready when `ok`, else waiting for `why`.
    pub fn when(ok: bool, why: &str) -> Liveness {
        if ok {
            Liveness::ready()
        } else {
            Liveness::waiting(why)
        }
    }
}
