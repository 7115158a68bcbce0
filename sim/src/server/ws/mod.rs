//! Kalshi's WebSocket v2 at `/trade-api/ws/v2` (kalshi-api.md §6): the handshake here, one
//! session task per connection.
//!
//! The upgrade request is authenticated like a REST call (the three `KALSHI-ACCESS-*` headers,
//! signing `timestamp + "GET" + "/trade-api/ws/v2"`); a failure is a 401 with Kalshi's JSON
//! error body, before any upgrade. An accepted connection subscribes to the notice broadcast
//! *first* (so every notice published after any later snapshot read is in its queue), is
//! registered in `Shared::sessions` for the drop faults, and runs on the worker's local set
//! (actix-ws types are `!Send`) until it ends; the registration is removed then.
//!
//! # Layout
//! - [`session`]: the loop — client frames, notices, heartbeat, faults.
//! - [`handler`]: one connection's state and notice routing; `commands`: the commands;
//!   `merge`: a `subscribe` merged into an existing subscription (`ws_merge_subscribes`).
//! - [`subs`]: subscriptions, sids, `seq`, stamp floors (pure).
//! - [`frames`]: notices → wire frames (pure).
//! - [`faults`]: per-connection sequence faults (pure).

mod commands;
mod faults;
mod frames;
mod handler;
mod merge;
mod session;
mod subs;

use std::sync::{Arc, atomic::Ordering};

use actix_web::{HttpRequest, HttpResponse, web};
use tokio::sync::mpsc;

use super::{
    auth,
    conn::conn_fd,
    sessions::SessionControl,
    state::{Shared, lock},
};

/// Largest frame accepted from a client (commands are small; Kalshi's limit is not
/// documented). actix's default is 64 KiB.
pub const MAX_FRAME_BYTES: usize = 1 << 20;

/// Largest message accepted from a client once continuation frames are joined.
pub const MAX_MESSAGE_BYTES: usize = 4 << 20;

/// Removes a session from the registry when its task ends, however it ends.
#[derive(Debug)]
struct Registration {
    shared: Arc<Shared>,
    id: u64,
}

impl Drop for Registration {
    fn drop(&mut self) {
        lock(&self.shared.sessions).remove(&self.id);
    }
}

/// Authenticates the upgrade request, then upgrades to a WebSocket session.
pub async fn connect(
    shared: web::Data<Shared>,
    req: HttpRequest,
    body: web::Payload,
) -> actix_web::Result<HttpResponse> {
    let shared = shared.into_inner();
    let authed =
        auth::authenticate(&shared, &req).inspect_err(|e| shared.count_status(e.status))?;
    let (response, out, stream) = actix_ws::handle(&req, body)?;
    let frames = stream
        .max_frame_size(MAX_FRAME_BYTES)
        .aggregate_continuations()
        .max_continuation_size(MAX_MESSAGE_BYTES);
    // Subscribe before anything can read a snapshot: see `subs.rs` on stamps.
    let notices = shared.notices.subscribe();
    let user_id = shared
        .read_core(|c| {
            c.exchange
                .account(authed.account)
                .map(|a| a.account_id.clone())
        })
        .0
        .unwrap_or_default();
    let (tx, cmds) = mpsc::unbounded_channel();
    let id = shared.next_session.fetch_add(1, Ordering::Relaxed);
    lock(&shared.sessions).insert(
        id,
        SessionControl {
            account: authed.account,
            fd: conn_fd(&req),
            tx,
        },
    );
    shared.stats.ws_connections.fetch_add(1, Ordering::Relaxed);
    let registration = Registration {
        shared: shared.clone(),
        id,
    };
    let handler = handler::Handler::new(shared, authed.account, user_id);
    let io = session::Io {
        out,
        frames,
        notices,
        cmds,
    };
    actix_web::rt::spawn(async move {
        let _registration = registration;
        session::run(handler, io).await;
    });
    Ok(response)
}
