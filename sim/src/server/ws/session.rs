//! The loop of one WebSocket session: a `select!` over the control channel
//! ([`SessionCommand`]), the client's frames, the heartbeat timer, a held reorder delta's
//! deadline, and the notice broadcast. Each turn appends frames to an outbox through the
//! [`Handler`] and then sends them in order, so nothing is sent from two places.
//!
//! - Notices are handled in batches of up to [`BATCH`] (one `recv`, then `try_recv`), which
//!   keeps a busy connection's frames flowing without starving the other branches.
//! - Heartbeat: a Ping with payload `heartbeat` every `ws_ping_interval_ms`; a tick that
//!   finds no Pong for `ws_pong_timeout_ms` closes the connection (Close 1008 "pong timeout",
//!   counted in `ws_pong_timeouts`). Client Pings get Pongs.
//! - Faults: `Drop(Close)` sends Close 1001 and ends; `Drop(Cut)` ends silently (the socket
//!   was already cut). `ws_stall` parks the session: it sends nothing (no data, no pings),
//!   reads neither the client nor the broadcast, and keeps the TCP connection open. When the
//!   stall is lifted it resumes where it stopped, in order and without a gap, as long as the
//!   broadcast still holds what it missed (`ws_buffer` notices); past that it is a slow reader
//!   like any other and its subscriptions overflow (error 25). The pong clock restarts then:
//!   the client had no ping to answer.

use std::{sync::Arc, time::Duration};

use actix_ws::{AggregatedMessage, AggregatedMessageStream, CloseCode, CloseReason};
use kalshi::ws::{ErrorResponse, Incoming, WsErrorCode};
use tokio::{
    sync::{
        broadcast::{
            self,
            error::{RecvError, TryRecvError},
        },
        mpsc::UnboundedReceiver,
    },
    time::{Instant, MissedTickBehavior, interval_at, sleep, sleep_until},
};

use super::{frames, handler::Handler};
use crate::server::{
    faults::DropMode,
    sessions::SessionCommand,
    state::{Stamped, lock},
};

/// Most notices handled before the outbox is sent.
pub const BATCH: usize = 512;

/// How often a stalled session looks whether the stall was lifted.
const STALL_POLL: Duration = Duration::from_millis(10);

/// The payload of the server's pings, as Kalshi sends it.
pub const PING_PAYLOAD: &[u8] = b"heartbeat";

/// The session's ends: the socket, the frames from the client, the notice broadcast (already
/// subscribed when the connection was accepted) and the control channel.
pub struct Io {
    /// Frames to the client.
    pub out: actix_ws::Session,
    /// Frames from the client, continuations joined.
    pub frames: AggregatedMessageStream,
    /// Exchange notices.
    pub notices: broadcast::Receiver<Arc<Stamped>>,
    /// Fault commands from `SimControl`.
    pub cmds: UnboundedReceiver<SessionCommand>,
}

impl std::fmt::Debug for Io {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Io")
            .field("notices", &self.notices)
            .field("cmds", &self.cmds)
            .finish_non_exhaustive()
    }
}

/// Why a session ended.
#[derive(Debug)]
enum End {
    /// The client sent Close.
    ClientClosed(Option<CloseReason>),
    /// The socket ended or failed.
    Gone,
    /// A drop fault.
    Dropped(DropMode),
    /// No pong in time.
    PongTimeout,
    /// The client broke the WebSocket protocol (oversized or invalid frame).
    Protocol,
    /// The simulator is stopping.
    ServerStopped,
}

#[derive(Debug)]
struct Session {
    handler: Handler,
    io: Io,
    outbox: Vec<String>,
    last_pong: Instant,
}

/// Runs a session to its end.
pub async fn run(handler: Handler, io: Io) {
    let mut session = Session {
        handler,
        io,
        outbox: Vec::new(),
        last_pong: Instant::now(),
    };
    let end = session.serve().await;
    tracing::debug!(?end, "WebSocket session ended");
    session.finish(end).await;
}

impl Session {
    async fn serve(&mut self) -> End {
        let cfg = &self.handler.shared.config;
        let period = Duration::from_millis(cfg.ws_ping_interval_ms);
        let timeout = Duration::from_millis(cfg.ws_pong_timeout_ms);
        let mut ping = interval_at(Instant::now() + period, period);
        ping.set_missed_tick_behavior(MissedTickBehavior::Delay);
        loop {
            let deadline = self.handler.deadline().map(Instant::from_std);
            tokio::select! {
                biased;
                Some(SessionCommand::Drop(mode)) = self.io.cmds.recv() => return End::Dropped(mode),
                msg = self.io.frames.recv() => {
                    if let Some(end) = self.on_client(msg).await {
                        return end;
                    }
                }
                _ = ping.tick() => {
                    if let Some(end) = self.heartbeat(timeout).await {
                        return end;
                    }
                }
                () = sleep_until(deadline.unwrap_or_else(Instant::now)), if deadline.is_some() => {
                    self.handler.release_held(&mut self.outbox);
                }
                first = self.io.notices.recv() => {
                    if let Some(end) = self.on_notices(first) {
                        return end;
                    }
                }
            }
            // The stall is checked after the wait, so one that began during it holds back what
            // this turn produced.
            if self.switches().0 {
                if let Some(end) = self.stall().await {
                    return end;
                }
                // The client had no ping to answer meanwhile.
                self.last_pong = Instant::now();
                ping.reset();
            }
            if let Err(end) = self.flush(timeout).await {
                return end;
            }
        }
    }

    /// A ping tick: closes a connection that answered no ping for `timeout`, else pings
    /// (not while stalled: the stall may have begun during the wait).
    async fn heartbeat(&mut self, timeout: Duration) -> Option<End> {
        if self.switches().0 {
            return None;
        }
        if self.last_pong.elapsed() >= timeout {
            return Some(End::PongTimeout);
        }
        self.io
            .out
            .ping(PING_PAYLOAD)
            .await
            .err()
            .map(|_| End::Gone)
    }

    /// The stall switch, and whether any sequence fault switch is set.
    fn switches(&self) -> (bool, bool) {
        let f = lock(&self.handler.shared.faults);
        let armed = f.ws_skip_seq_next > 0 || f.ws_duplicate_next > 0 || f.ws_reorder_next > 0;
        (f.ws_stall, armed)
    }

    /// Waits while the stall switch is on; only a drop ends the wait early.
    async fn stall(&mut self) -> Option<End> {
        loop {
            tokio::select! {
                biased;
                Some(SessionCommand::Drop(mode)) = self.io.cmds.recv() => {
                    return Some(End::Dropped(mode));
                }
                () = sleep(STALL_POLL) => {}
            }
            if !lock(&self.handler.shared.faults).ws_stall {
                return None;
            }
        }
    }

    async fn on_client(
        &mut self,
        msg: Option<Result<AggregatedMessage, actix_ws::ProtocolError>>,
    ) -> Option<End> {
        match msg {
            None => Some(End::Gone),
            Some(Err(e)) => {
                tracing::debug!(error = %e, "WebSocket protocol error");
                Some(End::Protocol)
            }
            Some(Ok(AggregatedMessage::Text(text))) => {
                self.handler.on_text(&text, &mut self.outbox);
                None
            }
            Some(Ok(AggregatedMessage::Binary(_))) => {
                let err = ErrorResponse::new(None, WsErrorCode::UNABLE_TO_PROCESS);
                self.outbox.push(frames::text(&Incoming::Error(err)));
                None
            }
            Some(Ok(AggregatedMessage::Ping(payload))) => {
                self.io.out.pong(&payload).await.err().map(|_| End::Gone)
            }
            Some(Ok(AggregatedMessage::Pong(_))) => {
                self.last_pong = Instant::now();
                None
            }
            Some(Ok(AggregatedMessage::Close(reason))) => Some(End::ClientClosed(reason)),
        }
    }

    /// Handles the notice `recv` returned and up to [`BATCH`] − 1 more already queued.
    fn on_notices(&mut self, first: Result<Arc<Stamped>, RecvError>) -> Option<End> {
        self.handler.set_armed(self.switches().1);
        let mut next = first;
        for handled in 1.. {
            match next {
                Ok(n) => self.handler.on_notice(&n, &mut self.outbox),
                Err(RecvError::Lagged(missed)) => self.handler.on_lag(missed, &mut self.outbox),
                Err(RecvError::Closed) => return Some(End::ServerStopped),
            }
            if handled == BATCH {
                break;
            }
            next = match self.io.notices.try_recv() {
                Ok(n) => Ok(n),
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Lagged(missed)) => Err(RecvError::Lagged(missed)),
                Err(TryRecvError::Closed) => Err(RecvError::Closed),
            };
        }
        None
    }

    /// Sends the outbox in order. A client that stops reading blocks this (the socket
    /// buffers fill up); a drop still ends it, and so does the pong timeout, since such a
    /// client's pongs go unread too.
    async fn flush(&mut self, timeout: Duration) -> Result<(), End> {
        let sent = self.outbox.len() as u64;
        let give_up = self.last_pong + timeout;
        for text in self.outbox.drain(..) {
            tokio::select! {
                biased;
                Some(SessionCommand::Drop(mode)) = self.io.cmds.recv() => {
                    return Err(End::Dropped(mode));
                }
                sent = self.io.out.text(text) => sent.map_err(|_| End::Gone)?,
                () = sleep_until(give_up) => return Err(End::PongTimeout),
            }
        }
        if sent > 0 {
            let stats = &self.handler.shared.stats;
            stats
                .ws_messages
                .fetch_add(sent, std::sync::atomic::Ordering::Relaxed);
        }
        Ok(())
    }

    /// Closes the connection as the end calls for.
    async fn finish(self, end: End) {
        let close = |code: CloseCode, why: &str| {
            Some(CloseReason {
                code,
                description: Some(why.to_owned()),
            })
        };
        let reason = match end {
            End::Gone | End::Dropped(DropMode::Cut) => return,
            End::Dropped(DropMode::Close) => close(CloseCode::Away, "dropped by the simulator"),
            End::PongTimeout => {
                let stats = &self.handler.shared.stats;
                stats
                    .ws_pong_timeouts
                    .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                close(CloseCode::Policy, "pong timeout")
            }
            End::ClientClosed(reason) => reason,
            End::Protocol => close(CloseCode::Protocol, "protocol error"),
            End::ServerStopped => close(CloseCode::Away, "server stopping"),
        };
        let _ = self.io.out.close(reason).await;
    }
}
