//! The write half failing: actix reports it from inside the sink's own poll, with the sink
//! borrowed, and the feed must mark the connection lost without touching the sink again.

use std::{
    pin::Pin,
    task::{Context as TaskContext, Poll},
};

use actix::{Actor, Context, Handler, io::SinkWrite};
use awc::{error::WsProtocolError, ws::Message};
use futures_util::Sink;

use super::{Feed, config::FeedConfig, link::Phase, peers::FeedPeers};
use crate::{
    clock::LiveClock,
    supervision::{
        event::{ChildEvent, ChildEventKind},
        guard::{OnStop, supervise},
    },
};

/// A socket whose every flush fails, as a reset TCP connection's does.
struct BrokenSocket;

impl Sink<Message> for BrokenSocket {
    type Error = WsProtocolError;

    fn poll_ready(self: Pin<&mut Self>, _: &mut TaskContext<'_>) -> Poll<Result<(), Self::Error>> {
        Poll::Ready(Ok(()))
    }

    fn start_send(self: Pin<&mut Self>, _: Message) -> Result<(), Self::Error> {
        Ok(())
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut TaskContext<'_>) -> Poll<Result<(), Self::Error>> {
        Poll::Ready(Err(WsProtocolError::Io(
            std::io::ErrorKind::ConnectionReset.into(),
        )))
    }

    fn poll_close(self: Pin<&mut Self>, _: &mut TaskContext<'_>) -> Poll<Result<(), Self::Error>> {
        Poll::Ready(Ok(()))
    }
}

/// Forwards what the guard tells the guardian.
struct Collector(tokio::sync::mpsc::UnboundedSender<ChildEvent>);

impl Actor for Collector {
    type Context = Context<Self>;
}

impl Handler<ChildEvent> for Collector {
    type Result = ();

    fn handle(&mut self, msg: ChildEvent, _: &mut Context<Self>) {
        let _ = self.0.send(msg);
    }
}

#[actix::test]
async fn a_failed_write_marks_the_connection_lost_without_a_panic() {
    let key = kalshi::sign::SigningKey::generate_ed25519().unwrap();
    let signer = std::sync::Arc::new(kalshi::sign::Signer::new("key-id", key).unwrap());
    let mut feed = Feed::new(
        FeedConfig::default(),
        "ws://127.0.0.1:9/trade-api/ws/v2",
        signer,
        LiveClock::shared(),
        FeedPeers::default(),
    )
    .unwrap();
    let (tx, mut told) = tokio::sync::mpsc::unbounded_channel();
    let events = Collector(tx).start().recipient();
    let mut ctx = Context::new();
    feed.link.phase = Phase::Open;
    let socket: Pin<Box<dyn Sink<Message, Error = WsProtocolError>>> = Box::pin(BrokenSocket);
    feed.link.sink = Some(SinkWrite::new(socket, &mut ctx));
    // Held: a guard whose actor has no address left reports Ended even after a panic.
    let _addr = supervise("feed", ctx, feed, OnStop::End, events);
    let first = told.recv().await.expect("the guard tells what happened");
    assert_eq!(first.kind, ChildEventKind::Ended, "{first:?}");
}
