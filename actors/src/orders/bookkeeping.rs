//! Bookkeeping the handlers share: queuing a change to the journal as it is reported, adopting
//! an order found on the exchange, the exposure snapshot the risk check reads, the kill switch, and the
//! metrics snapshot.

use actix::Context;
use chrono::{DateTime, Utc};
use kalshi::{
    ClientOrderId, Count, OrderId, Price, Ticker,
    rest::Order,
    types::{BookSide, OrderStatus, TimeInForce},
};
use tracing::warn;

use super::{
    OrderEvent, Orders, ids,
    journal::Write,
    metrics::{OrdersMetrics, PositionMetric},
    risk::order_cost,
    spec::OrderSpec,
    state::{Change, Event, OrderRecord, OrderState, Origin},
};

/// An order the exchange reported that the journal lacks.
#[derive(Debug, Clone)]
pub(super) struct Foreign<'a> {
    pub order_id: &'a OrderId,
    pub client_order_id: Option<&'a str>,
    pub ticker: &'a Ticker,
    pub side: BookSide,
    pub price: Price,
    pub filled: Count,
    pub remaining: Count,
    pub status: &'a OrderStatus,
    pub created_at: Option<DateTime<Utc>>,
    /// Our intent sequence number, when it is ours (sent and never journaled before a crash).
    pub seq: Option<u64>,
}

impl<'a> Foreign<'a> {
    /// The exchange's order `o` (`seq`: ours, recovered by its number).
    pub fn of(o: &'a Order, seq: Option<u64>) -> Foreign<'a> {
        Foreign {
            order_id: &o.order_id,
            client_order_id: o.client_order_id.as_ref().map(|c| c.as_str()),
            ticker: &o.ticker,
            side: o.book_side,
            price: o.yes_price_dollars,
            filled: o.fill_count_fp,
            remaining: o.remaining_count_fp,
            status: &o.status,
            created_at: o.created_time,
            seq,
        }
    }
}

impl Orders {
    pub(super) fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Queues a batch to the journal writer (committed in the background, in order); answers
    /// false — logged, counted, kill switch — when the writer has stopped. A batch the writer
    /// fails to commit comes back as a `JournalFault`.
    pub(super) fn commit(&mut self, writes: &[Write<'_>]) -> bool {
        let now = self.now();
        match self.journal.write(now, writes) {
            Ok(()) => true,
            Err(e) => {
                self.counters.journal_errors += 1;
                self.journal_failed(format!("a write failed: {e}"));
                false
            }
        }
    }

    /// Tells every listener.
    pub(super) fn emit(&self, ev: OrderEvent) {
        for l in &self.peers.listeners {
            l.do_send(ev.clone());
        }
    }

    /// Applies `ev` to the order `key`, journals the change, then reports it.
    pub(super) fn change(&mut self, key: &str, ev: &Event) -> Option<Change> {
        let now = self.now();
        let change = self.ledger.apply(key, ev, now)?;
        let order = self.ledger.get(key)?.clone();
        self.commit(&[Write::Order(&order), Write::Event(&order, Some(&change))]);
        if change.from != change.to {
            tracing::debug!(key, from = change.from.as_str(), to = change.to.as_str(), detail = %change.detail, "order changed");
        }
        self.emit(OrderEvent::Updated(Box::new(order)));
        Some(change)
    }

    /// Records an order the exchange has and the journal lacks (origin `adopted`); with our
    /// sequence number, also as the intent of that number.
    pub(super) fn adopt(&mut self, f: Foreign<'_>) -> String {
        let cid = f.client_order_id.and_then(|c| ClientOrderId::new(c).ok());
        let key = match &cid {
            Some(c) if self.ledger.get(c).is_none() => c.to_string(),
            _ => format!("order:{}", f.order_id),
        };
        let now = self.now();
        let state = match f.status {
            OrderStatus::Resting => OrderState::Resting,
            OrderStatus::Executed => OrderState::Executed,
            _ => OrderState::Canceled,
        };
        let order = OrderRecord {
            key: key.clone(),
            client_order_id: cid,
            order_id: Some(f.order_id.clone()),
            intent_seq: f.seq,
            origin: Origin::Adopted,
            spec: OrderSpec {
                ticker: f.ticker.clone(),
                side: f.side,
                price: f.price,
                count: f.filled + f.remaining,
                time_in_force: TimeInForce::GoodTillCanceled,
                post_only: false,
                reduce_only: false,
            },
            fill_sum: Count::ZERO,
            reported_filled: f.filled,
            book_epoch: None,
            state,
            reason: Some(match f.seq {
                Some(_) => "sent before a crash, journaled on recovery".into(),
                None => "adopted from the exchange".into(),
            }),
            created_at: f.created_at.unwrap_or(now),
            updated_at: now,
            cancel_requested: false,
        };
        warn!(key, ticker = %f.ticker, seq = ?f.seq, "adopted an order the journal did not have");
        match f.seq {
            Some(seq) => {
                let label = ids::label(&self.cfg.strategy_id, f.ticker, seq);
                self.commit(&[
                    Write::Intent {
                        order: &order,
                        label: &label,
                    },
                    Write::Order(&order),
                    Write::Event(&order, None),
                ])
            }
            None => self.commit(&[Write::Order(&order), Write::Event(&order, None)]),
        };
        self.counters.adopted += 1;
        self.ledger.insert(order.clone());
        self.emit(OrderEvent::Updated(Box::new(order)));
        key
    }

    /// Sets the kill switch (journaled) and cancels resting orders if configured.
    pub(super) fn halt(&mut self, reason: String, ctx: &mut Context<Self>) {
        warn!(%reason, "kill switch: new orders halted");
        self.commit(&[Write::KillSwitch {
            halted: true,
            reason: &reason,
        }]);
        self.halted = Some(reason);
        if self.cfg.cancel_on_halt {
            self.cancel_open(None, ctx);
        }
    }

    /// Halts when today's loss reaches the limit.
    pub(super) fn check_loss(&mut self, ctx: &mut Context<Self>) {
        if self.halted.is_some() {
            return;
        }
        let pnl = self.positions.daily_pnl(self.now());
        if pnl <= -self.limits.max_daily_loss {
            self.halt(
                format!(
                    "max_daily_loss_dollars: today's P&L {pnl} reached −{}",
                    self.limits.max_daily_loss
                ),
                ctx,
            );
        }
    }

    pub(super) fn position_metrics(&self) -> Vec<PositionMetric> {
        self.positions
            .iter()
            .map(|(t, p)| PositionMetric {
                ticker: t.to_string(),
                position: p.position,
                exposure: p.exposure,
                realized: p.realized,
                unrealized: self.positions.unrealized(t),
            })
            .collect()
    }

    pub(super) fn snapshot(&self) -> OrdersMetrics {
        let open_cost = self
            .ledger
            .open()
            .map(|o| order_cost(o.spec.side, o.spec.price, o.remaining()))
            .sum::<kalshi::Money>();
        OrdersMetrics {
            ready: self.ready,
            halted: self.halted.clone(),
            blackout: self.blackout.as_ref().is_some_and(|b| b.active),
            orders_by_state: self.ledger.count_by_state(),
            counters: self.counters.clone(),
            positions: self.position_metrics(),
            exposure: self.positions.total_exposure() + open_cost,
            realized_pnl: self.positions.total_realized(),
            unrealized_pnl: self.positions.total_unrealized(),
            daily_pnl: self.positions.daily_pnl(self.now()),
        }
    }
}
