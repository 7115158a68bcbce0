//! The gateway's admission core, pure and clock-free: four priority lanes (cancel, place,
//! account reads, metadata reads), FIFO within a lane, one token bucket per Kalshi bucket
//! (read, write), at most `max_in_flight` requests on the wire, a share of the write bucket
//! kept for cancels, a shared cool-down after a 429 with one probe at a time, and deadlines
//! that fail a request rather than send it late.
//!
//! The actor calls [`Dispatcher::poll`] after every event (new request, response, timer);
//! `poll` returns what to send or expire now and when to wake up next. Time is a monotonic
//! nanosecond count passed in by the caller.
//!
//! Admission is strict by lane *within a bucket*: a place request never overtakes a cancel
//! waiting for write tokens, a metadata read never overtakes an account read waiting for read
//! tokens; reads and writes draw from different buckets and do not block each other.

use std::collections::VecDeque;

use kalshi::limits::Bucket;

use super::{budget::Budget, config::GatewayConfig};

/// Priority lanes, highest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lane {
    /// Cancels (and batch cancels, cancel-all).
    Cancel,
    /// Order placement, amend, decrease.
    Place,
    /// Account reads: balance, positions, fills, orders.
    Account,
    /// Metadata reads: markets, events, series, books, exchange, limits.
    Metadata,
}

impl Lane {
    /// Every lane, highest priority first.
    pub const ALL: [Lane; 4] = [Lane::Cancel, Lane::Place, Lane::Account, Lane::Metadata];

    fn index(self) -> usize {
        self as usize
    }

    /// Lower-case name, for metrics.
    pub fn name(self) -> &'static str {
        match self {
            Lane::Cancel => "cancel",
            Lane::Place => "place",
            Lane::Account => "account",
            Lane::Metadata => "metadata",
        }
    }
}

fn bucket_index(b: Bucket) -> usize {
    match b {
        Bucket::Read => 0,
        Bucket::Write => 1,
    }
}

/// One queued request.
#[derive(Debug)]
pub struct Ticket<T> {
    /// Its lane.
    pub lane: Lane,
    /// The bucket it draws from.
    pub bucket: Bucket,
    /// Tokens it costs.
    pub cost: u32,
    /// Latest send time; `None` for no deadline.
    pub deadline_ns: Option<u128>,
    /// When it was queued (for the wait metric).
    pub enqueued_ns: u128,
    /// The bucket's 429 generation when it was sent (set by `poll`; pass it back to
    /// [`Dispatcher::finished`]).
    pub generation: u64,
    /// The caller's request.
    pub payload: T,
}

/// What `poll` decided for one ticket.
#[derive(Debug)]
pub enum Step<T> {
    /// Send it now; its tokens are spent and it holds an in-flight slot until
    /// [`Dispatcher::finished`].
    Send(Ticket<T>),
    /// Its deadline passed (or cannot be met): fail it without sending.
    Expire(Ticket<T>),
}

/// How a sent request ended, for the bucket's cool-down state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The exchange answered something other than 429.
    Answered,
    /// The exchange answered 429: the bucket is drained and cools down this long.
    RateLimited {
        /// Cool-down length.
        cooldown_ns: u128,
    },
    /// No answer (transport error, timeout): no information about the budget.
    NoAnswer,
}

/// Limits of the dispatcher.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Requests on the wire at once.
    pub max_in_flight: usize,
    /// Queue length per lane; beyond it, `push` refuses.
    pub lane_capacity: usize,
    /// Percent of the write bucket only cancels may use.
    pub cancel_reserve_pct: u8,
}

/// The admission state.
#[derive(Debug)]
pub struct Dispatcher<T> {
    lanes: [VecDeque<Ticket<T>>; 4],
    limits: Limits,
    buckets: [Budget; 2],
    in_flight: usize,
    /// In flight per bucket, counting only requests sent since the bucket's last 429.
    in_flight_current: [usize; 2],
    /// Bumped on every 429: answers to requests sent before it say nothing about the probe.
    generation: [u64; 2],
    cooldown_until: [u128; 2],
    probing: [bool; 2],
    consecutive_429: [u32; 2],
}

impl<T> Dispatcher<T> {
    /// A dispatcher with the given read and write buckets.
    pub fn new(limits: Limits, read: Budget, write: Budget) -> Dispatcher<T> {
        Dispatcher {
            lanes: Default::default(),
            limits,
            buckets: [read, write],
            in_flight: 0,
            in_flight_current: [0; 2],
            generation: [0; 2],
            cooldown_until: [0; 2],
            probing: [false; 2],
            consecutive_429: [0; 2],
        }
    }

    /// Queues a request at the back of its lane; gives it back when the lane is full.
    pub fn push(&mut self, ticket: Ticket<T>) -> Result<(), Ticket<T>> {
        let lane = &mut self.lanes[ticket.lane.index()];
        if lane.len() >= self.limits.lane_capacity {
            return Err(ticket);
        }
        lane.push_back(ticket);
        Ok(())
    }

    /// Queues a retry at the front of its lane (it was admitted before; capacity ignored).
    pub fn push_front(&mut self, ticket: Ticket<T>) {
        self.lanes[ticket.lane.index()].push_front(ticket);
    }

    /// Requests queued in a lane.
    pub fn depth(&self, lane: Lane) -> usize {
        self.lanes[lane.index()].len()
    }

    /// Requests on the wire.
    pub fn in_flight(&self) -> usize {
        self.in_flight
    }

    /// Whole tokens available in a bucket now.
    pub fn tokens(&self, bucket: Bucket, now_ns: u128) -> u64 {
        self.buckets[bucket_index(bucket)].available(now_ns)
    }

    /// A bucket's capacity as kept (the exchange's less the safety margin), tokens.
    pub fn capacity(&self, bucket: Bucket) -> u64 {
        self.buckets[bucket_index(bucket)].capacity()
    }

    /// Whether a bucket is cooling down after a 429.
    pub fn cooling(&self, bucket: Bucket, now_ns: u128) -> bool {
        now_ns < self.cooldown_until[bucket_index(bucket)]
    }

    /// 429s in a row on a bucket (the next cool-down's backoff attempt number).
    pub fn consecutive_429(&self, bucket: Bucket) -> u32 {
        self.consecutive_429[bucket_index(bucket)]
    }

    /// A bucket's refill rate, tokens per second.
    pub fn rate(&self, bucket: Bucket) -> u64 {
        self.buckets[bucket_index(bucket)].rate_per_s()
    }

    /// Re-sizes a bucket from the account's real limits.
    pub fn resize(&mut self, bucket: Bucket, rate_per_s: u64, capacity: u64, now_ns: u128) {
        self.buckets[bucket_index(bucket)].resize(rate_per_s, capacity, now_ns);
    }

    fn reserve(&self, ticket: &Ticket<T>) -> u64 {
        if ticket.bucket != Bucket::Write || ticket.lane == Lane::Cancel {
            return 0;
        }
        let cap = self.buckets[1].capacity();
        let reserve = cap * u64::from(self.limits.cancel_reserve_pct.min(100)) / 100;
        reserve.min(cap.saturating_sub(u64::from(ticket.cost)))
    }

    /// A dispatcher for `cfg` with both buckets empty at `now_ns` (the exchange's may not be
    /// full: an earlier run, a restart — the safe reading), each holding back the tokens
    /// `cfg` keeps for network jitter.
    pub fn for_config(cfg: &GatewayConfig, now_ns: u128) -> Dispatcher<T> {
        let bucket = |rate: u32, cap: u32| {
            let rate = u64::from(rate);
            let cap = u64::from(cap)
                .saturating_sub(cfg.margin_tokens(rate))
                .max(1);
            Budget::new(rate, cap, now_ns)
        };
        let limits = Limits {
            max_in_flight: cfg.max_in_flight,
            lane_capacity: cfg.lane_capacity,
            cancel_reserve_pct: cfg.cancel_reserve_pct,
        };
        Dispatcher::new(
            limits,
            bucket(cfg.fallback_read_rate, cfg.fallback_read_capacity),
            bucket(cfg.fallback_write_rate, cfg.fallback_write_capacity),
        )
    }

    /// Takes back every queued ticket `pick` chooses (they were never sent).
    pub fn withdraw(&mut self, mut pick: impl FnMut(&T) -> bool) -> Vec<Ticket<T>> {
        let mut out = Vec::new();
        for lane in &mut self.lanes {
            let (gone, kept): (VecDeque<_>, VecDeque<_>) = std::mem::take(lane)
                .into_iter()
                .partition(|t| pick(&t.payload));
            *lane = kept;
            out.extend(gone);
        }
        out
    }

    /// Decides what to send or expire now. Returns the steps and the time of the next
    /// decision that may change without a new event (tokens refilled, cool-down over,
    /// deadline reached).
    pub fn poll(&mut self, now_ns: u128) -> (Vec<Step<T>>, Option<u128>) {
        let mut steps = Vec::new();
        let mut wake: Option<u128> = None;
        let soon = |t: u128, wake: &mut Option<u128>| *wake = Some(wake.map_or(t, |w| w.min(t)));
        self.expire(now_ns, &mut steps, &mut wake);
        while self.in_flight < self.limits.max_in_flight {
            let mut blocked = [false; 2];
            let mut picked = None;
            for lane in Lane::ALL {
                let Some(head) = self.lanes[lane.index()].front() else {
                    continue;
                };
                let b = bucket_index(head.bucket);
                if blocked[b] {
                    continue;
                }
                if now_ns < self.cooldown_until[b] {
                    blocked[b] = true;
                    soon(self.cooldown_until[b], &mut wake);
                    continue;
                }
                if self.probing[b] && self.in_flight_current[b] > 0 {
                    blocked[b] = true;
                    continue;
                }
                let need = u64::from(head.cost) + self.reserve(head);
                match self.buckets[b].wait_ns(need, now_ns) {
                    Some(0) => {
                        picked = Some(lane);
                        break;
                    }
                    Some(wait) => {
                        blocked[b] = true;
                        if head.deadline_ns.is_some_and(|d| now_ns + wait > d) {
                            // Cannot be sent in time even with no competition: fail it now.
                            if let Some(t) = self.lanes[lane.index()].pop_front() {
                                steps.push(Step::Expire(t));
                            }
                            soon(now_ns, &mut wake);
                        } else {
                            soon(now_ns + wait, &mut wake);
                        }
                    }
                    None => {
                        // Costs more than the bucket can ever hold: it would never go out.
                        blocked[b] = true;
                        if let Some(t) = self.lanes[lane.index()].pop_front() {
                            steps.push(Step::Expire(t));
                        }
                    }
                }
            }
            let Some(lane) = picked else { break };
            let Some(mut ticket) = self.lanes[lane.index()].pop_front() else {
                break;
            };
            let b = bucket_index(ticket.bucket);
            self.buckets[b].try_take(u64::from(ticket.cost), now_ns);
            ticket.generation = self.generation[b];
            self.in_flight += 1;
            self.in_flight_current[b] += 1;
            steps.push(Step::Send(ticket));
        }
        (steps, wake)
    }

    fn expire(&mut self, now_ns: u128, steps: &mut Vec<Step<T>>, wake: &mut Option<u128>) {
        for lane in &mut self.lanes {
            let mut i = 0;
            while i < lane.len() {
                match lane[i].deadline_ns {
                    Some(d) if d <= now_ns => {
                        if let Some(t) = lane.remove(i) {
                            steps.push(Step::Expire(t));
                        }
                    }
                    Some(d) => {
                        *wake = Some(wake.map_or(d, |w| w.min(d)));
                        i += 1;
                    }
                    None => i += 1,
                }
            }
        }
    }

    /// Records that a sent request ended (`bucket` and `generation` from its ticket).
    pub fn finished(&mut self, bucket: Bucket, generation: u64, outcome: Outcome, now_ns: u128) {
        let b = bucket_index(bucket);
        self.in_flight = self.in_flight.saturating_sub(1);
        let current = generation == self.generation[b];
        if current {
            self.in_flight_current[b] = self.in_flight_current[b].saturating_sub(1);
        }
        match outcome {
            // An answer to a request sent before the last 429 says nothing about the budget now.
            Outcome::Answered if current => {
                self.probing[b] = false;
                self.consecutive_429[b] = 0;
            }
            Outcome::RateLimited { cooldown_ns } if current => {
                self.buckets[b].drain(now_ns);
                self.cooldown_until[b] = self.cooldown_until[b].max(now_ns + cooldown_ns);
                self.probing[b] = true;
                self.consecutive_429[b] = self.consecutive_429[b].saturating_add(1);
                self.generation[b] += 1;
                self.in_flight_current[b] = 0;
            }
            _ => {}
        }
    }
}

#[cfg(test)]
#[path = "dispatch_tests.rs"]
mod tests;
