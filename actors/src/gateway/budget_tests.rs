use kalshi::bucket::TokenBucket;

use super::*;

const SECOND: u128 = 1_000_000_000;

#[test]
fn it_starts_empty_and_refills_at_its_rate() {
    let mut b = Budget::new(100, 50, 0);
    assert_eq!(b.available(0), 0);
    assert!(!b.try_take(1, 0));
    assert_eq!(b.wait_ns(1, 0), Some(SECOND / 100));
    assert_eq!(b.available(SECOND / 10), 10);
    assert_eq!(b.available(10 * SECOND), 50, "never above capacity");
    assert!(b.try_take(30, 10 * SECOND));
    assert_eq!(b.available(10 * SECOND), 20);
    assert_eq!(b.wait_ns(25, 10 * SECOND), Some(5 * SECOND / 100));
    assert_eq!(
        b.wait_ns(51, 10 * SECOND),
        None,
        "more than it can ever hold"
    );
}

#[test]
fn asking_how_long_to_wait_spends_nothing() {
    let b = Budget::new(10, 10, 0);
    for _ in 0..5 {
        assert_eq!(b.wait_ns(10, SECOND), Some(0));
    }
    assert_eq!(b.available(SECOND), 10);
}

#[test]
fn drain_empties_and_resize_keeps_what_is_left_up_to_the_new_capacity() {
    let mut b = Budget::new(100, 100, 0);
    let t = 2 * SECOND;
    assert_eq!(b.available(t), 100);
    b.drain(t);
    assert_eq!(b.available(t), 0);
    assert_eq!(b.available(t + SECOND / 2), 50);
    b.resize(200, 40, t + SECOND / 2);
    assert_eq!((b.rate_per_s(), b.capacity()), (200, 40));
    assert_eq!(b.available(t + SECOND / 2), 40);
    b.resize(200, 400, t + SECOND / 2);
    assert_eq!(
        b.available(t + SECOND / 2),
        40,
        "a larger bucket is not filled up"
    );
    assert_eq!(b.available(t + SECOND), 140);
}

#[test]
fn a_zero_rate_admits_nothing() {
    let mut b = Budget::new(0, 10, 0);
    assert!(!b.try_take(1, 100 * SECOND));
    assert_eq!(b.wait_ns(1, 100 * SECOND), None);
}

/// The engine's limiter against the exchange's exact bucket (`kalshi::bucket`, which the
/// simulator enforces), both empty at the start: spending as fast as the gateway's limiter
/// allows for a quarter of an hour, every request finds its tokens at the exchange.
#[test]
fn spending_flat_out_it_never_outruns_the_exchanges_bucket() {
    for (rate, cap, cost) in [(200, 200, 10), (300, 300, 10), (4000, 4000, 15), (7, 7, 1)] {
        let mut ours = Budget::new(rate, cap, 0);
        let mut exchange = TokenBucket::new(rate, cap);
        exchange.drain(0);
        let (mut now, mut sent) = (0u128, 0u64);
        while now < 900 * SECOND {
            now += ours.wait_ns(cost, now).unwrap();
            assert!(ours.try_take(cost, now));
            assert!(
                exchange.try_take(cost, now),
                "rate {rate}: refused at {now} ns"
            );
            sent += cost;
        }
        // And it uses the budget: within a millionth of what the exchange refilled.
        let refilled = (rate * 900) as f64;
        assert!(
            sent as f64 >= refilled * (1.0 - 1e-6) - cost as f64,
            "rate {rate}: {sent}"
        );
    }
}

/// Why the quota is not `Quota::per_second`: at 300/s its cells are ⌊10⁹/300⌋ ns apart, a third
/// of a nanosecond early each, and right after a drain the first request it allows reaches
/// the exchange's exact bucket before its tokens are there.
#[test]
fn governors_per_second_quota_would_outrun_the_exchange_at_300_per_second() {
    let rate = NonZeroU32::new(300).unwrap();
    let clock = Pinned(AtomicU64::new(ORIGIN));
    let limiter: Limiter<'_> = RateLimiter::new(
        Quota::per_second(rate).allow_burst(rate),
        Tat(Arc::new(AtomicU64::new(ORIGIN + 300 * 3_333_333))),
        &clock,
    );
    let mut exchange = TokenBucket::new(300, 300);
    exchange.drain(0);
    let ten = NonZeroU32::new(10).unwrap();
    let not_until = match limiter.check_n(ten) {
        Ok(Err(not_until)) => not_until,
        other => panic!("an empty limiter allowed 10: {other:?}"),
    };
    let first_allowed = not_until.wait_time_from(Nanos::new(ORIGIN)).as_nanos() as u64;
    clock.0.store(ORIGIN + first_allowed, Ordering::Relaxed);
    assert!(matches!(limiter.check_n(ten), Ok(Ok(()))));
    assert!(
        !exchange.try_take(10, u128::from(first_allowed)),
        "per_second allowed 10 tokens at {first_allowed} ns, when the exchange had them too"
    );
}
