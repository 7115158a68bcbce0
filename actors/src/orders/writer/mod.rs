//! The journal writer: a thread of its own that owns the journal's connection, so that no
//! SQLite commit (nor its fsync) runs on the arbiter thread that decodes the feed, runs the
//! strategy and sends orders.
//!
//! [`JournalWriter::write`] queues a batch and wakes the thread; [`JournalWriter::write_deferred`]
//! queues one **without** waking it — the order manager queues an intent's rows that way, so
//! that no thread wake-up lies between the strategy's decision and the order on the wire —
//! and answers whether a wake is owed, which the caller pays with [`JournalWriter::wake`]
//! within its bound (`[orders] journal_wake_ms`; the placement's answer, journaled with
//! [`JournalWriter::write`], usually wakes it first). A writer already awake takes deferred
//! rows with the rest. The thread takes whatever is queued — up to [`MAX_GROUP`] batches —
//! and commits it in **one** transaction (group commit) with the configured `synchronous`;
//! batches are written in the order they were queued, so one order's rows are never
//! reordered. When a group's transaction fails, each of its batches is retried in a
//! transaction of its own, and every batch that still fails is reported as a
//! [`JournalFault`] (to the recipient [`JournalWriter::attach`]ed; kept until then).
//! [`JournalWriter::call`] runs a function on the connection after everything queued before
//! it is committed, and waits for its answer: the reads of a restart, the reservation of a
//! block of ids, a flush. Dropping the writer commits what is queued and joins the thread.
//!
//! The queue itself never refuses a batch (a journal row is never dropped);
//! [`JournalWriter::queued`] tells the order manager how many wait, and it refuses new
//! placements past `[orders] journal_queue_max` — so a stalled disk grows the queue only by
//! the changes of orders already sent.
//!
//! [`JournalWriter::hold`] is a fault switch for tests: while held, nothing is committed (as
//! if the disk stalled), which opens the window between a send and its journal rows as wide
//! as a test needs; a [`JournalWriter::call`] made meanwhile waits for the release.

use std::{
    sync::{Arc, Mutex, mpsc},
    thread::JoinHandle,
};

use actix::Recipient;
use chrono::{DateTime, Utc};

mod entry;
mod queue;
mod thread;

pub use self::{
    entry::Entry,
    queue::Wake,
    thread::{JournalFault, MAX_GROUP},
};
use self::{
    queue::{Job, Queue},
    thread::Faults,
};
use super::journal::{Journal, Write};

/// The writer thread has ended (it panicked, or could not be started): nothing more can be
/// journaled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the journal writer has stopped")]
pub struct WriterGone;

/// The handle the order manager keeps.
pub struct JournalWriter {
    queue: Arc<Queue>,
    faults: Arc<Mutex<Faults>>,
    thread: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for JournalWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JournalWriter").finish_non_exhaustive()
    }
}

impl JournalWriter {
    /// Starts the thread, which owns `journal` from now on.
    pub fn start(journal: Journal) -> std::io::Result<JournalWriter> {
        let queue = Arc::new(Queue::default());
        let faults = Arc::new(Mutex::new(Faults::default()));
        let (q, sink) = (queue.clone(), faults.clone());
        let thread = std::thread::Builder::new()
            .name("journal-writer".into())
            .spawn(move || thread::run(journal, &q, &sink))?;
        Ok(JournalWriter {
            queue,
            faults,
            thread: Some(thread),
        })
    }

    /// Sends faults to `to` from now on; answers those reported before.
    pub fn attach(&self, to: Recipient<JournalFault>) -> Vec<String> {
        let mut f = self.faults.lock().unwrap_or_else(|p| p.into_inner());
        f.to = Some(to);
        std::mem::take(&mut f.pending)
    }

    /// Queues `job`; answers whether a wake is owed.
    fn send(&self, job: Job, wake: Wake) -> Result<bool, WriterGone> {
        self.queue.push(job, wake).ok_or(WriterGone)
    }

    /// Queues `writes` (stamped `at` where a row needs a time of its own) to be committed in
    /// order after everything queued before, and wakes the writer; returns at once.
    pub fn write(&self, at: DateTime<Utc>, writes: &[Write<'_>]) -> Result<(), WriterGone> {
        let batch = Job::Batch(at, writes.iter().map(Entry::of).collect());
        self.send(batch, Wake::Now).map(|_| ())
    }

    /// [`JournalWriter::write`] without waking a sleeping writer: answers whether it sleeps
    /// (then the rows wait for the next wake — [`JournalWriter::wake`], any `write` or
    /// `call` — which the caller owes within its bound).
    pub fn write_deferred(
        &self,
        at: DateTime<Utc>,
        writes: &[Write<'_>],
    ) -> Result<bool, WriterGone> {
        let batch = Job::Batch(at, writes.iter().map(Entry::of).collect());
        self.send(batch, Wake::Deferred)
    }

    /// Wakes the writer if rows wait for it (no cost when none do or it is awake).
    pub fn wake(&self) {
        self.queue.wake();
    }

    /// Batches queued and not yet taken by the writer thread.
    pub fn queued(&self) -> usize {
        self.queue.batches()
    }

    /// Runs `f` on the journal once everything queued before is committed; waits for it.
    pub fn call<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Journal) -> T + Send + 'static,
    ) -> Result<T, WriterGone> {
        let (tx, rx) = mpsc::sync_channel(1);
        let call = Job::Call(Box::new(move |j| {
            let _ = tx.send(f(j));
        }));
        self.send(call, Wake::Now)?;
        rx.recv().map_err(|_| WriterGone)
    }

    /// Waits until everything queued so far is committed (or reported as a fault).
    pub fn flush(&self) -> Result<(), WriterGone> {
        self.call(|_| ())
    }

    /// Holds (`true`) or releases commits — a fault switch for tests; see the module doc.
    pub fn hold(&self, held: bool) -> Result<(), WriterGone> {
        self.send(Job::Hold(held), Wake::Now).map(|_| ())
    }
}

impl Drop for JournalWriter {
    fn drop(&mut self) {
        self.queue.close();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
