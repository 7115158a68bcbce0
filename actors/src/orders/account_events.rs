//! What the feed tells the order manager: fills (booked once, with the order's fill count and
//! the position, in one journal transaction), order updates (the exchange's state wins; an
//! order we never had is adopted and flagged), connection events (a reconnect starts the gap
//! recovery in `sync`), books (marks for unrealised P&L — no journal I/O on this path — and
//! staleness: intents priced on a book since gone stale are refused and queued placements for
//! it withdrawn) and market lifecycle (a paused or ended market's placements withdrawn).

use actix::{Context, Handler};
use kalshi::{
    rest::Order,
    types::{LifecycleEventType, OrderStatus},
};
use tracing::warn;

use super::{
    OrderEvent, Orders,
    bookkeeping::Foreign,
    journal::Write,
    positions::{FillRecord, Mark},
    reconcile::Difference,
    state::{Event, OrderState},
};
use crate::{
    gateway::WithdrawPlacements,
    market_data::{
        BookResynced, BookStale, BookUpdated, FeedEvent, FillReceived, LifecycleReceived,
        UserOrderReceived,
    },
};

impl Orders {
    /// Books a fill unless it was booked before: position, P&L and its order's fill count,
    /// journaled in one transaction. Answers whether it was new.
    pub(super) fn book_fill(
        &mut self,
        fill: &FillRecord,
        source: &'static str,
        ctx: &mut Context<Self>,
    ) -> bool {
        let Some(booked) = self.positions.record(fill) else {
            self.counters.duplicate_fills += 1;
            return false;
        };
        let now = self.now();
        let key = self
            .ledger
            .find(&fill.order_id, fill.client_order_id.as_deref());
        let change = key
            .as_deref()
            .and_then(|k| self.ledger.apply(k, &Event::Filled(fill.count), now));
        let order = key.as_deref().and_then(|k| self.ledger.get(k)).cloned();
        let position = self
            .positions
            .get(&fill.ticker)
            .cloned()
            .unwrap_or_default();
        let mut writes = vec![
            Write::Fill(fill, source, booked.realized),
            Write::Position(&fill.ticker, &position),
        ];
        if let (Some(o), Some(c)) = (&order, &change) {
            writes.push(Write::Order(o));
            writes.push(Write::Event(o, Some(c)));
        }
        self.commit(&writes);
        self.counters.fill(source);
        if let Some(o) = order.filter(|_| change.is_some()) {
            self.emit(OrderEvent::Updated(Box::new(o)));
        }
        self.emit(OrderEvent::Filled {
            fill: Box::new(fill.clone()),
            position: booked.position,
        });
        self.check_loss(ctx);
        true
    }

    /// Takes the exchange's view of an order (`GET` answer); adopts a resting one we lack.
    pub(super) fn settle(&mut self, o: &Order) {
        let cid = o.client_order_id.as_ref().map(|c| c.as_str());
        match self.ledger.find(&o.order_id, cid) {
            Some(key) => {
                self.change(
                    &key,
                    &Event::Exchange {
                        order_id: o.order_id.clone(),
                        status: o.status.clone(),
                        filled: o.fill_count_fp,
                        remaining: o.remaining_count_fp,
                    },
                );
            }
            None if o.status == OrderStatus::Resting => {
                self.adopt(Foreign::of(o, None));
            }
            None => {}
        }
    }
}

impl Handler<FillReceived> for Orders {
    type Result = ();

    fn handle(&mut self, msg: FillReceived, ctx: &mut Context<Self>) {
        match FillRecord::from_ws(&msg.fill, msg.received_at) {
            Some(fill) => {
                self.book_fill(&fill, "ws", ctx);
            }
            None => {
                self.counters.unreadable_fills += 1;
                warn!(
                    trade_id = msg.fill.trade_id,
                    "fill without a side; left to REST recovery"
                );
            }
        }
    }
}

impl Handler<UserOrderReceived> for Orders {
    type Result = ();

    fn handle(&mut self, msg: UserOrderReceived, ctx: &mut Context<Self>) {
        let u = msg.order;
        let cid = u.client_order_id.as_deref().filter(|c| !c.is_empty());
        let Some(key) = self.ledger.find(&u.order_id, cid) else {
            if u.status != OrderStatus::Resting {
                return;
            }
            let side = u.book_side.or(u.outcome_side.map(|o| match o {
                kalshi::types::OutcomeSide::Yes => kalshi::types::BookSide::Bid,
                kalshi::types::OutcomeSide::No => kalshi::types::BookSide::Ask,
            }));
            let Some(side) = side else { return };
            let key = self.adopt(Foreign {
                order_id: &u.order_id,
                client_order_id: cid,
                ticker: &u.ticker,
                side,
                price: u.yes_price_dollars,
                filled: u.fill_count_fp,
                remaining: u.remaining_count_fp,
                status: &u.status,
                created_at: None,
                seq: None,
            });
            let diffs = [Difference {
                kind: "foreign_order",
                subject: key,
                detail: "reported by the feed, not in the journal".into(),
            }];
            self.counters.differ(&diffs);
            self.commit(&[Write::Reconciliation("feed", &diffs)]);
            return;
        };
        self.change(
            &key,
            &Event::Exchange {
                order_id: u.order_id.clone(),
                status: u.status.clone(),
                filled: u.fill_count_fp,
                remaining: u.remaining_count_fp,
            },
        );
        if self
            .ledger
            .get(&key)
            .is_some_and(|o| o.cancel_requested && o.state == OrderState::Resting)
        {
            self.send_cancel(&key, ctx);
        }
    }
}

impl Handler<FeedEvent> for Orders {
    type Result = ();

    fn handle(&mut self, msg: FeedEvent, ctx: &mut Context<Self>) {
        match msg {
            // Every (re)connection may follow a gap: read its fills from REST.
            FeedEvent::Connected => self.recover_gap(ctx),
            FeedEvent::Disconnected { reason } => {
                warn!(%reason, "feed disconnected; fills will be recovered on reconnect");
            }
            FeedEvent::Reconnecting { .. } => {}
        }
    }
}

impl Handler<BookUpdated> for Orders {
    type Result = ();

    fn handle(&mut self, msg: BookUpdated, ctx: &mut Context<Self>) {
        self.book_fresh(&msg.ticker, msg.epoch);
        if self.positions.count(&msg.ticker).is_zero() {
            return;
        }
        let mark = Mark {
            yes_bid: msg.book.best_yes_bid().map(|l| l.price),
            yes_ask: msg.book.best_yes_ask().map(|l| l.price),
        };
        self.positions.set_mark(&msg.ticker, mark);
        self.check_loss(ctx);
    }
}

/// A stale book keeps its last mark; intents priced on it are refused from now on, and the
/// placements for its market still queued in the gateway are taken back unsent.
impl Handler<BookStale> for Orders {
    type Result = ();

    fn handle(&mut self, msg: BookStale, _ctx: &mut Context<Self>) {
        self.stale_books.insert(msg.ticker.clone(), msg.epoch);
        self.peers.withdraw.do_send(WithdrawPlacements {
            ticker: msg.ticker,
            reason: format!("its book went stale (epoch {})", msg.epoch),
        });
    }
}

impl Handler<BookResynced> for Orders {
    type Result = ();

    fn handle(&mut self, msg: BookResynced, _ctx: &mut Context<Self>) {
        self.book_fresh(&msg.ticker, msg.epoch);
    }
}

/// A market that pauses or ends takes its queued placements with it; one activated again
/// trades again.
impl Handler<LifecycleReceived> for Orders {
    type Result = ();

    fn handle(&mut self, msg: LifecycleReceived, _ctx: &mut Context<Self>) {
        let ticker = msg.event.market_ticker;
        match msg.event.event_type {
            LifecycleEventType::Deactivated
            | LifecycleEventType::Determined
            | LifecycleEventType::Settled => {
                self.paused.insert(ticker.clone());
                self.peers.withdraw.do_send(WithdrawPlacements {
                    ticker,
                    reason: "its market paused or ended".into(),
                });
            }
            LifecycleEventType::Activated => {
                self.paused.remove(&ticker);
            }
            _ => {}
        }
    }
}

impl Orders {
    /// A book of `epoch` is fresh: a stale mark of an older epoch no longer holds.
    fn book_fresh(&mut self, ticker: &kalshi::Ticker, epoch: u64) {
        if self.stale_books.get(ticker).is_some_and(|e| epoch > *e) {
            self.stale_books.remove(ticker);
        }
    }
}
