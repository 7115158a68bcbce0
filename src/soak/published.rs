//! What the feed published fresh: [`Recorder`] is a book consumer of the engine's that keeps
//! every (ticker, epoch) it is told of in [`Published`], against which the soak checks that
//! no order was placed on a stale book. It accepts `BookUpdated` (recorded), `BookStale` and
//! `BookResynced` (ignored) and emits nothing.

use std::{
    collections::HashSet,
    sync::{Arc, Mutex},
};

use actix::{Actor, Context, Handler};
use tradewind_actors::market_data::{BookResynced, BookStale, BookUpdated};

/// Book epochs the feed published fresh, as the strategy saw them.
#[derive(Default)]
pub(crate) struct Published(pub(crate) Mutex<HashSet<(String, u64)>>);

/// Records every published epoch into its [`Published`].
pub(crate) struct Recorder(pub(crate) Arc<Published>);

impl Actor for Recorder {
    type Context = Context<Self>;
}

impl Handler<BookUpdated> for Recorder {
    type Result = ();
    fn handle(&mut self, m: BookUpdated, _: &mut Context<Self>) {
        if let Ok(mut s) = self.0.0.lock() {
            s.insert((m.ticker.to_string(), m.epoch));
        }
    }
}

impl Handler<BookStale> for Recorder {
    type Result = ();
    fn handle(&mut self, _: BookStale, _: &mut Context<Self>) {}
}

impl Handler<BookResynced> for Recorder {
    type Result = ();
    fn handle(&mut self, _: BookResynced, _: &mut Context<Self>) {}
}
