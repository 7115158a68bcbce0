//! The writer thread: order kept, calls after writes, hold, faults, blocks.

use std::sync::{Arc, Mutex};

use actix::{Actor, Context, Handler};

use super::*;
use crate::orders::{
    journal::IdBlock,
    writer::{JournalFault, JournalWriter},
};

fn intent_rows(o: &OrderRecord) -> [Write<'_>; 3] {
    [
        Write::Intent {
            order: o,
            label: "t",
        },
        Write::Order(o),
        Write::Event(o, None),
    ]
}

fn intents(w: &JournalWriter) -> Vec<u64> {
    w.call(|j| j.intent_outcomes().unwrap())
        .unwrap()
        .into_iter()
        .map(|i| i.seq)
        .collect()
}

#[test]
fn queued_batches_are_committed_in_order_before_a_later_call() {
    let dir = TempPath::new();
    let w = JournalWriter::start(Journal::open(&dir.file(), Synchronous::Normal).unwrap()).unwrap();
    let orders: Vec<OrderRecord> = (1..=300).map(intent).collect();
    for o in &orders {
        w.write(now(), &intent_rows(o)).unwrap();
    }
    assert_eq!(intents(&w), (1..=300).collect::<Vec<_>>());
    drop(w);
    let j = Journal::open_read_only(&dir.file()).unwrap();
    assert_eq!(j.count("order_events").unwrap(), 300);
}

#[test]
fn held_rows_are_not_committed_until_released_and_dropping_while_held_loses_them() {
    let dir = TempPath::new();
    let w = JournalWriter::start(Journal::open(&dir.file(), Synchronous::Normal).unwrap()).unwrap();
    w.write(now(), &intent_rows(&intent(1))).unwrap();
    w.flush().unwrap();
    w.hold(true).unwrap();
    w.write(now(), &intent_rows(&intent(2))).unwrap();
    let outside = Journal::open_read_only(&dir.file()).unwrap();
    let seen = |j: &Journal| j.count("intents").unwrap();
    // The writer is held: a reader sees only the first intent, however long it looks.
    assert_eq!(seen(&outside), 1);
    w.hold(false).unwrap();
    w.flush().unwrap();
    assert_eq!(seen(&outside), 2);
    w.hold(true).unwrap();
    w.write(now(), &intent_rows(&intent(3))).unwrap();
    drop(w);
    assert_eq!(seen(&outside), 2, "held rows die with the writer");
}

#[test]
fn rows_queued_without_a_wake_are_committed_by_the_next_wake_or_call() {
    let dir = TempPath::new();
    let w = JournalWriter::start(Journal::open(&dir.file(), Synchronous::Normal).unwrap()).unwrap();
    let outside = Journal::open_read_only(&dir.file()).unwrap();
    let seen = |j: &Journal| j.count("intents").unwrap();
    for seq in 1..=50 {
        // Whether a wake is owed depends on whether the writer sleeps at that instant.
        let _owed = w.write_deferred(now(), &intent_rows(&intent(seq))).unwrap();
    }
    w.wake();
    // The rows are committed in order with a later call (which always wakes the writer).
    assert_eq!(intents(&w), (1..=50).collect::<Vec<_>>());
    assert_eq!(seen(&outside), 50);
    // With the writer idle: the explicit wake commits it.
    w.flush().unwrap();
    w.write_deferred(now(), &intent_rows(&intent(51))).unwrap();
    w.wake();
    w.flush().unwrap();
    assert_eq!(seen(&outside), 51);
}

#[test]
fn a_held_writer_counts_what_waits_and_drops_no_row() {
    let dir = TempPath::new();
    let w = JournalWriter::start(Journal::open(&dir.file(), Synchronous::Normal).unwrap()).unwrap();
    w.hold(true).unwrap();
    for seq in 1..=20 {
        w.write_deferred(now(), &intent_rows(&intent(seq))).unwrap();
    }
    w.write(now(), &intent_rows(&intent(21))).unwrap();
    // Held: nothing is taken, so every batch is counted as waiting.
    assert_eq!(w.queued(), 21);
    w.hold(false).unwrap();
    assert_eq!(intents(&w), (1..=21).collect::<Vec<_>>());
    assert_eq!(w.queued(), 0);
}

#[test]
fn blocks_are_reserved_and_read_back() {
    let dir = TempPath::new();
    let w = JournalWriter::start(Journal::open(&dir.file(), Synchronous::Full).unwrap()).unwrap();
    let b = IdBlock {
        start: 1,
        end: 257,
        reserved_at: now(),
    };
    w.call(move |j| j.reserve(&b)).unwrap().unwrap();
    assert_eq!(w.call(|j| j.id_blocks().unwrap()).unwrap(), vec![b]);
    assert!(
        w.call(move |j| j.reserve(&b)).unwrap().is_err(),
        "a block is reserved once"
    );
}

struct Faults(Arc<Mutex<Vec<String>>>);

impl Actor for Faults {
    type Context = Context<Self>;
}

impl Handler<JournalFault> for Faults {
    type Result = ();

    fn handle(&mut self, msg: JournalFault, _ctx: &mut Context<Self>) {
        self.0.lock().unwrap().push(msg.reason);
    }
}

#[actix::test]
async fn a_failing_batch_is_reported_and_the_rest_of_its_group_is_committed() {
    let dir = TempPath::new();
    let w = JournalWriter::start(Journal::open(&dir.file(), Synchronous::Normal).unwrap()).unwrap();
    let (one, two) = (intent(1), intent(2));
    // Reported before anyone listens: kept for the first listener.
    w.hold(true).unwrap();
    w.write(now(), &intent_rows(&one)).unwrap();
    w.write(now(), &intent_rows(&one)).unwrap(); // the same intent again: refused
    w.write(now(), &intent_rows(&two)).unwrap();
    w.hold(false).unwrap();
    assert_eq!(intents(&w), vec![1, 2]);
    let seen = Arc::new(Mutex::new(Vec::new()));
    let early = w.attach(Faults(seen.clone()).start().recipient());
    assert_eq!(early.len(), 1, "{early:?}");
    w.write(now(), &intent_rows(&two)).unwrap();
    w.flush().unwrap();
    let probe = seen.clone();
    tokio::time::timeout(std::time::Duration::from_secs(10), async move {
        while probe.lock().unwrap().is_empty() {
            tokio::task::yield_now().await;
        }
    })
    .await
    .expect("the fault reaches the listener");
    assert!(seen.lock().unwrap()[0].contains("UNIQUE"), "{seen:?}");
}
