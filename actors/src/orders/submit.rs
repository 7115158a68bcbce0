//! `Submit`: the checks an intent passes, its client order id (from a block of sequence
//! numbers already reserved in the journal), the placement — sent at once, the intent's rows
//! queued to the journal writer — and what the gateway's answer does to the order. Re-sends
//! after reconciliation go through the same placement under the same id.

use std::time::Duration;

use actix::{
    ActorFutureExt, AsyncContext, Context, Handler, MailboxError, ResponseActFuture, WrapFuture,
};
use tracing::{debug, info, warn};

use super::{
    OrderEvent, Orders, Placed, Refusal, Submit, admission, ids,
    journal::Write,
    state::{Event, Failure, OrderRecord, OrderState},
};
use crate::{
    gateway::{GatewayError, PlaceOrder, PlaceOrderAck},
    metadata::{LookupMarket, MetadataError},
    stamps::{PathStamps, Stamp},
};

type Reply<T> = ResponseActFuture<Orders, Result<T, Refusal>>;

/// How a failed placement leaves its order. Only what provably never left the gateway's
/// queue (expired, overloaded) or was refused unapplied (429) counts as not sent. A
/// transport error is treated as unknown: awc reports a connection reset on a reused
/// keep-alive connection as a connect error even after the exchange accepted the request
/// (seen against the simulator's `reset_after_accept_next`), and reconciliation settles an
/// unknown order in one `GET`.
pub(super) fn failure_of(e: &GatewayError) -> Failure {
    match e {
        GatewayError::Rejected(_) | GatewayError::Unauthorized(_) | GatewayError::Invalid(_) => {
            Failure::Rejected(e.to_string())
        }
        GatewayError::Expired
        | GatewayError::Withdrawn { .. }
        | GatewayError::Overloaded { .. }
        | GatewayError::RateLimited => Failure::NotSent(e.to_string()),
        GatewayError::Transport { .. }
        | GatewayError::Ambiguous { .. }
        | GatewayError::Server(_)
        | GatewayError::Decode { .. }
        | GatewayError::Stopped => Failure::Unknown(e.to_string()),
    }
}

fn invalid(field: &'static str, reason: String) -> Refusal {
    Refusal::Invalid { field, reason }
}

impl Orders {
    /// Counts and answers a refusal.
    pub(super) fn refuse<T: 'static>(&mut self, r: Refusal) -> Reply<T> {
        self.counters.refuse(&r.reason());
        // Counted by reason in the metrics; a strategy can ask many times a second.
        debug!(reason = %r, "intent refused");
        Box::pin(actix::fut::ready(Err(r)))
    }

    /// Checks that need no market data: readiness, the kill switch, the fields.
    fn precheck(&self, msg: &Submit) -> Result<(), Refusal> {
        if !self.ready {
            return Err(Refusal::NotReady);
        }
        if let Some(why) = &self.halted {
            return Err(Refusal::Halted(why.clone()));
        }
        admission::check_fields(&msg.spec, self.positions.count(&msg.spec.ticker))
    }

    /// Whether what the intent was decided on still holds: its book has not gone stale since
    /// the epoch it was priced on, and its market has not paused.
    fn still_current(&self, msg: &Submit) -> Result<(), Refusal> {
        let ticker = &msg.spec.ticker;
        if self.paused.contains(ticker) {
            return Err(Refusal::MarketPaused(ticker.clone()));
        }
        match (msg.book_epoch, self.stale_books.get(ticker)) {
            (Some(priced), Some(&stale)) if priced <= stale => Err(Refusal::StaleBook {
                ticker: ticker.clone(),
                epoch: stale,
            }),
            _ => Ok(()),
        }
    }

    /// The checks that need the market, then the gates and limits; journals the intent and
    /// answers its key, and the intent's path stamps with admission and journaling added.
    fn admit(
        &mut self,
        msg: &Submit,
        market: Result<Result<kalshi::rest::Market, MetadataError>, MailboxError>,
        ctx: &mut Context<Self>,
    ) -> Result<(String, PathStamps), Refusal> {
        let market = match market {
            Ok(Ok(m)) => m,
            Ok(Err(MetadataError::NotFound(t))) => return Err(Refusal::UnknownMarket(t)),
            Ok(Err(e)) => return Err(Refusal::Metadata(e.to_string())),
            Err(e) => return Err(Refusal::Metadata(e.to_string())),
        };
        self.precheck(msg)?;
        admission::check_market(&msg.spec, &market)?;
        self.still_current(msg)?;
        let blackout = self.blackout_block();
        let sent = self.rate.count(self.clock.monotonic_ns());
        let open = self.open_state(blackout.as_deref(), sent);
        admission::check_open(&msg.spec, &open)?;
        self.check_backlog()?;
        let stamps = msg.stamps.with(Stamp::Admitted, self.clock.monotonic_ns());
        let key = self.record_intent(msg, ctx)?;
        Ok((
            key,
            stamps.with(Stamp::Journaled, self.clock.monotonic_ns()),
        ))
    }

    /// Gives the intent its client order id (a reserved sequence number) and queues its rows
    /// to the journal without waking the writer (see `journal_queue`); the ledger holds it
    /// from here on.
    fn record_intent(&mut self, msg: &Submit, ctx: &mut Context<Self>) -> Result<String, Refusal> {
        let seq = self.take_seq()?;
        let cid = ids::client_order_id(&self.cfg.strategy_id, &msg.spec.ticker, seq)
            .map_err(|e| invalid("ticker", e.to_string()))?;
        let now = self.now();
        let order = OrderRecord::intent(cid, seq, msg.spec.clone(), msg.book_epoch, now);
        let label = ids::label(&self.cfg.strategy_id, &msg.spec.ticker, seq);
        let rows = [
            Write::Intent {
                order: &order,
                label: &label,
            },
            Write::Order(&order),
            Write::Event(&order, None),
        ];
        if !self.commit_deferred(&rows, ctx) {
            return Err(Refusal::Journal(
                "the intent could not be queued to the journal; not sent".into(),
            ));
        }
        self.counters.intents += 1;
        self.rate.record(self.clock.monotonic_ns());
        let key = order.key.clone();
        self.ledger.insert(order.clone());
        self.emit(OrderEvent::Updated(Box::new(order)));
        Ok(key)
    }

    /// Sends the journaled order `key` (first send or re-send, same client order id), its path
    /// stamped so far with `stamps`.
    pub(super) fn place(&mut self, key: String, stamps: PathStamps) -> Reply<Placed> {
        let Some(o) = self.ledger.get(&key) else {
            return self.refuse(Refusal::NoSuchOrder(key));
        };
        let request = o
            .spec
            .create_request(o.client_order_id.clone(), &self.cfg.placement());
        let deadline = self.send_deadline(o.spec.reduce_only);
        let send = self.peers.place.send(PlaceOrder {
            request,
            deadline: Some(deadline),
            stamps,
        });
        Box::pin(
            send.into_actor(self)
                .map(move |res, act, ctx| act.on_placed(&key, res, ctx)),
        )
    }

    /// How long a placement may wait for the wire: `placement_deadline_ms`, and never past
    /// the start of the next blackout (a queued or retried order must not reach the exchange
    /// inside the window); reduce-only orders pass blackouts.
    fn send_deadline(&self, reduce_only: bool) -> Duration {
        let configured = Duration::from_millis(self.cfg.placement_deadline_ms);
        match self.blackout.as_ref() {
            Some(b) if !b.active && !reduce_only => b
                .until
                .map(|start| {
                    (start - self.clock.now())
                        .to_std()
                        .unwrap_or(Duration::ZERO)
                })
                .map_or(configured, |left| left.min(configured)),
            _ => configured,
        }
    }

    /// What the gateway's answer does to the order, and the answer to the intent.
    fn on_placed(
        &mut self,
        key: &str,
        res: Result<Result<PlaceOrderAck, GatewayError>, MailboxError>,
        ctx: &mut Context<Self>,
    ) -> Result<Placed, Refusal> {
        let (ev, error) = match res {
            Ok(Ok(ack)) => {
                if ack.adopted {
                    info!(key, order_id = %ack.response.order_id, "placement adopted after 409");
                }
                let r = ack.response;
                let ev = Event::Acked {
                    order_id: r.order_id,
                    filled: r.fill_count,
                    remaining: r.remaining_count,
                };
                (ev, None)
            }
            Ok(Err(e)) => (Event::Failed(failure_of(&e)), Some(e)),
            Err(e) => {
                let e = GatewayError::Transport {
                    reason: format!("gateway unavailable: {e}"),
                };
                (Event::Failed(Failure::NotSent(e.to_string())), Some(e))
            }
        };
        self.change(key, &ev);
        let o = self
            .ledger
            .get(key)
            .cloned()
            .ok_or_else(|| Refusal::NoSuchOrder(key.to_owned()))?;
        let error = Box::new(error.unwrap_or(GatewayError::Stopped));
        match o.state {
            OrderState::Rejected | OrderState::NotSent => {
                let r = if o.state == OrderState::Rejected {
                    Refusal::Exchange {
                        key: key.to_owned(),
                        error,
                    }
                } else {
                    Refusal::NotSent {
                        key: key.to_owned(),
                        error,
                    }
                };
                self.counters.refuse(&r.reason());
                return Err(r);
            }
            OrderState::Unknown => {
                self.counters.unknown_outcomes += 1;
                warn!(key, ticker = %o.spec.ticker, %error, "placement outcome unknown; market blocked until settled");
                let ticker = o.spec.ticker.clone();
                ctx.run_later(
                    Duration::from_millis(self.cfg.unknown_recheck_ms),
                    move |act, ctx| act.settle_unknown(ticker, ctx),
                );
            }
            OrderState::Resting if o.cancel_requested => self.send_cancel(key, ctx),
            _ => {}
        }
        self.placed(key)
    }

    /// Re-sends a journaled intent under its client order id (after reconciliation found it
    /// missing from the exchange); the future ends once the answer has been applied.
    pub(super) fn resend(&mut self, key: &str) -> ResponseActFuture<Self, ()> {
        self.counters.resent += 1;
        self.change(key, &Event::Resent);
        self.rate.record(self.clock.monotonic_ns());
        info!(key, "re-sending under the same client order id");
        Box::pin(
            self.place(key.to_owned(), PathStamps::default())
                .map(|res, _act, _ctx| {
                    if let Err(e) = res {
                        warn!(error = %e, "re-send failed");
                    }
                }),
        )
    }
}

impl Handler<Submit> for Orders {
    type Result = ResponseActFuture<Self, Result<Placed, Refusal>>;

    fn handle(&mut self, msg: Submit, _ctx: &mut Context<Self>) -> Self::Result {
        if let Err(r) = self.precheck(&msg) {
            return self.refuse(r);
        }
        let lookup = self.peers.markets.send(LookupMarket {
            ticker: msg.spec.ticker.clone(),
        });
        Box::pin(lookup.into_actor(self).then(move |market, act, ctx| {
            match act.admit(&msg, market, ctx) {
                Ok((key, stamps)) => act.place(key, stamps),
                Err(r) => act.refuse(r),
            }
        }))
    }
}
