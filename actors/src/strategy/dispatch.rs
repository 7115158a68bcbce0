//! The strategy actor's way out: each [`Intent`] goes to the order manager as its message
//! (`Submit`, `Amend`, `Cancel`, `CancelAll`); a placement priced on a book the feed has since
//! called stale is dropped; a refusal goes back to the strategy ([`Strategy::on_refused`]).
//!
//! [`Strategy::on_refused`]: super::interface::Strategy::on_refused

use std::future::Future;

use actix::{ActorFutureExt, AsyncContext, Context, MailboxError, WrapFuture};
use tracing::{debug, warn};

use super::{
    actor::StrategyActor,
    interface::{AmendIntent, Intent, PlaceIntent},
};
use crate::{
    orders::{Amend, Cancel, CancelAll, Refusal, Submit},
    stamps::PathStamps,
};

impl StrategyActor {
    /// Sends `intents` (not priced on a book: no path stamps).
    pub(super) fn dispatch(&mut self, intents: Vec<Intent>, ctx: &mut Context<Self>) {
        self.dispatch_stamped(intents, PathStamps::default(), ctx);
    }

    /// Sends `intents`; placements carry `stamps` (the book's, with the decision's).
    pub(super) fn dispatch_stamped(
        &mut self,
        intents: Vec<Intent>,
        stamps: PathStamps,
        ctx: &mut Context<Self>,
    ) {
        if !self.cfg.enabled {
            return;
        }
        for intent in intents {
            match intent {
                Intent::Place(p) => self.place(p, stamps, ctx),
                Intent::Amend(a) => self.amend(a, ctx),
                Intent::Cancel(key) => {
                    self.counters.order_cancels += 1;
                    let ask = self.peers.cancel.send(Cancel { key: key.clone() });
                    self.answer(ask, Intent::Cancel(key), ctx);
                }
                Intent::CancelMarket(ticker) => {
                    self.counters.cancels += 1;
                    self.peers.cancel_all.do_send(CancelAll {
                        ticker: Some(ticker),
                    });
                }
            }
        }
    }

    fn place(&mut self, p: PlaceIntent, stamps: PathStamps, ctx: &mut Context<Self>) {
        if self
            .stale
            .get(&p.spec.ticker)
            .is_some_and(|e| p.book_epoch <= *e)
        {
            // Priced on a book the feed has since called stale (a strategy may place from a
            // fill or a timer): never sent.
            self.counters.dropped_stale += 1;
            return;
        }
        self.counters.intents += 1;
        let ask = self.peers.submit.send(Submit {
            stamps,
            ..Submit::from(p.clone())
        });
        self.answer(ask, Intent::Place(p), ctx);
    }

    fn amend(&mut self, a: AmendIntent, ctx: &mut Context<Self>) {
        self.counters.amends += 1;
        let ask = self.peers.amend.send(Amend {
            key: a.key.clone(),
            price: a.price,
            remaining: a.remaining,
        });
        self.answer(ask, Intent::Amend(a), ctx);
    }

    /// Waits for the order manager's answer to `intent`: counts it, and hands a refusal to
    /// the strategy.
    fn answer<F, T>(&mut self, ask: F, intent: Intent, ctx: &mut Context<Self>)
    where
        F: Future<Output = Result<Result<T, Refusal>, MailboxError>> + 'static,
        T: std::fmt::Debug + 'static,
    {
        ctx.spawn(ask.into_actor(self).map(move |res, act, ctx| match res {
            Ok(Ok(answer)) => {
                if matches!(intent, Intent::Place(_)) {
                    act.counters.accepted += 1;
                }
                debug!(?answer, "intent accepted");
            }
            Ok(Err(refusal)) => {
                *act.counters.refused.entry(refusal.reason()).or_default() += 1;
                debug!(%refusal, "intent refused");
                // The strategy may count on the order or the change: tell it there is none.
                let intents = act.strategy.on_refused(&intent, &refusal.to_string());
                act.dispatch(intents, ctx);
            }
            Err(e) => {
                *act.counters.refused.entry("mailbox".into()).or_default() += 1;
                warn!(error = %e, "order manager unreachable");
            }
        }));
    }
}
