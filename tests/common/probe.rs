//! A probe actor that records every message of one type it receives, so a test can stand it
//! in for any peer and wait — with a timeout, never a fixed sleep — until what it expects has
//! arrived.

use std::{
    sync::{Arc, Mutex},
    time::Duration,
};

use actix::{Actor, Context, Handler, Message, Recipient};
use tokio::sync::Notify;

/// Records messages of type `M`.
pub struct Probe<M> {
    log: Arc<Mutex<Vec<M>>>,
    notify: Arc<Notify>,
}

impl<M: Unpin + 'static> Actor for Probe<M> {
    type Context = Context<Self>;
}

impl<M> Handler<M> for Probe<M>
where
    M: Message<Result = ()> + Unpin + Send + 'static,
{
    type Result = ();

    fn handle(&mut self, msg: M, _ctx: &mut Context<Self>) {
        self.log.lock().unwrap().push(msg);
        self.notify.notify_waiters();
    }
}

/// The test's side of a probe.
#[derive(Clone)]
pub struct ProbeLog<M> {
    log: Arc<Mutex<Vec<M>>>,
    notify: Arc<Notify>,
}

/// Starts a probe; returns the recipient to hand to the actor under test and the log.
pub fn probe<M>() -> (Recipient<M>, ProbeLog<M>)
where
    M: Message<Result = ()> + Unpin + Send + 'static,
{
    let log = Arc::new(Mutex::new(Vec::new()));
    let notify = Arc::new(Notify::new());
    let addr = Probe {
        log: log.clone(),
        notify: notify.clone(),
    }
    .start();
    (addr.recipient(), ProbeLog { log, notify })
}

impl<M: Clone> ProbeLog<M> {
    /// Everything received so far.
    pub fn all(&self) -> Vec<M> {
        self.log.lock().unwrap().clone()
    }

    /// Waits until `pred` holds for the messages received, or panics after `timeout`.
    pub async fn wait_until(
        &self,
        timeout: Duration,
        what: &str,
        pred: impl FnMut(&[M]) -> bool,
    ) -> Vec<M> {
        match self.try_wait_until(timeout, pred).await {
            Some(log) => log,
            None => panic!("timed out after {timeout:?} waiting for {what}"),
        }
    }

    /// Waits until `pred` holds for the messages received; `None` after `timeout`.
    #[allow(dead_code)] // not every test binary uses it
    pub async fn try_wait_until(
        &self,
        timeout: Duration,
        mut pred: impl FnMut(&[M]) -> bool,
    ) -> Option<Vec<M>> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let notified = self.notify.notified();
            {
                let log = self.log.lock().unwrap();
                if pred(&log) {
                    return Some(log.clone());
                }
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                return None;
            }
        }
    }
}
