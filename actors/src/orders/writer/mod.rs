//! The journal writer: a thread of its own that owns the journal's connection, so that no
//! SQLite commit (nor its fsync) runs on the arbiter thread that decodes the feed, runs the
//! strategy and sends orders.
//!
//! [`JournalWriter::write`] queues a batch and returns at once. The thread takes whatever is
//! queued — up to [`MAX_GROUP`] batches — and commits it in **one** transaction (group
//! commit) with the configured `synchronous`; batches are written in the order they were
//! queued, so one order's rows are never reordered. When a group's transaction fails, each of
//! its batches is retried in a transaction of its own, and every batch that still fails is
//! reported as a [`JournalFault`] (to the recipient [`JournalWriter::attach`]ed; kept until
//! then). [`JournalWriter::call`] runs a function on the connection after everything queued
//! before it is committed, and waits for its answer: the reads of a restart, the reservation
//! of a block of ids, a flush. Dropping the writer commits what is queued and joins the thread.
//!
//! [`JournalWriter::hold`] is a fault switch for tests: while held, nothing is committed (as
//! if the disk stalled), which opens the window between a send and its journal rows as wide
//! as a test needs; a [`JournalWriter::call`] made meanwhile waits for the release. The queue
//! is unbounded: a disk that stalls for long grows it in memory rather than blocking a send.

use std::{
    collections::VecDeque,
    sync::{
        Arc, Mutex,
        mpsc::{self, Receiver, Sender},
    },
    thread::JoinHandle,
};

use actix::{Message, Recipient};
use chrono::{DateTime, Utc};

mod entry;

pub use self::entry::Entry;
use super::journal::{Journal, Write};

/// Most batches committed in one transaction.
pub const MAX_GROUP: usize = 512;

/// A batch the writer could not commit: the journal no longer holds everything the order
/// manager did.
#[derive(Debug, Clone, Message)]
#[rtype(result = "()")]
pub struct JournalFault {
    /// What failed.
    pub reason: String,
}

/// The writer thread has ended (it panicked, or could not be started): nothing more can be
/// journaled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the journal writer has stopped")]
pub struct WriterGone;

type Call = Box<dyn FnOnce(&mut Journal) + Send>;

enum Job {
    Batch(DateTime<Utc>, Vec<Entry>),
    Call(Call),
    Hold(bool),
}

/// Where faults go: to the recipient once attached, kept until then.
#[derive(Default)]
struct Faults {
    pending: Vec<String>,
    to: Option<Recipient<JournalFault>>,
}

impl Faults {
    fn report(&mut self, reason: String) {
        match &self.to {
            Some(to) => to.do_send(JournalFault { reason }),
            None => self.pending.push(reason),
        }
    }
}

/// The handle the order manager keeps.
pub struct JournalWriter {
    tx: Option<Sender<Job>>,
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
        let (tx, rx) = mpsc::channel();
        let faults = Arc::new(Mutex::new(Faults::default()));
        let sink = faults.clone();
        let thread = std::thread::Builder::new()
            .name("journal-writer".into())
            .spawn(move || run(journal, &rx, &sink))?;
        Ok(JournalWriter {
            tx: Some(tx),
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

    fn send(&self, job: Job) -> Result<(), WriterGone> {
        self.tx
            .as_ref()
            .ok_or(WriterGone)?
            .send(job)
            .map_err(|_| WriterGone)
    }

    /// Queues `writes` (stamped `at` where a row needs a time of its own) to be committed in
    /// order after everything queued before; returns at once.
    pub fn write(&self, at: DateTime<Utc>, writes: &[Write<'_>]) -> Result<(), WriterGone> {
        self.send(Job::Batch(at, writes.iter().map(Entry::of).collect()))
    }

    /// Runs `f` on the journal once everything queued before is committed; waits for it.
    pub fn call<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Journal) -> T + Send + 'static,
    ) -> Result<T, WriterGone> {
        let (tx, rx) = mpsc::sync_channel(1);
        self.send(Job::Call(Box::new(move |j| {
            let _ = tx.send(f(j));
        })))?;
        rx.recv().map_err(|_| WriterGone)
    }

    /// Waits until everything queued so far is committed (or reported as a fault).
    pub fn flush(&self) -> Result<(), WriterGone> {
        self.call(|_| ())
    }

    /// Holds (`true`) or releases commits — a fault switch for tests; see the module doc.
    pub fn hold(&self, held: bool) -> Result<(), WriterGone> {
        self.send(Job::Hold(held))
    }
}

impl Drop for JournalWriter {
    fn drop(&mut self) {
        self.tx.take();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// The thread: group commits until every sender is gone.
fn run(mut journal: Journal, rx: &Receiver<Job>, faults: &Mutex<Faults>) {
    let mut backlog: VecDeque<Job> = VecDeque::new();
    let mut group: Vec<(DateTime<Utc>, Vec<Entry>)> = Vec::new();
    loop {
        let Some(first) = backlog.pop_front().or_else(|| rx.recv().ok()) else {
            break;
        };
        let mut next = Some(first);
        while let Some(job) = next.take() {
            match job {
                Job::Batch(at, entries) => group.push((at, entries)),
                Job::Call(f) => {
                    commit(&mut journal, &mut group, faults);
                    f(&mut journal);
                }
                Job::Hold(true) => match held(rx) {
                    Some(jobs) => backlog.extend(jobs),
                    None => return, // dropped while held: the held rows are never written
                },
                Job::Hold(false) => {}
            }
            if group.len() < MAX_GROUP {
                next = backlog.pop_front().or_else(|| rx.try_recv().ok());
            }
        }
        commit(&mut journal, &mut group, faults);
    }
    commit(&mut journal, &mut group, faults);
}

/// While held: collects every job until released (`None`: every sender is gone).
fn held(rx: &Receiver<Job>) -> Option<Vec<Job>> {
    let mut jobs = Vec::new();
    loop {
        match rx.recv().ok()? {
            Job::Hold(false) => return Some(jobs),
            job => jobs.push(job),
        }
    }
}

/// Commits `group` in one transaction; if that fails, each batch alone, reporting those
/// that fail again. Empties `group`.
fn commit(
    journal: &mut Journal,
    group: &mut Vec<(DateTime<Utc>, Vec<Entry>)>,
    faults: &Mutex<Faults>,
) {
    let writes: Vec<(DateTime<Utc>, Vec<Write<'_>>)> = group
        .iter()
        .map(|(at, entries)| (*at, entries.iter().map(Entry::as_write).collect()))
        .collect();
    if !writes.is_empty() && journal.commit_group(&writes).is_err() {
        for (at, batch) in &writes {
            if let Err(e) = journal.commit(*at, batch) {
                let mut f = faults.lock().unwrap_or_else(|p| p.into_inner());
                f.report(format!("a write failed: {e}"));
            }
        }
    }
    drop(writes);
    group.clear();
}
