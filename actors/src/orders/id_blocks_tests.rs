use chrono::TimeZone;

use super::*;

fn t(s: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(1_800_000_000 + s, 0).unwrap()
}

fn block(start: u64, end: u64, at: i64) -> IdBlock {
    IdBlock {
        start,
        end,
        reserved_at: t(at),
    }
}

#[test]
fn numbers_come_from_reserved_blocks_only_and_never_twice() {
    let mut ids = IdSeq::new(1, 3);
    assert_eq!(ids.take(), None, "nothing before a block is reserved");
    let b = ids.next_block(t(0));
    assert_eq!((b.start, b.end), (1, 4));
    ids.reserved(&b);
    assert_eq!(
        [ids.take(), ids.take(), ids.take(), ids.take()],
        [Some(1), Some(2), Some(3), None]
    );
    let b = ids.next_block(t(1));
    assert_eq!((b.start, b.end), (4, 7));
    ids.reserved(&b);
    assert_eq!(ids.take(), Some(4));
}

#[test]
fn a_restart_burns_the_rest_of_the_block() {
    let mut ids = IdSeq::new(10, 100);
    ids.reserved(&ids.next_block(t(0)));
    assert_eq!(ids.take(), Some(10));
    ids.burn();
    assert_eq!(ids.take(), None);
    assert_eq!(ids.peek(), 110);
    assert_eq!(ids.next_block(t(1)).start, 110);
}

#[test]
fn a_floor_seen_on_the_exchange_raises_the_next_number() {
    let mut ids = IdSeq::new(1, 10);
    ids.reserved(&ids.next_block(t(0)));
    ids.raise(5);
    assert_eq!(ids.take(), Some(5), "still inside the block");
    ids.raise(50);
    assert_eq!(ids.take(), None, "beyond the block: a new one is needed");
    assert_eq!(ids.next_block(t(1)).start, 50);
    ids.raise(3);
    assert_eq!(ids.peek(), 50, "a lower floor changes nothing");
}

#[test]
fn the_high_water_mark_covers_blocks_and_journaled_intents() {
    for (blocks, max, want) in [
        (vec![], 0, 1),
        (vec![], 41, 42),
        (vec![block(1, 257, 0)], 10, 257),
        (vec![block(1, 257, 0), block(257, 513, 5)], 600, 601),
    ] {
        assert_eq!(high_water(&blocks, max), want, "{blocks:?} {max}");
    }
}

#[test]
fn recovery_searches_above_the_last_journaled_intent_since_its_block() {
    let blocks = [block(1, 257, 0), block(257, 513, 100), block(513, 769, 200)];
    // Nothing journaled: everything reserved, since the first block.
    assert_eq!(
        recovery(&blocks, 0),
        Some(Recovery {
            from: 1,
            below: 769,
            since: t(0)
        })
    );
    // Journaled into the second block: from there, since its reservation.
    let r = recovery(&blocks, 300).unwrap();
    assert_eq!((r.from, r.below, r.since), (301, 769, t(100)));
    assert!(r.holds(301) && r.holds(768));
    assert!(!r.holds(300) && !r.holds(769));
    // The last journaled number ends a block: the next block's time.
    assert_eq!(recovery(&blocks, 512).unwrap().since, t(200));
    // Everything reserved is journaled (or no block at all: a journal of before blocks).
    assert_eq!(recovery(&blocks, 768), None);
    assert_eq!(recovery(&[], 5), None);
}

#[test]
fn recovery_takes_the_earliest_reservation_when_the_clock_went_back() {
    let blocks = [block(1, 11, 50), block(11, 21, 10)];
    assert_eq!(recovery(&blocks, 3).unwrap().since, t(10));
}
