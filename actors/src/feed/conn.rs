//! The awc WebSocket glue: connect with a freshly signed handshake (TLS for `wss://`, a
//! raised frame limit), frames in through `ctx.add_stream`, commands and pongs out through a
//! `SinkWrite`, and the idle watchdog. Every way a connection can end — Close frame, end of
//! stream (TCP loss), protocol or write error, watchdog, failed connect — goes through
//! [`Feed::lost`], which marks every book stale, tells the listeners and stops the actor so the
//! supervisor restarts it.
//!
//! awc answers no pings by itself: each `Ping` gets a `Pong` with its payload here.

use std::pin::Pin;

use actix::{
    ActorContext, ActorFutureExt, AsyncContext, Context, Running, StreamHandler, WrapFuture,
    io::{SinkWrite, WriteHandler},
};
use awc::{
    error::WsProtocolError,
    ws::{Frame, Message},
};
use futures_util::{Sink, StreamExt};
use kalshi::ws::Command;
use tracing::{debug, info, warn};

use super::{Feed, config::ms, link::Phase};
use crate::market_data::{BookStale, FeedEvent, StaleReason};

impl Feed {
    /// Connects after `delay`, signing the handshake when the delay is over. Every failure,
    /// even building the client, comes after the delay, so none can make a tight loop.
    pub(super) fn connect(&mut self, delay: std::time::Duration, ctx: &mut Context<Self>) {
        let cached = self.client.clone();
        let (timeout, tls) = (ms(self.cfg.connect_timeout_ms), self.base.tls);
        let signer = self.signer.clone();
        let url = format!("{}{}", self.base.origin, self.base.prefix);
        let path = self.base.prefix.clone();
        let max_frame = self.cfg.max_frame_bytes;
        let fut = async move {
            if !delay.is_zero() {
                actix_rt::time::sleep(delay).await;
            }
            let client = match cached {
                Some(c) => c,
                None => crate::http_client::build(timeout, tls)
                    .map_err(|e| format!("cannot build the client: {e}"))?,
            };
            let headers = signer
                .sign("GET", &path)
                .map_err(|e| format!("signing failed: {e}"))?;
            let mut req = client.ws(url).max_frame_size(max_frame);
            for (name, value) in headers.pairs() {
                req = req.header(name, value);
            }
            let (_resp, framed) = req
                .connect()
                .await
                .map_err(|e| format!("connect failed: {e}"))?;
            Ok::<_, String>((client, framed))
        };
        ctx.spawn(fut.into_actor(self).map(|res, act, ctx| match res {
            Ok((client, framed)) => {
                act.client = Some(client);
                let (sink, stream) = framed.split();
                let sink: Pin<Box<dyn Sink<Message, Error = WsProtocolError>>> = Box::pin(sink);
                act.link.sink = Some(SinkWrite::new(sink, ctx));
                ctx.add_stream(stream);
                act.opened();
            }
            Err(e) => act.lost(e, ctx),
        }));
    }

    /// The handshake succeeded: subscribe everything.
    fn opened(&mut self) {
        let now = self.now_ns();
        self.link.phase = Phase::Open;
        self.link.last_seen_ns = now;
        self.policy.connected(now);
        info!(url = %self.base.origin, books = self.books.len(), "connected");
        let plan = self.subs.connect();
        self.execute(plan);
    }

    /// The connection ended (or never came up): every book is stale until its snapshot, the
    /// listeners are told, and the actor stops so that the supervisor restarts it.
    pub(super) fn lost(&mut self, reason: String, ctx: &mut Context<Self>) {
        if self.link.phase == Phase::Gone {
            return;
        }
        self.mark_lost(reason);
        ctx.stop();
    }

    /// Everything [`Feed::lost`] does but stopping: the connection is gone, every book is
    /// stale and the listeners are told (also when the feed restarts after a panic).
    pub(super) fn mark_lost(&mut self, reason: String) {
        if self.link.phase == Phase::Gone {
            return;
        }
        let now = self.now_ns();
        let was_open = self.link.is_open();
        self.link.phase = Phase::Gone;
        // A connection counts as stable for as long as frames flowed on it: a socket that
        // went silent was not delivering during its last `idle_timeout_ms`.
        let last_frame = if self.link.heard {
            now
        } else {
            self.link.last_seen_ns
        };
        self.policy
            .disconnected(if was_open { last_frame } else { now });
        if was_open {
            warn!(%reason, "connection lost");
            self.counters.reconnects += 1;
            self.recovering_since.get_or_insert(now);
            self.peers.event(&FeedEvent::Disconnected {
                reason: reason.clone(),
            });
        } else {
            warn!(%reason, "no connection");
            self.counters.connect_failures += 1;
        }
        for w in self.books.mark_all_stale(StaleReason::Reconnect) {
            self.peers.stale(&BookStale {
                ticker: w.ticker,
                epoch: w.epoch,
                reason: StaleReason::Reconnect,
            });
        }
        if let Some(sink) = self.link.sink.as_mut() {
            sink.close();
        }
    }

    /// Sends a command.
    pub(super) fn send_command(&mut self, cmd: &Command) {
        let text = cmd.to_json();
        debug!(%text, "command");
        if let Some(sink) = self.link.sink.as_mut()
            && sink.write(Message::Text(text.into())).is_err()
        {
            warn!(cmd = cmd.name(), "command not sent: the socket is closing");
        }
    }

    /// The idle watchdog, every quarter of `idle_timeout_ms`: a socket silent for
    /// `idle_timeout_ms` is dead (Kalshi pings every 10 s, so a healthy one never is). It
    /// notices silence within a quarter of the timeout after it.
    pub(super) fn watchdog(&mut self, ctx: &mut Context<Self>) {
        if !self.link.is_open() {
            return;
        }
        let now = self.now_ns();
        if std::mem::take(&mut self.link.heard) {
            self.link.last_seen_ns = now;
            return;
        }
        let idle = now.saturating_sub(self.link.last_seen_ns);
        if idle >= ms(self.cfg.idle_timeout_ms).as_nanos() {
            let reason = format!("no frame for {} ms", idle / 1_000_000);
            self.lost(reason, ctx);
        }
    }
}

impl StreamHandler<Result<Frame, WsProtocolError>> for Feed {
    fn handle(&mut self, item: Result<Frame, WsProtocolError>, ctx: &mut Context<Self>) {
        if self.link.phase != Phase::Open {
            return;
        }
        self.link.heard = true;
        match item {
            Ok(Frame::Text(bytes)) => {
                self.counters.text_frames += 1;
                if let Some(tap) = &self.peers.record {
                    tap.frame(bytes.clone());
                }
                self.on_text(&bytes, ctx)
            }
            Ok(Frame::Ping(payload)) => {
                self.counters.pongs += 1;
                if let Some(sink) = self.link.sink.as_mut() {
                    let _ = sink.write(Message::Pong(payload));
                }
            }
            Ok(Frame::Pong(_)) => {}
            Ok(Frame::Close(reason)) => self.lost(format!("closed by the server: {reason:?}"), ctx),
            Ok(Frame::Binary(bytes)) => self.bad_frame("binary frame", &bytes),
            Ok(Frame::Continuation(_)) => self.bad_frame(
                "continuation frame (fragmented messages are not joined)",
                &[],
            ),
            Err(e) => self.lost(format!("protocol error: {e}"), ctx),
        }
    }

    fn finished(&mut self, ctx: &mut Context<Self>) {
        self.lost("the connection closed".into(), ctx);
    }
}

/// actix calls these from inside the sink's own poll, which holds the sink's `RefCell`
/// borrowed: touching the `SinkWrite` here (`close`, `write`) would panic with "already
/// borrowed". The write side is finished anyway, so it is dropped (an `Rc` let go, no borrow)
/// before the connection is marked lost.
impl WriteHandler<WsProtocolError> for Feed {
    fn error(&mut self, err: WsProtocolError, ctx: &mut Self::Context) -> Running {
        self.link.sink = None;
        self.lost(format!("write failed: {err}"), ctx);
        Running::Stop
    }

    fn finished(&mut self, ctx: &mut Self::Context) {
        self.link.sink = None;
        self.lost("the write side closed".into(), ctx);
    }
}
