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
    request::Answer,
    retry::{self, Decision, Failure},
};

impl Gateway {
    pub(super) fn on_attempt(
        &mut self,
        mut ticket: Ticket<Job>,
        sent_at: u128,
        attempt: Attempt,
        ctx: &mut Context<Self>,
    ) {
        let now = self.clock.monotonic_ns();
        self.timings.latency.record_between_ns(sent_at, now);
        let (bucket, generation) = (ticket.bucket, ticket.generation);
        let job = &mut ticket.payload;
        job.attempts += 1;
        let key = format!(
            "{} {}",
            job.endpoint.method().as_str(),
            job.endpoint.template()
        );
        match attempt {
            Attempt::Answered {
                status,
                body,
                date_s,
                retry_after_s,
            } => {
                *self
                    .counters
                    .by_endpoint
                    .entry(format!("{key} {status}"))
                    .or_default() += 1;
                self.observe_date(date_s);
                if status == 429 {
                    self.counters.rate_limited += 1;
                    job.rate_limited += 1;
                    let floor = retry_after_s.map(Duration::from_secs);
                    let unit: f64 = self.rng.random();
                    let cooldown =
                        self.backoff
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
                    return;
                }
                self.dispatcher
                    .finished(bucket, generation, Outcome::Answered, now);
                match status {
                    200..=299 => match kalshi::ApiError::from_success_body(status, &body) {
                        Some(err) => {
                            self.deliver(ticket.payload, Err(GatewayError::Rejected(err)), ctx)
                        }
                        None => {
                            self.deliver(ticket.payload, Ok(Answer::Http { status, body }), ctx)
                        }
                    },
                    401 => self.deliver(
                        ticket.payload,
                        Err(GatewayError::Unauthorized(ApiError::parse(status, &body))),
                        ctx,
                    ),
                    409 if job.adoption.is_some() => {
                        self.adopt(ticket.payload, ApiError::parse(status, &body), ctx)
                    }
                    400..=499 => self.deliver(
                        ticket.payload,
                        Err(GatewayError::Rejected(ApiError::parse(status, &body))),
                        ctx,
                    ),
                    _ => {
                        job.maybe_applied |= job.endpoint.bucket() == Bucket::Write;
                        self.retry_or_fail(
                            ticket,
                            Failure::Server(ApiError::parse(status, &body)),
                            ctx,
                        );
                    }
                }
            }
            Attempt::NotSent(reason) => {
                *self
                    .counters
                    .by_endpoint
                    .entry(format!("{key} 0"))
                    .or_default() += 1;
                self.dispatcher
                    .finished(bucket, generation, Outcome::NoAnswer, now);
                self.retry_or_fail(ticket, Failure::NotSent(reason), ctx);
            }
            Attempt::NoAnswer(reason) => {
                *self
                    .counters
                    .by_endpoint
                    .entry(format!("{key} 0"))
                    .or_default() += 1;
                self.counters.no_answer += 1;
                self.dispatcher
                    .finished(bucket, generation, Outcome::NoAnswer, now);
                job.maybe_applied |= job.endpoint.bucket() == Bucket::Write;
                self.retry_or_fail(ticket, Failure::NoAnswer(reason), ctx);
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
                ctx.run_later(delay, move |act, ctx| {
                    act.dispatcher.push_front(ticket);
                    act.pump(ctx);
                });
            }
        }
    }
}
