//! The writer thread: takes what is queued, commits each group of batches in one transaction
//! (group commit), runs calls in queue order, and reports batches it cannot commit.

use std::sync::Mutex;

use actix::{Message, Recipient};
use chrono::{DateTime, Utc};

use super::{
    entry::Entry,
    queue::{Job, Queue},
};
use crate::orders::journal::{Journal, Write};

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

/// Where faults go: to the recipient once attached, kept until then.
#[derive(Default)]
pub(super) struct Faults {
    pub pending: Vec<String>,
    pub to: Option<Recipient<JournalFault>>,
}

impl Faults {
    fn report(&mut self, reason: String) {
        match &self.to {
            Some(to) => to.do_send(JournalFault { reason }),
            None => self.pending.push(reason),
        }
    }
}

/// Ends the queue when the thread ends, however it ends (a panic included).
struct Ended<'a>(&'a Queue);

impl Drop for Ended<'_> {
    fn drop(&mut self) {
        self.0.end();
    }
}

/// The thread: group commits until the handle is gone (then commits what is queued, unless
/// held).
pub(super) fn run(mut journal: Journal, queue: &Queue, faults: &Mutex<Faults>) {
    let _ended = Ended(queue);
    let mut group: Vec<(DateTime<Utc>, Vec<Entry>)> = Vec::new();
    let mut held = false;
    while let Some(jobs) = queue.next(held, MAX_GROUP) {
        for job in jobs {
            match job {
                Job::Batch(at, entries) => group.push((at, entries)),
                Job::Call(f) => {
                    commit(&mut journal, &mut group, faults);
                    f(&mut journal);
                }
                Job::Hold(h) => {
                    if h {
                        commit(&mut journal, &mut group, faults);
                    }
                    held = h;
                }
            }
        }
        if !held {
            commit(&mut journal, &mut group, faults);
        }
    }
    if !held {
        commit(&mut journal, &mut group, faults);
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
