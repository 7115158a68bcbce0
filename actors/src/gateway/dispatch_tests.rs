//! Scenario tests of the dispatcher with explicit time: no actors, no sleeping.

use kalshi::limits::Bucket;

use super::{Dispatcher, Lane, Limits, Outcome, Step, Ticket};
use crate::gateway::budget::Budget;

const MS: u128 = 1_000_000;

fn dispatcher(max_in_flight: usize) -> Dispatcher<u32> {
    // Basic tier: read 200/s cap 200, write 100/s cap 100.
    let limits = Limits {
        max_in_flight,
        lane_capacity: 1000,
        cancel_reserve_pct: 20,
    };
    Dispatcher::new(
        limits,
        Budget::with_tokens(200, 200, 200, 0),
        Budget::with_tokens(100, 100, 100, 0),
    )
}

fn ticket(id: u32, lane: Lane, cost: u32, now: u128) -> Ticket<u32> {
    let bucket = if matches!(lane, Lane::Cancel | Lane::Place) {
        Bucket::Write
    } else {
        Bucket::Read
    };
    Ticket {
        lane,
        bucket,
        cost,
        deadline_ns: None,
        enqueued_ns: now,
        generation: 0,
        payload: id,
    }
}

fn sent(steps: &[Step<u32>]) -> Vec<u32> {
    steps
        .iter()
        .filter_map(|s| {
            if let Step::Send(t) = s {
                Some(t.payload)
            } else {
                None
            }
        })
        .collect()
}

fn expired(steps: &[Step<u32>]) -> Vec<u32> {
    steps
        .iter()
        .filter_map(|s| {
            if let Step::Expire(t) = s {
                Some(t.payload)
            } else {
                None
            }
        })
        .collect()
}

fn finish_all(d: &mut Dispatcher<u32>, ids: &[u32], bucket: Bucket, now: u128) {
    for _ in ids {
        d.finished(bucket, 0, Outcome::Answered, now);
    }
}

#[test]
fn reads_are_paced_by_the_bucket() {
    let mut d = dispatcher(100);
    for i in 0..25 {
        d.push(ticket(i, Lane::Metadata, 10, 0)).unwrap();
    }
    let (steps, wake) = d.poll(0);
    assert_eq!(
        sent(&steps),
        (0..20).collect::<Vec<_>>(),
        "a full bucket holds 20 reads"
    );
    assert_eq!(wake, Some(50 * MS), "10 more tokens take 50 ms at 200/s");
    finish_all(&mut d, &sent(&steps), Bucket::Read, 0);
    let (steps, wake) = d.poll(50 * MS);
    assert_eq!(sent(&steps), vec![20]);
    assert_eq!(wake, Some(100 * MS));
}

#[test]
fn lanes_are_strict_within_a_bucket_and_fifo_within_a_lane() {
    let mut d = dispatcher(100);
    // Drain the read bucket.
    for i in 0..20 {
        d.push(ticket(i, Lane::Metadata, 10, 0)).unwrap();
    }
    let (steps, _) = d.poll(0);
    finish_all(&mut d, &sent(&steps), Bucket::Read, 0);
    d.push(ticket(100, Lane::Metadata, 10, 0)).unwrap();
    d.push(ticket(200, Lane::Account, 10, 0)).unwrap();
    d.push(ticket(201, Lane::Account, 10, 0)).unwrap();
    let (steps, _) = d.poll(50 * MS);
    assert_eq!(
        sent(&steps),
        vec![200],
        "the account read goes before the older metadata read"
    );
    let (steps, _) = d.poll(100 * MS);
    assert_eq!(sent(&steps), vec![201]);
    let (steps, _) = d.poll(150 * MS);
    assert_eq!(sent(&steps), vec![100]);
}

#[test]
fn a_cancel_takes_the_next_free_slot_ahead_of_queued_reads() {
    let mut d = dispatcher(2);
    for i in 0..10 {
        d.push(ticket(i, Lane::Metadata, 10, 0)).unwrap();
    }
    let (steps, _) = d.poll(0);
    assert_eq!(sent(&steps), vec![0, 1], "two slots");
    d.push(ticket(99, Lane::Cancel, 2, 0)).unwrap();
    let (steps, _) = d.poll(0);
    assert!(sent(&steps).is_empty(), "no free slot yet");
    d.finished(Bucket::Read, 0, Outcome::Answered, MS);
    let (steps, _) = d.poll(MS);
    assert_eq!(
        sent(&steps),
        vec![99],
        "the cancel overtakes reads queued before it"
    );
}

#[test]
fn reads_and_writes_do_not_block_each_other() {
    let mut d = dispatcher(100);
    for i in 0..20 {
        d.push(ticket(i, Lane::Metadata, 10, 0)).unwrap();
    }
    d.poll(0);
    d.push(ticket(50, Lane::Metadata, 10, 0)).unwrap();
    d.push(ticket(60, Lane::Place, 10, 0)).unwrap();
    let (steps, _) = d.poll(0);
    assert_eq!(
        sent(&steps),
        vec![60],
        "an empty read bucket does not hold a write"
    );
}

#[test]
fn places_leave_the_cancel_reserve_untouched() {
    let mut d = dispatcher(100);
    // 20% of 100 = 20 tokens only cancels may use: 8 places of 10 fit, not 9.
    for i in 0..10 {
        d.push(ticket(i, Lane::Place, 10, 0)).unwrap();
    }
    let (steps, wake) = d.poll(0);
    assert_eq!(sent(&steps).len(), 8);
    assert_eq!(
        wake,
        Some(100 * MS),
        "the 9th place waits for 10 tokens above the reserve"
    );
    for i in 0..10 {
        d.push(ticket(100 + i, Lane::Cancel, 2, 0)).unwrap();
    }
    let (steps, _) = d.poll(0);
    assert_eq!(sent(&steps).len(), 10, "cancels spend the reserve");
    assert_eq!(d.tokens(Bucket::Write, 0), 0);
}

#[test]
fn a_429_drains_the_bucket_cools_it_down_and_probes_one_at_a_time() {
    let mut d = dispatcher(100);
    for i in 0..5 {
        d.push(ticket(i, Lane::Metadata, 10, 0)).unwrap();
    }
    let (steps, _) = d.poll(0);
    assert_eq!(sent(&steps).len(), 5);
    d.finished(
        Bucket::Read,
        0,
        Outcome::RateLimited {
            cooldown_ns: 200 * MS,
        },
        MS,
    );
    for i in 10..20 {
        d.push(ticket(i, Lane::Metadata, 10, MS)).unwrap();
    }
    let (steps, wake) = d.poll(MS);
    assert!(sent(&steps).is_empty());
    assert_eq!(wake, Some(201 * MS));
    assert!(d.cooling(Bucket::Read, MS));
    // Other answers of the first burst arrive; they predate the 429 and prove nothing.
    for _ in 0..4 {
        d.finished(Bucket::Read, 0, Outcome::Answered, 2 * MS);
    }
    // After the cool-down the drained bucket has 40 tokens, but only one probe goes.
    let (steps, _) = d.poll(201 * MS);
    assert_eq!(sent(&steps), vec![10]);
    let probe_generation = match &steps[0] {
        Step::Send(t) => t.generation,
        Step::Expire(_) => unreachable!(),
    };
    assert_eq!(probe_generation, 1);
    let (steps, _) = d.poll(250 * MS);
    assert!(
        sent(&steps).is_empty(),
        "no second request while the probe is out"
    );
    d.finished(Bucket::Read, probe_generation, Outcome::Answered, 260 * MS);
    let (steps, _) = d.poll(260 * MS);
    assert!(
        sent(&steps).len() > 1,
        "a successful probe reopens the bucket"
    );
    assert_eq!(d.consecutive_429(Bucket::Read), 0);
}

#[test]
fn placements_that_cannot_go_out_in_time_expire_unsent() {
    let mut d = dispatcher(100);
    // Spend the write bucket down to the reserve.
    for i in 0..8 {
        d.push(ticket(i, Lane::Place, 10, 0)).unwrap();
    }
    d.poll(0);
    let mut late = ticket(50, Lane::Place, 10, 0);
    late.deadline_ns = Some(50 * MS); // tokens arrive only at 100 ms
    d.push(late).unwrap();
    let mut fine = ticket(51, Lane::Place, 10, 0);
    fine.deadline_ns = Some(500 * MS);
    d.push(fine).unwrap();
    let (steps, _) = d.poll(0);
    assert_eq!(
        expired(&steps),
        vec![50],
        "cannot be sent before its deadline: fail now"
    );
    let (steps, _) = d.poll(100 * MS);
    assert_eq!(sent(&steps), vec![51]);
}

#[test]
fn queued_requests_past_their_deadline_expire() {
    let mut d = dispatcher(0); // nothing may be sent
    let mut t = ticket(1, Lane::Place, 10, 0);
    t.deadline_ns = Some(10 * MS);
    d.push(t).unwrap();
    let (steps, wake) = d.poll(0);
    assert!(steps.is_empty());
    assert_eq!(wake, Some(10 * MS));
    let (steps, _) = d.poll(10 * MS);
    assert_eq!(expired(&steps), vec![1]);
}

#[test]
fn a_full_lane_refuses_at_once() {
    let limits = Limits {
        max_in_flight: 1,
        lane_capacity: 2,
        cancel_reserve_pct: 0,
    };
    let mut d: Dispatcher<u32> = Dispatcher::new(
        limits,
        Budget::with_tokens(200, 200, 200, 0),
        Budget::with_tokens(100, 100, 100, 0),
    );
    d.push(ticket(1, Lane::Metadata, 10, 0)).unwrap();
    d.push(ticket(2, Lane::Metadata, 10, 0)).unwrap();
    let back = d.push(ticket(3, Lane::Metadata, 10, 0)).unwrap_err();
    assert_eq!(back.payload, 3);
    assert!(
        d.push(ticket(4, Lane::Account, 10, 0)).is_ok(),
        "other lanes are separate"
    );
}

#[test]
fn a_request_bigger_than_the_bucket_expires_instead_of_blocking_forever() {
    let mut d = dispatcher(10);
    d.push(ticket(1, Lane::Cancel, 500, 0)).unwrap();
    d.push(ticket(2, Lane::Cancel, 2, 0)).unwrap();
    let (steps, _) = d.poll(0);
    assert_eq!(expired(&steps), vec![1]);
    let (steps, _) = d.poll(0);
    assert_eq!(sent(&steps), vec![2]);
}
