//! Who hears from the feed: [`FeedPeers`], recipients handed over at start so tests can put
//! probes in any place, and the small helpers that tell them.
//!
//! Book consumers ([`BookConsumer`]) get `BookUpdated` (conflated, one in flight each),
//! `BookStale` and `BookResynced`. When all three go to the same actor they arrive in the
//! order the feed decided them; a consumer that splits them over actors should order by
//! `epoch` (a `BookUpdated` whose epoch is at or below the last `BookStale`'s is old news).

use actix::{Actor, Addr, Context, Handler, Recipient};

use crate::{
    market_data::{
        BookResynced, BookStale, BookUpdated, FeedEvent, FillReceived, LifecycleReceived,
        UserOrderReceived,
    },
    recording::Tap,
};

/// One consumer of books (the strategy, a probe, a recorder).
#[derive(Debug, Clone)]
pub struct BookConsumer {
    /// Conflated book states.
    pub updated: Recipient<BookUpdated>,
    /// A book can no longer be vouched for.
    pub stale: Recipient<BookStale>,
    /// A book is synced again under a new epoch.
    pub resynced: Recipient<BookResynced>,
}

impl BookConsumer {
    /// All three messages to one actor.
    pub fn of<A>(addr: &Addr<A>) -> BookConsumer
    where
        A: Actor<Context = Context<A>>
            + Handler<BookUpdated>
            + Handler<BookStale>
            + Handler<BookResynced>,
    {
        BookConsumer {
            updated: addr.clone().recipient(),
            stale: addr.clone().recipient(),
            resynced: addr.clone().recipient(),
        }
    }
}

/// Everyone the feed tells something.
#[derive(Debug, Clone, Default)]
pub struct FeedPeers {
    /// Book consumers.
    pub books: Vec<BookConsumer>,
    /// Connection events (root, strategy).
    pub events: Vec<Recipient<FeedEvent>>,
    /// The account's fills (order manager).
    pub fills: Vec<Recipient<FillReceived>>,
    /// The account's order updates (order manager).
    pub user_orders: Vec<Recipient<UserOrderReceived>>,
    /// Market lifecycle events (metadata cache).
    pub lifecycle: Vec<Recipient<LifecycleReceived>>,
    /// A recorder, offered every text frame as received (never waited for).
    pub record: Option<Tap>,
}

impl FeedPeers {
    /// Tells every book consumer that a book went stale.
    pub fn stale(&self, msg: &BookStale) {
        for c in &self.books {
            c.stale.do_send(msg.clone());
        }
    }

    /// Tells every book consumer that a book resynced.
    pub fn resynced(&self, msg: &BookResynced) {
        for c in &self.books {
            c.resynced.do_send(msg.clone());
        }
    }

    /// Tells every event listener.
    pub fn event(&self, msg: &FeedEvent) {
        for r in &self.events {
            r.do_send(msg.clone());
        }
    }

    /// Sends a fill to every listener.
    pub fn fill(&self, msg: FillReceived) {
        fan_out(&self.fills, msg);
    }

    /// Sends an order update to every listener.
    pub fn user_order(&self, msg: UserOrderReceived) {
        fan_out(&self.user_orders, msg);
    }

    /// Sends a lifecycle event to every listener.
    pub fn lifecycle(&self, msg: LifecycleReceived) {
        fan_out(&self.lifecycle, msg);
    }
}

/// Sends `msg` to each recipient, moving it into the last.
fn fan_out<M>(to: &[Recipient<M>], msg: M)
where
    M: actix::Message<Result = ()> + Clone + Send + 'static,
{
    if let Some((last, rest)) = to.split_last() {
        for r in rest {
            r.do_send(msg.clone());
        }
        last.do_send(msg);
    }
}
