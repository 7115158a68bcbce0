//! `Cancel`, `CancelAll` and `Amend`. Cancels and decreases pass the blackout gate and the
//! kill switch; a cancel asked before the exchange id is known is remembered (journaled) and
//! sent once the placement is answered. A failed cancel re-reads the order, since the usual
//! cause is that it finished first.

use actix::{
    ActorFutureExt, AsyncContext, Context, Handler, MailboxError, ResponseActFuture, WrapFuture,
};
use kalshi::{
    Count, Ticker,
    rest::{AmendOrderV2Request, DecreaseOrderV2Request},
};
use tracing::{info, warn};

use super::{
    Amend, Cancel, CancelAll, Orders, Placed, Refusal,
    admission::{self, AmendKind},
    journal::Write,
    state::{Event, OrderState},
};
use crate::{
    gateway::{AmendOrder, CancelOrder, DecreaseOrder, GatewayError, GetOrder},
    metadata::{LookupMarket, MetadataError},
};

fn flatten<T>(r: Result<Result<T, GatewayError>, MailboxError>) -> Result<T, GatewayError> {
    r.map_err(|_| GatewayError::Stopped)?
}

impl Orders {
    /// Sends the cancel of a resting order and applies its answer.
    pub(super) fn send_cancel(&mut self, key: &str, ctx: &mut Context<Self>) {
        let Some(o) = self.ledger.get(key) else {
            return;
        };
        let (Some(order_id), ticker) = (o.order_id.clone(), o.spec.ticker.clone()) else {
            return;
        };
        if self.change(key, &Event::CancelSent).is_none() {
            return;
        }
        self.ledger.set_cancel_requested(key, false);
        self.counters.cancels += 1;
        let key = key.to_owned();
        let send = self.peers.cancel.send(CancelOrder {
            order_id: order_id.clone(),
            ticker: Some(ticker),
        });
        ctx.spawn(
            send.into_actor(self)
                .map(move |res, act, ctx| match flatten(res) {
                    Ok(_) => {
                        act.change(&key, &Event::Canceled);
                    }
                    Err(e) => {
                        warn!(key, error = %e, "cancel failed; re-reading the order");
                        act.change(&key, &Event::CancelFailed(e.to_string()));
                        act.refresh_order(order_id, ctx);
                    }
                }),
        );
    }

    /// Re-reads one order and takes the exchange's state.
    pub(super) fn refresh_order(&mut self, order_id: kalshi::OrderId, ctx: &mut Context<Self>) {
        let send = self.peers.order.send(GetOrder { order_id });
        ctx.spawn(
            send.into_actor(self)
                .map(|res, act, _ctx| match flatten(res) {
                    Ok(resp) => act.settle(&resp.order),
                    Err(e) => warn!(error = %e, "cannot re-read the order"),
                }),
        );
    }

    /// Cancels (or marks for cancel) every open order, of one market if given.
    pub(super) fn cancel_open(
        &mut self,
        ticker: Option<&Ticker>,
        ctx: &mut Context<Self>,
    ) -> usize {
        let keys: Vec<(String, OrderState)> = self
            .ledger
            .open()
            .filter(|o| ticker.is_none_or(|t| *t == o.spec.ticker))
            .map(|o| (o.key.clone(), o.state))
            .collect();
        for (key, state) in &keys {
            match state {
                OrderState::Resting => self.send_cancel(key, ctx),
                OrderState::PendingNew | OrderState::Unknown => self.mark_cancel(key),
                _ => {}
            }
        }
        keys.len()
    }

    /// Remembers (journaled) that an order whose exchange id is not known yet is to be
    /// cancelled.
    fn mark_cancel(&mut self, key: &str) {
        self.ledger.set_cancel_requested(key, true);
        if let Some(o) = self.ledger.get(key).cloned() {
            self.commit(&[Write::Order(&o)]);
        }
    }
}

impl Handler<Cancel> for Orders {
    type Result = Result<OrderState, Refusal>;

    fn handle(&mut self, msg: Cancel, ctx: &mut Context<Self>) -> Self::Result {
        let r = self.cancel(msg, ctx);
        if let Err(e) = &r {
            self.counters.refuse(&e.reason());
        }
        r
    }
}

impl Orders {
    fn cancel(&mut self, msg: Cancel, ctx: &mut Context<Self>) -> Result<OrderState, Refusal> {
        let Some(o) = self.ledger.get(&msg.key) else {
            return Err(Refusal::NoSuchOrder(msg.key));
        };
        match o.state {
            OrderState::Resting => {
                self.send_cancel(&msg.key, ctx);
                Ok(OrderState::PendingCancel)
            }
            OrderState::PendingCancel => Ok(OrderState::PendingCancel),
            OrderState::PendingNew | OrderState::Unknown => {
                let state = o.state;
                self.mark_cancel(&msg.key);
                info!(
                    key = msg.key,
                    "cancel will be sent once the placement is answered"
                );
                Ok(state)
            }
            state => Err(Refusal::WrongState {
                key: msg.key,
                state: state.as_str(),
            }),
        }
    }
}

impl Handler<CancelAll> for Orders {
    type Result = usize;

    fn handle(&mut self, msg: CancelAll, ctx: &mut Context<Self>) -> usize {
        self.cancel_open(msg.ticker.as_ref(), ctx)
    }
}

impl Orders {
    /// Checks an amend against the order, the market, the gates and the limits
    /// ([`admission::amend_kind`], [`admission::check_amend_open`]); answers the decrease or
    /// amend request to send.
    fn check_amend(
        &mut self,
        msg: &Amend,
        market: Result<Result<kalshi::rest::Market, MetadataError>, MailboxError>,
    ) -> Result<AmendPlan, Refusal> {
        let o = self
            .ledger
            .get(&msg.key)
            .cloned()
            .ok_or_else(|| Refusal::NoSuchOrder(msg.key.clone()))?;
        let (order_id, total) = match admission::amend_kind(&o, msg.price, msg.remaining)? {
            (id, AmendKind::Decrease { by }) => return Ok(AmendPlan::Decrease(id, by)),
            (id, AmendKind::Amend { total }) => (id, total),
        };
        let market = match market {
            Ok(Ok(m)) => m,
            Ok(Err(e)) => return Err(Refusal::Metadata(e.to_string())),
            Err(e) => return Err(Refusal::Metadata(e.to_string())),
        };
        if let Some(why) = &self.halted {
            return Err(Refusal::Halted(why.clone()));
        }
        let blackout = self.blackout_block();
        // An amend is not a new order: the per-minute count does not apply to it.
        let open = self.open_state(blackout.as_deref(), 0);
        admission::check_amend_open(&o, msg.price, msg.remaining, &market, &open)?;
        Ok(AmendPlan::Amend(
            order_id,
            AmendOrderV2Request {
                ticker: o.spec.ticker.clone(),
                side: o.spec.side,
                price: msg.price,
                count: total,
                client_order_id: o.client_order_id.clone(),
                updated_client_order_id: None,
                expiration_time: None,
                exchange_index: None,
            },
        ))
    }
}

/// What an amend turns into.
enum AmendPlan {
    /// Same price, smaller: `reduce_by`.
    Decrease(kalshi::OrderId, Count),
    /// Anything else.
    Amend(kalshi::OrderId, AmendOrderV2Request),
}

impl Handler<Amend> for Orders {
    type Result = ResponseActFuture<Self, Result<Placed, Refusal>>;

    fn handle(&mut self, msg: Amend, _ctx: &mut Context<Self>) -> Self::Result {
        let Some(o) = self.ledger.get(&msg.key) else {
            return self.refuse(Refusal::NoSuchOrder(msg.key));
        };
        // The new total: filled + the new resting size.
        let total = o.filled() + msg.remaining;
        let lookup = self.peers.markets.send(LookupMarket {
            ticker: o.spec.ticker.clone(),
        });
        Box::pin(lookup.into_actor(self).then(move |market, act, _ctx| {
            let sent = match act.check_amend(&msg, market) {
                Ok(AmendPlan::Decrease(order_id, by)) => {
                    let request = DecreaseOrderV2Request {
                        reduce_by: Some(by),
                        reduce_to: None,
                        exchange_index: None,
                        market_ticker: None,
                    };
                    let f = act.peers.decrease.send(DecreaseOrder { order_id, request });
                    Box::pin(f.into_actor(act).map(|r, _, _| flatten(r).map(drop)))
                        as ResponseActFuture<Orders, Result<(), GatewayError>>
                }
                Ok(AmendPlan::Amend(order_id, request)) => {
                    let f = act.peers.amend.send(AmendOrder { order_id, request });
                    Box::pin(f.into_actor(act).map(|r, _, _| flatten(r).map(drop)))
                }
                Err(r) => return act.refuse(r),
            };
            let (key, price) = (msg.key, msg.price);
            Box::pin(sent.map(move |res, act, ctx| act.on_amended(&key, price, total, res, ctx)))
        }))
    }
}

impl Orders {
    /// Applies an amend's or decrease's answer.
    fn on_amended(
        &mut self,
        key: &str,
        price: kalshi::Price,
        count: Count,
        res: Result<(), GatewayError>,
        ctx: &mut Context<Self>,
    ) -> Result<Placed, Refusal> {
        match res {
            Ok(()) => {
                self.change(key, &Event::Amended { price, count });
                self.placed(key)
            }
            Err(e) => {
                if e.may_have_happened()
                    && let Some(id) = self.ledger.get(key).and_then(|o| o.order_id.clone())
                {
                    self.refresh_order(id, ctx);
                }
                let r = Refusal::Exchange {
                    key: key.to_owned(),
                    error: Box::new(e),
                };
                self.counters.refuse(&r.reason());
                Err(r)
            }
        }
    }

    /// The answer describing an order now.
    pub(super) fn placed(&self, key: &str) -> Result<Placed, Refusal> {
        let o = self
            .ledger
            .get(key)
            .ok_or_else(|| Refusal::NoSuchOrder(key.to_owned()))?;
        Ok(Placed {
            key: o.key.clone(),
            client_order_id: o.client_order_id.clone(),
            order_id: o.order_id.clone(),
            state: o.state,
            filled: o.filled(),
        })
    }
}
