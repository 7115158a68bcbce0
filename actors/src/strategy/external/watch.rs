//! The clocks the engine holds a strategy process to, pure (the caller passes `now`):
//! [`Sent`] remembers when each message was queued, so a `place` or `amend` answering a
//! message older than the answer timeout is found late; [`TickWatch`] notices a process that
//! leaves a `tick` unanswered too long (hung).

use std::{
    collections::VecDeque,
    time::{Duration, Instant},
};

/// How an answer's `reply_to` stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Age {
    /// Within the answer timeout: this old.
    Fresh(Duration),
    /// Older than the answer timeout.
    Late,
    /// No message of that number was sent yet.
    Unknown,
}

/// When recent messages were queued, by number.
#[derive(Debug)]
pub struct Sent {
    timeout: Duration,
    /// (seq, queued at), ascending; entries older than `timeout` are pruned.
    recent: VecDeque<(u64, Instant)>,
    last: u64,
}

impl Sent {
    /// Remembering messages for `timeout`.
    pub fn new(timeout: Duration) -> Sent {
        Sent {
            timeout,
            recent: VecDeque::new(),
            last: 0,
        }
    }

    /// Message `seq` (greater than every earlier one) was queued at `now`.
    pub fn queued(&mut self, seq: u64, now: Instant) {
        self.prune(now);
        self.recent.push_back((seq, now));
        self.last = seq;
    }

    /// How old message `seq` is at `now`.
    pub fn age(&mut self, seq: u64, now: Instant) -> Age {
        if seq == 0 || seq > self.last {
            return Age::Unknown;
        }
        self.prune(now);
        match self.recent.binary_search_by_key(&seq, |(s, _)| *s) {
            Ok(i) => Age::Fresh(now.saturating_duration_since(self.recent[i].1)),
            // Pruned (older than the timeout), or a number of an earlier run's message.
            Err(_) => Age::Late,
        }
    }

    fn prune(&mut self, now: Instant) {
        while let Some((_, at)) = self.recent.front() {
            if now.saturating_duration_since(*at) <= self.timeout {
                break;
            }
            self.recent.pop_front();
        }
    }
}

/// The oldest `tick` not yet answered by a `pong`.
#[derive(Debug, Default)]
pub struct TickWatch {
    oldest: Option<(u64, Instant)>,
}

impl TickWatch {
    /// Tick `seq` was queued at `now`.
    pub fn ticked(&mut self, seq: u64, now: Instant) {
        self.oldest.get_or_insert((seq, now));
    }

    /// A `pong` for tick `seq`: it and every earlier tick are answered.
    pub fn pong(&mut self, seq: u64) {
        if self.oldest.is_some_and(|(s, _)| seq >= s) {
            self.oldest = None;
        }
    }

    /// How long the oldest unanswered tick has waited, when that is more than `limit`.
    pub fn overdue(&self, now: Instant, limit: Duration) -> Option<Duration> {
        let (_, at) = self.oldest?;
        let waited = now.saturating_duration_since(at);
        (waited > limit).then_some(waited)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_is_fresh_within_the_timeout_then_late() {
        let t0 = Instant::now();
        let ms = Duration::from_millis;
        let mut sent = Sent::new(ms(1_000));
        sent.queued(1, t0);
        sent.queued(2, t0 + ms(500));
        assert_eq!(sent.age(1, t0 + ms(900)), Age::Fresh(ms(900)));
        assert_eq!(sent.age(2, t0 + ms(900)), Age::Fresh(ms(400)));
        assert_eq!(sent.age(1, t0 + ms(1_001)), Age::Late);
        assert_eq!(sent.age(2, t0 + ms(1_001)), Age::Fresh(ms(501)));
        assert_eq!(sent.age(3, t0 + ms(1_001)), Age::Unknown);
        assert_eq!(sent.age(0, t0), Age::Unknown);
    }

    #[test]
    fn a_tick_unanswered_too_long_is_overdue_until_a_pong() {
        let t0 = Instant::now();
        let s = Duration::from_secs;
        let mut w = TickWatch::default();
        assert_eq!(w.overdue(t0 + s(100), s(5)), None);
        w.ticked(7, t0);
        w.ticked(9, t0 + s(1));
        assert_eq!(w.overdue(t0 + s(5), s(5)), None);
        assert_eq!(w.overdue(t0 + s(6), s(5)), Some(s(6)), "the oldest counts");
        w.pong(6);
        assert!(
            w.overdue(t0 + s(6), s(5)).is_some(),
            "an older pong answers nothing"
        );
        w.pong(9);
        assert_eq!(w.overdue(t0 + s(60), s(5)), None);
    }
}
