//! The guard every supervised actor runs in: it polls the actor's context inside
//! `catch_unwind`, so a panic in a handler is caught, logged with the actor's name and message,
//! told to the guardian, and the actor is restarted **in place** — same mailbox, so every
//! address other actors hold stays valid; `Supervised::restarting` rebuilds its state and
//! `started` runs again. (actix's own `Supervisor` restarts only an actor that stopped
//! itself; a panic would end its task and leave the process half alive.)
//!
//! An actor that stops itself is restarted only if its policy says so (the feed stops on every
//! disconnect); otherwise its stop is told to the guardian as an end.

use std::{
    future::Future,
    panic::{AssertUnwindSafe, catch_unwind},
    pin::Pin,
    task::{self, Poll},
};

use actix::{Actor, Addr, AsyncContext, Context, Recipient, Supervised, dev::ContextFut};
use tracing::error;

use super::event::{ChildEvent, ChildEventKind};

/// What a guard does when its actor stops itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnStop {
    /// Start it again (the feed: every disconnect is a stop).
    Restart,
    /// Let it end (a stop is on purpose, e.g. the engine's shutdown).
    End,
}

/// Runs `act` in `ctx` under a guard; answers its address (the one `ctx` already gave out).
pub fn supervise<A>(
    name: &'static str,
    ctx: Context<A>,
    act: A,
    on_stop: OnStop,
    events: Recipient<ChildEvent>,
) -> Addr<A>
where
    A: Actor<Context = Context<A>> + Supervised,
{
    let addr = ctx.address();
    let guard = Guard {
        name,
        on_stop,
        events,
        fut: ctx.into_future(act),
    };
    actix_rt::spawn(guard);
    addr
}

/// The guard future.
struct Guard<A>
where
    A: Actor<Context = Context<A>> + Supervised,
{
    name: &'static str,
    on_stop: OnStop,
    events: Recipient<ChildEvent>,
    fut: ContextFut<A, Context<A>>,
}

impl<A> Future for Guard<A>
where
    A: Actor<Context = Context<A>> + Supervised,
{
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut task::Context<'_>) -> Poll<()> {
        let this = self.get_mut();
        loop {
            let polled = catch_unwind(AssertUnwindSafe(|| Pin::new(&mut this.fut).poll(cx)));
            let kind = match polled {
                Ok(Poll::Pending) => return Poll::Pending,
                Ok(Poll::Ready(())) if this.on_stop == OnStop::End => {
                    this.tell(ChildEventKind::Ended);
                    return Poll::Ready(());
                }
                Ok(Poll::Ready(())) => ChildEventKind::Stopped,
                Err(payload) => {
                    let reason = panic_message(payload.as_ref());
                    error!(actor = this.name, %reason, "actor panicked; restarting it in place");
                    ChildEventKind::Panicked { reason }
                }
            };
            let panicked = matches!(kind, ChildEventKind::Panicked { .. });
            if !this.fut.restart() {
                // No address is left: nobody can send it anything again.
                this.tell(ChildEventKind::Ended);
                return Poll::Ready(());
            }
            if panicked {
                this.tell(kind);
            }
        }
    }
}

impl<A> Guard<A>
where
    A: Actor<Context = Context<A>> + Supervised,
{
    fn tell(&self, kind: ChildEventKind) {
        self.events.do_send(ChildEvent {
            actor: self.name,
            kind,
        });
    }
}

/// The message a panic carried.
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".to_owned())
}
