//! What the gateway does with an attempt's outcome: count it, feed the bucket's cool-down
//! state, then deliver the answer, adopt on 409, or retry per [`super::retry`].

use actix::{AsyncContext, Context};
use kalshi::{ApiError, limits::Bucket};
use rand::Rng;
use std::time::Duration;

use super::{
    Gateway, GatewayError, MAX_READ_429S,
    dispatch::{Outcome, Ticket},
    http::Attempt,
    jobs::Job,
    request::{Answer, Retry},
    retry::{self, Decision, Failure},
};

impl Gateway {
    /// An attempt of `ticket` sent at `sent_at` ended with `attempt`.
    pub(super) fn on_attempt(
        &mut self,
        mut ticket: Ticket<Job>,
        sent_at: u128,
        attempt: Attempt,
        ctx: &mut Context<Self>,
    ) {
        let now = self.clock.monotonic_ns();
        self.timings.latency.record_between_ns(sent_at, now);
        ticket.payload.attempts += 1;
        match attempt {
            Attempt::Answered {
                status,
                body,
                date_s,
                retry_after_s,
            } => {
                self.count_answer(&ticket.payload, status);
                self.observe_date(date_s);
                if status == 429 {
                    self.on_rate_limited(ticket, retry_after_s, now, ctx);
                } else {
                    let (bucket, generation) = (ticket.bucket, ticket.generation);
                    self.dispatcher
                        .finished(bucket, generation, Outcome::Answered, now);
                    self.on_answered(ticket, status, body, ctx);
                }
            }
            Attempt::NotSent(reason) => {
                self.count_answer(&ticket.payload, 0);
                self.dispatcher
                    .finished(ticket.bucket, ticket.generation, Outcome::NoAnswer, now);
                self.retry_or_fail(ticket, Failure::NotSent(reason), ctx);
            }
            Attempt::NoAnswer(reason) => {
                self.count_answer(&ticket.payload, 0);
                self.counters.no_answer += 1;
                self.dispatcher
                    .finished(ticket.bucket, ticket.generation, Outcome::NoAnswer, now);
                let job = &mut ticket.payload;
                job.maybe_applied |= job.endpoint.bucket() == Bucket::Write;
                self.retry_or_fail(ticket, Failure::NoAnswer(reason), ctx);
            }
        }
    }

    /// Counts an answer by `METHOD /template STATUS` (status 0: none came).
    fn count_answer(&mut self, job: &Job, status: u16) {
        let key = format!(
            "{} {} {status}",
            job.endpoint.method().as_str(),
            job.endpoint.template()
        );
        *self.counters.by_endpoint.entry(key).or_default() += 1;
    }

    /// A 429: the bucket cools down (the exchange's `Retry-After` as a floor, if it sent one),
    /// and the request waits it out or fails per the retry table.
    fn on_rate_limited(
        &mut self,
        mut ticket: Ticket<Job>,
        retry_after_s: Option<u64>,
        now: u128,
        ctx: &mut Context<Self>,
    ) {
        self.counters.rate_limited += 1;
        ticket.payload.rate_limited += 1;
        let (bucket, generation) = (ticket.bucket, ticket.generation);
        let floor = retry_after_s.map(Duration::from_secs);
        let unit: f64 = self.rng.random();
        let cooldown = self
            .backoff
            .delay(self.dispatcher.consecutive_429(bucket), unit, floor);
        self.dispatcher.finished(
            bucket,
            generation,
            Outcome::RateLimited {
                cooldown_ns: cooldown.as_nanos(),
            },
            now,
        );
        self.retry_or_fail(ticket, Failure::RateLimited, ctx);
    }

    /// Any answer but 429: a success (unless its body says otherwise), 401, a 409 on a create
    /// (adopted), another refusal, or a server error (retried per the table).
    fn on_answered(
        &mut self,
        mut ticket: Ticket<Job>,
        status: u16,
        body: Vec<u8>,
        ctx: &mut Context<Self>,
    ) {
        let job = &mut ticket.payload;
        match status {
            200..=299 => {
                let result = match ApiError::from_success_body(status, &body) {
                    Some(err) => Err(GatewayError::Rejected(err)),
                    None => Ok(Answer::Http { status, body }),
                };
                self.deliver(ticket.payload, result, ctx);
            }
            401 => {
                let err = GatewayError::Unauthorized(ApiError::parse(status, &body));
                self.deliver(ticket.payload, Err(err), ctx);
            }
            409 if job.adoption.is_some() => {
                self.adopt(ticket.payload, ApiError::parse(status, &body), ctx)
            }
            400..=499 => {
                let err = GatewayError::Rejected(ApiError::parse(status, &body));
                self.deliver(ticket.payload, Err(err), ctx);
            }
            _ => {
                job.maybe_applied |= job.endpoint.bucket() == Bucket::Write;
                let failure = Failure::Server(ApiError::parse(status, &body));
                self.retry_or_fail(ticket, failure, ctx);
            }
        }
    }

    /// Retries the request if its policy allows, else answers the failure.
    fn retry_or_fail(&mut self, ticket: Ticket<Job>, failure: Failure, ctx: &mut Context<Self>) {
        let job = &ticket.payload;
        let limits = retry::Limits {
            max_read_retries: self.cfg.max_read_retries,
            max_write_retries: self.cfg.max_write_retries,
            max_cancel_attempts: self.cfg.max_cancel_attempts,
            max_read_429s: MAX_READ_429S,
        };
        let rate_limited = failure == Failure::RateLimited;
        match retry::decide(
            failure,
            job.retry,
            job.attempts,
            job.rate_limited,
            job.maybe_applied,
            limits,
        ) {
            Decision::GiveUp(err) => self.deliver(ticket.payload, Err(err), ctx),
            // The bucket's cool-down paces a retry after 429.
            Decision::Retry if rate_limited => self.dispatcher.push_front(ticket),
            Decision::Retry => {
                let unit: f64 = self.rng.random();
                let delay =
                    self.backoff
                        .delay(ticket.payload.attempts.saturating_sub(1), unit, None);
                // A create that may have landed is looked for before it goes again.
                let verify = job.retry == Retry::Create && job.maybe_applied;
                ctx.run_later(delay, move |act, ctx| {
                    if verify {
                        act.verify_then_resend(ticket, ctx);
                    } else {
                        act.dispatcher.push_front(ticket);
                    }
                    act.pump(ctx);
                });
            }
        }
    }
}
