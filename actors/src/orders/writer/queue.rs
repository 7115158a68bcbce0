//! The writer's queue: jobs under a mutex, a condition variable the writer sleeps on, and
//! whether it sleeps — so that a producer wakes it only when asked to ([`Wake::Now`]) and
//! can queue without waking it ([`Wake::Deferred`]), learning whether a wake is then owed.
//!
//! A futex wake per order was the tail of the order path (the writer thread, woken while
//! the order was still on its way, took a core from the arbiter on a two-core machine); a
//! deferred push costs one uncontended lock.

use std::{
    collections::VecDeque,
    sync::{Condvar, Mutex, MutexGuard},
};

use chrono::{DateTime, Utc};

use super::entry::Entry;
use crate::orders::journal::Journal;

/// A function run on the journal after what was queued before it is committed.
pub(super) type Call = Box<dyn FnOnce(&mut Journal) + Send>;

/// What the writer thread is asked to do.
pub(super) enum Job {
    /// Rows to commit, stamped with the time of the change.
    Batch(DateTime<Utc>, Vec<Entry>),
    /// A function to run once what is queued before is committed.
    Call(Call),
    /// Hold (`true`) or release commits (a fault switch for tests).
    Hold(bool),
}

/// Whether a push wakes a sleeping writer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wake {
    /// Wake it now.
    Now,
    /// Leave it asleep: the caller wakes it later ([`super::JournalWriter::wake`]).
    Deferred,
}

#[derive(Default)]
struct State {
    jobs: VecDeque<Job>,
    /// `Job::Batch`es in `jobs`.
    batches: usize,
    /// `Job::Hold(false)`s in `jobs`.
    releases: usize,
    /// The writer waits on the condition variable.
    sleeping: bool,
    /// The handle is gone: commit what is queued (unless held) and end.
    closed: bool,
    /// The thread has ended: nothing queued will ever be taken.
    ended: bool,
}

/// The queue shared by the handle and the thread.
#[derive(Default)]
pub(super) struct Queue {
    state: Mutex<State>,
    wake: Condvar,
}

impl Queue {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Queues `job`; answers whether the writer sleeps and was not woken (a wake is owed),
    /// or `None` (the job dropped) when the thread has ended.
    pub fn push(&self, job: Job, wake: Wake) -> Option<bool> {
        let mut st = self.lock();
        if st.ended {
            return None;
        }
        match &job {
            Job::Batch(..) => st.batches += 1,
            Job::Hold(false) => st.releases += 1,
            _ => {}
        }
        st.jobs.push_back(job);
        let sleeping = st.sleeping;
        drop(st);
        if sleeping && wake == Wake::Now {
            self.wake.notify_one();
            return Some(false);
        }
        Some(sleeping)
    }

    /// The thread has ended (returned or panicked): drops what is queued — a waiting
    /// [`Job::Call`]'s caller then learns it — and refuses what comes.
    pub fn end(&self) {
        let jobs = {
            let mut st = self.lock();
            st.ended = true;
            st.batches = 0;
            st.releases = 0;
            std::mem::take(&mut st.jobs)
        };
        drop(jobs);
    }

    /// Wakes the writer if it sleeps with jobs queued (rows pushed with [`Wake::Deferred`]).
    pub fn wake(&self) {
        let st = self.lock();
        let owed = st.sleeping && !st.jobs.is_empty();
        drop(st);
        if owed {
            self.wake.notify_one();
        }
    }

    /// Batches queued and not yet taken by the writer.
    pub fn batches(&self) -> usize {
        self.lock().batches
    }

    /// Marks the handle gone and wakes the writer.
    pub fn close(&self) {
        self.lock().closed = true;
        self.wake.notify_one();
    }

    /// The next jobs for the writer, oldest first, waiting while there are none (or, while
    /// `held`, until a release is queued): up to `max_batches` batches, ending at the first
    /// `Hold` taken. `None` once closed with nothing more to do — while held, the held rows
    /// are given up.
    pub fn next(&self, held: bool, max_batches: usize) -> Option<Vec<Job>> {
        let mut st = self.lock();
        loop {
            let ready = if held {
                st.releases > 0
            } else {
                !st.jobs.is_empty()
            };
            if ready {
                return Some(take(&mut st, max_batches));
            }
            if st.closed {
                return None;
            }
            st.sleeping = true;
            st = self.wake.wait(st).unwrap_or_else(|p| p.into_inner());
            st.sleeping = false;
        }
    }
}

/// Takes jobs from the front: up to `max_batches` batches, ending at the first `Hold`.
fn take(st: &mut State, max_batches: usize) -> Vec<Job> {
    let mut out = Vec::new();
    let mut batches = 0;
    while let Some(job) = st.jobs.pop_front() {
        let stop = match &job {
            Job::Batch(..) => {
                batches += 1;
                st.batches -= 1;
                batches >= max_batches
            }
            Job::Hold(release) => {
                if !release {
                    st.releases -= 1;
                }
                true
            }
            Job::Call(_) => false,
        };
        out.push(job);
        if stop {
            break;
        }
    }
    out
}
