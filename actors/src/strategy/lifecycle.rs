//! The strategy actor's life: started (forecast loaded or fetched, the positions held read
//! from the order manager, the strategy's timer), restarted after a panic (a fresh strategy
//! from the factory, told of a blackout in force; lookups in flight forgotten, positions and
//! forecast read again; markets and their grids are kept, books are trusted only from their
//! next fresh update), and its answer to the guardian's heartbeat: ready once it knows the
//! positions held.

use std::{sync::atomic::Ordering, time::Duration};

use actix::{Actor, ActorFutureExt, AsyncContext, Context, Handler, Supervised, WrapFuture};
use kalshi::Ticker;
use tracing::{info, warn};

use super::{
    actor::{StrategyActor, Wake},
    config::ForecastSource,
    interface::Waker,
    source::ForecastFile,
};
use crate::{
    orders::{CancelAll, GetTrackedPositions},
    supervision::{Heartbeat, Liveness},
};

impl Actor for StrategyActor {
    type Context = Context<Self>;

    fn started(&mut self, ctx: &mut Context<Self>) {
        self.read_positions(ctx);
        match self.cfg.forecast.source {
            ForecastSource::None => {}
            ForecastSource::File => {
                self.check_file();
                let every = ForecastFile::every(&self.cfg.forecast);
                ctx.run_interval(every, |act, _| act.check_file());
            }
            ForecastSource::OpenMeteo => self.fetch_open_meteo(ctx),
        }
        self.start_strategy(ctx);
        ctx.run_interval(Duration::from_millis(self.cfg.timer_ms), |act, ctx| {
            act.check_forecast(ctx);
            let intents = act.strategy.on_timer(act.clock.now());
            act.dispatch(intents, ctx);
        });
        info!(enabled = self.cfg.enabled, source = ?self.cfg.forecast.source, "strategy started");
    }
}

impl StrategyActor {
    /// Tells the strategy it runs, with a waker that messages this actor.
    fn start_strategy(&mut self, ctx: &mut Context<Self>) {
        let me = ctx.address().downgrade();
        let pending = self.wake_pending.clone();
        let waker = Waker::new(move || {
            if pending.swap(true, Ordering::SeqCst) {
                return; // one is in the mailbox already
            }
            if let Some(me) = me.upgrade() {
                me.do_send(Wake);
            }
        });
        let intents = self.strategy.on_start(waker);
        self.dispatch(intents, ctx);
    }

    /// Reads the positions held from the order manager (when it has that peer).
    fn read_positions(&mut self, ctx: &mut Context<Self>) {
        let Some(peer) = self.peers.positions.clone() else {
            return;
        };
        ctx.spawn(
            peer.send(GetTrackedPositions)
                .into_actor(self)
                .map(|held, act, _| match held {
                    Ok(held) => act.seed(
                        held.into_iter()
                            .filter_map(|p| Ticker::new(p.ticker).ok().map(|t| (t, p.position)))
                            .collect(),
                    ),
                    Err(e) => warn!(error = %e, "cannot read the positions held"),
                }),
        );
    }
}

impl Supervised for StrategyActor {
    fn restarting(&mut self, _ctx: &mut Context<Self>) {
        // The strategy may have panicked half-way through a change: its state is not trusted.
        // Its resting orders would outlive it unmanaged (the new one knows none of them; an
        // external strategy's old process is gone): they are cancelled before it starts.
        if self.cfg.enabled {
            self.peers.cancel_all.do_send(CancelAll { ticker: None });
            self.counters.cancels += 1;
        }
        self.strategy = self.factory.build();
        self.books.clear();
        if self.blackout {
            // A fresh strategy holds no quotes to pull: only the state matters.
            let _pulls = self.strategy.on_blackout(true);
        }
        self.looking_up.clear();
        self.positions.clear();
        self.seeded = false;
        // Every book is suspect until its next update: the epoch seen last is the stale one.
        self.stale.clear();
    }
}

impl Handler<Heartbeat> for StrategyActor {
    type Result = Liveness;

    fn handle(&mut self, _msg: Heartbeat, _ctx: &mut Context<Self>) -> Liveness {
        Liveness::when(self.seeded, "the positions held")
    }
}
