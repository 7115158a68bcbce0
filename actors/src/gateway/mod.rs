//! Gateway actor: the only door to Kalshi's REST API.
//!
//! Owns the HTTP client, the signer and the rate budget. Accepts one message per REST
//! operation ([`request`]: `PlaceOrder`, `CancelOrder`, `GetMarkets`, …) and answers each
//! with its typed result or a [`GatewayError`]; answers [`GetMetrics`]. Emits nothing.
//!
//! Every request waits in its priority lane ([`dispatch`]) until its bucket holds its cost
//! and an in-flight slot is free, is signed with a fresh timestamp, and is sent. A 429 drains
//! the bucket and cools the whole bucket down (exponential backoff with full jitter, one probe
//! at a time); reads retry 5xx and transport errors with backoff; a create carrying a client
//! order id is retried under the same id and a 409 resolves to the existing order; other
//! writes are retried only after 429. Placements that cannot be sent before their deadline
//! fail as `Expired`, never sent late. The budget is sized from `GET /account/limits` and
//! `GET /account/endpoint_costs` at start and periodically (config values until then); the
//! signer's clock follows the exchange's `Date` header.
//!
//! # Layout
//! - [`dispatch`]: lanes, buckets, cool-down, deadlines (pure); [`budget`]: one bucket as a
//!   `governor` rate limiter on the injected clock.
//! - [`request`]: the request messages and [`request::ApiRequest`]; [`history_requests`]:
//!   the market-history reads (trades, candlesticks, archived markets).
//! - `http`: one signed attempt over awc; `jobs`: requests in flight and their tickets;
//!   `answer`: what an attempt's outcome does (count, cool down, retry); `adopt`: a 409 on a
//!   create resolved to the existing order, and delivery of every answer.
//! - [`retry`]: the retry table; [`offset`]: the exchange clock estimate (both pure).
//! - [`config`], [`error`], [`metrics`]; the backoff delays are [`crate::backoff`]'s.

mod adopt;
mod answer;
mod archive;
pub mod budget;
pub mod config;
pub mod dispatch;
pub mod error;
pub mod history_requests;
mod http;
mod jobs;
mod lifecycle;
mod lookup;
pub mod metrics;
pub mod offset;
pub mod request;
pub mod retry;
mod withdraw;

use std::{sync::Arc, time::Duration};

use actix::{
    ActorFutureExt, AsyncContext, Context, Handler, Message, ResponseFuture, SpawnHandle,
    WrapFuture,
};
use kalshi::{
    limits::{Bucket, EndpointCosts},
    sign::Signer,
};
use rand::{SeedableRng, rngs::StdRng};
use tokio::sync::oneshot;
use tracing::{info, warn};

pub use self::{
    archive::archive_may_hold, config::GatewayConfig, dispatch::Lane, error::GatewayError,
    history_requests::*, metrics::GatewayMetrics, request::*,
};
use self::{
    dispatch::{Dispatcher, Outcome, Step, Ticket},
    http::Wire,
    jobs::{Job, NewJob, Reply},
    metrics::{Counters, Timings},
    offset::OffsetEstimator,
};
use crate::{
    backoff::Backoff,
    base_url::BaseUrl,
    clock::SharedClock,
    stamps::{PathStamps, Stamp},
};

/// Withdraw the creates for `ticker` still queued and never attempted; answers how many.
#[derive(Debug, Clone, Message)]
#[rtype(result = "usize")]
pub struct WithdrawPlacements {
    /// The market.
    pub ticker: kalshi::Ticker,
    /// Why (told to each withdrawn request's caller).
    pub reason: String,
}

/// Asks the gateway for its metrics.
#[derive(Debug, Clone, Copy, Message)]
#[rtype(result = "GatewayMetrics")]
pub struct GetMetrics;

/// Largest number of 429s a read waits through before giving up.
pub(super) const MAX_READ_429S: u32 = 20;

/// The gateway actor.
pub struct Gateway {
    cfg: GatewayConfig,
    base: BaseUrl,
    signer: Arc<Signer>,
    clock: SharedClock,
    client: Option<awc::Client>,
    dispatcher: Dispatcher<Job>,
    costs: EndpointCosts,
    counters: Counters,
    timings: Timings,
    backoff: Backoff,
    rng: StdRng,
    wake: Option<(u128, SpawnHandle)>,
    offsets: OffsetEstimator,
    limits_from_exchange: bool,
}

impl std::fmt::Debug for Gateway {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gateway")
            .field("base", &self.base)
            .field("signer", &self.signer)
            .finish_non_exhaustive()
    }
}

impl Gateway {
    /// A gateway for the REST base URL (`…/trade-api/v2`). Fails on an invalid config or URL.
    pub fn new(
        cfg: GatewayConfig,
        rest_url: &str,
        signer: Arc<Signer>,
        clock: SharedClock,
    ) -> Result<Gateway, Vec<String>> {
        cfg.validate()?;
        let base = BaseUrl::parse(rest_url).map_err(|e| vec![format!("exchange.rest_url: {e}")])?;
        let dispatcher = Dispatcher::for_config(&cfg, clock.monotonic_ns());
        Ok(Gateway {
            backoff: Backoff {
                base: http::ms(cfg.backoff_base_ms),
                cap: http::ms(cfg.backoff_cap_ms),
            },
            cfg,
            base,
            signer,
            clock,
            client: None,
            dispatcher,
            costs: EndpointCosts::documented(),
            counters: Counters::default(),
            timings: Timings::default(),
            rng: StdRng::from_os_rng(),
            wake: None,
            offsets: OffsetEstimator::default(),
            limits_from_exchange: false,
        })
    }

    fn enqueue<R: ApiRequest>(
        &mut self,
        msg: &R,
        reply: oneshot::Sender<Result<Answer, GatewayError>>,
    ) -> Result<(), GatewayError> {
        let endpoint = msg.endpoint();
        let body = msg.body()?;
        let now = self.clock.monotonic_ns();
        let ticket = NewJob {
            endpoint,
            wire: Wire::of(endpoint, msg.path(), msg.query(), body),
            retry: msg.retry(),
            adoption: msg.adoption(),
            reply: Reply::Caller(reply),
            stamps: msg.stamps(),
            lane: msg.lane(),
            cost: self.costs.cost(endpoint, msg.items()),
            deadline_ns: msg
                .deadline(http::ms(self.cfg.placement_deadline_ms))
                .map(|d| now + d.as_nanos()),
        }
        .ticket(now);
        self.dispatcher.push(ticket).map_err(|t| {
            self.counters.overloaded += 1;
            GatewayError::Overloaded {
                lane: t.lane.name(),
            }
        })
    }

    /// Sends and expires what the dispatcher allows now, and sets the next wake-up.
    fn pump(&mut self, ctx: &mut Context<Self>) {
        let now = self.clock.monotonic_ns();
        let (steps, wake) = self.dispatcher.poll(now);
        for step in steps {
            match step {
                Step::Send(ticket) => self.send(ticket, ctx),
                Step::Expire(ticket) => {
                    let job = ticket.payload;
                    let err = if job.maybe_applied {
                        GatewayError::Ambiguous {
                            reason: "deadline passed while retrying".into(),
                        }
                    } else {
                        self.counters.expired += 1;
                        GatewayError::Expired
                    };
                    self.deliver(job, Err(err), ctx);
                }
            }
        }
        self.schedule(wake, now, ctx);
    }

    fn schedule(&mut self, wake: Option<u128>, now: u128, ctx: &mut Context<Self>) {
        let Some(at) = wake else { return };
        if let Some((current, handle)) = self.wake {
            if current <= at {
                return;
            }
            ctx.cancel_future(handle);
        }
        let delay = Duration::from_nanos(u64::try_from(at.saturating_sub(now)).unwrap_or(u64::MAX));
        let handle = ctx.run_later(delay, |act, ctx| {
            act.wake = None;
            act.pump(ctx);
        });
        self.wake = Some((at, handle));
    }

    fn send(&mut self, mut ticket: Ticket<Job>, ctx: &mut Context<Self>) {
        let now = self.clock.monotonic_ns();
        if ticket.payload.first_sent_s.is_none() {
            // The exchange's clock, as far as the `Date` headers tell.
            let exchange_ms = self.clock.now().timestamp_millis() + self.offsets.median();
            ticket.payload.first_sent_s = Some(exchange_ms.div_euclid(1000));
        }
        self.timings.wait.record_between_ns(ticket.enqueued_ns, now);
        if ticket.payload.attempts > 0 {
            self.counters.retries += 1;
        }
        let Some(client) = self.client.clone() else {
            let bucket = ticket.bucket;
            self.dispatcher
                .finished(bucket, ticket.generation, Outcome::NoAnswer, now);
            self.deliver(
                ticket.payload,
                Err(GatewayError::Transport {
                    reason: "no HTTP client".into(),
                }),
                ctx,
            );
            return;
        };
        let fut = http::attempt(
            client,
            self.base.clone(),
            self.signer.clone(),
            ticket.payload.wire.clone(),
            self.cfg.max_body_bytes,
            self.clock.clone(),
        );
        ctx.spawn(fut.into_actor(self).map(move |(attempt, times), act, ctx| {
            act.record_path(ticket.payload.stamps, now, times, &attempt);
            act.on_attempt(ticket, now, attempt, ctx);
            act.pump(ctx);
        }));
    }

    /// Records an answered placement's path, stamped from the feed to the answer: the caller's
    /// stamps, then sent at `dispatched_ns`, signed and handed to the client at `times`,
    /// answered now. A 429 or an attempt without an answer is not a path.
    fn record_path(
        &mut self,
        stamps: Option<PathStamps>,
        dispatched_ns: u128,
        times: http::SendTimes,
        attempt: &http::Attempt,
    ) {
        let Some(stamps) = stamps else { return };
        if !matches!(attempt, http::Attempt::Answered { status, .. } if *status != 429) {
            return;
        }
        let path = stamps
            .with(Stamp::Dispatched, dispatched_ns)
            .with(Stamp::Signed, times.signed_ns)
            .with(Stamp::Written, times.written_ns)
            .with(Stamp::Response, self.clock.monotonic_ns());
        self.timings.order_path.record(&path);
    }

    /// Tracks the exchange clock from the `Date` header and corrects the signer when the
    /// offset is large.
    fn observe_date(&mut self, date_s: Option<i64>) {
        let Some(date_s) = date_s else { return };
        self.offsets
            .observe(date_s, self.clock.now().timestamp_millis());
        let apply = self.offsets.correction(self.cfg.clock_offset_apply_ms);
        if apply != self.signer.offset_ms() {
            warn!(
                offset_ms = apply,
                "correcting the signing clock to the exchange's"
            );
            self.signer.set_offset_ms(apply);
        }
    }

    fn refresh_limits(&mut self, ctx: &mut Context<Self>) {
        let addr = ctx.address();
        let fut = async move {
            (
                addr.send(GetAccountLimits {}).await,
                addr.send(GetEndpointCosts {}).await,
            )
        };
        ctx.spawn(fut.into_actor(self).map(|(limits, costs), act, _ctx| {
            let now = act.clock.monotonic_ns();
            match limits {
                Ok(Ok(l)) => {
                    for (bucket, b) in [(Bucket::Read, l.read), (Bucket::Write, l.write)] {
                        let rate = u64::from(b.refill_rate);
                        let cap = u64::from(b.bucket_capacity).saturating_sub(act.cfg.margin_tokens(rate)).max(1);
                        act.dispatcher.resize(bucket, rate, cap, now);
                    }
                    act.limits_from_exchange = true;
                    info!(tier = %l.usage_tier, read = l.read.refill_rate, write = l.write.refill_rate, "rate budget sized from the account's limits");
                }
                Ok(Err(e)) => warn!(error = %e, "cannot read account limits; keeping the configured budget"),
                Err(_) => {}
            }
            if let Ok(Ok(c)) = costs {
                act.costs = EndpointCosts::from_response(&c);
            }
        }));
    }

    fn snapshot(&self) -> GatewayMetrics {
        let now = self.clock.monotonic_ns();
        GatewayMetrics {
            counters: self.counters.clone(),
            queue_depth: Lane::ALL
                .iter()
                .map(|l| (l.name(), self.dispatcher.depth(*l)))
                .collect(),
            in_flight: self.dispatcher.in_flight(),
            read_tokens: self.dispatcher.tokens(Bucket::Read, now),
            write_tokens: self.dispatcher.tokens(Bucket::Write, now),
            read_cooling: self.dispatcher.cooling(Bucket::Read, now),
            write_cooling: self.dispatcher.cooling(Bucket::Write, now),
            rates: (
                self.dispatcher.rate(Bucket::Read),
                self.dispatcher.rate(Bucket::Write),
            ),
            read_burst: self.dispatcher.capacity(Bucket::Read)
                + self.cfg.margin_tokens(self.dispatcher.rate(Bucket::Read)),
            limits_from_exchange: self.limits_from_exchange,
            clock_offset_ms: self.offsets.median(),
            clock_offset_warning: self.offsets.median().abs() > self.cfg.clock_offset_warn_ms,
            wait: self.timings.wait.percentiles(),
            latency: self.timings.latency.percentiles(),
            order_path: self.timings.order_path.percentiles(),
        }
    }
}

impl<R: ApiRequest> Handler<R> for Gateway {
    type Result = ResponseFuture<Result<R::Output, GatewayError>>;

    fn handle(&mut self, msg: R, ctx: &mut Context<Self>) -> Self::Result {
        let (tx, rx) = oneshot::channel();
        if let Err(e) = self.enqueue(&msg, tx) {
            return Box::pin(async move { Err(e) });
        }
        self.pump(ctx);
        Box::pin(async move {
            match rx.await {
                Ok(Ok(answer)) => R::decode(answer),
                Ok(Err(e)) => Err(e),
                Err(_) => Err(GatewayError::Stopped),
            }
        })
    }
}

impl Handler<GetMetrics> for Gateway {
    type Result = actix::MessageResult<GetMetrics>;

    fn handle(&mut self, _msg: GetMetrics, _ctx: &mut Context<Self>) -> Self::Result {
        actix::MessageResult(self.snapshot())
    }
}
