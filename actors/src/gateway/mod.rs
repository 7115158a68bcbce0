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
//! - [`dispatch`]: lanes, buckets, cool-down, deadlines (pure).
//! - [`request`]: the request messages and [`request::ApiRequest`].
//! - `http`: one signed attempt over awc.
//! - [`backoff`], [`config`], [`error`], [`metrics`].

pub mod backoff;
pub mod config;
pub mod dispatch;
pub mod error;
mod http;
pub mod metrics;
pub mod request;

use std::{collections::VecDeque, sync::Arc, time::Duration};

use actix::{
    Actor, ActorFutureExt, AsyncContext, Context, Handler, Message, ResponseFuture, SpawnHandle,
    WrapFuture,
};
use kalshi::{
    ApiError, ClientOrderId,
    limits::{Bucket, EndpointCosts},
    rest::{Endpoint, GetOrdersResponse, portfolio_params::GetOrdersParams},
    sign::Signer,
};
use rand::{Rng, SeedableRng, rngs::StdRng};
use tokio::sync::oneshot;
use tracing::{info, warn};

use self::{
    backoff::Backoff,
    dispatch::{Dispatcher, Limits, Outcome, Step, Ticket},
    http::{Attempt, Wire},
    metrics::{Counters, Percentiles},
};
pub use self::{
    config::GatewayConfig, dispatch::Lane, error::GatewayError, metrics::GatewayMetrics, request::*,
};
use crate::{clock::SharedClock, tls::BaseUrl};

/// Asks the gateway for its metrics.
#[derive(Debug, Clone, Copy, Message)]
#[rtype(result = "GatewayMetrics")]
pub struct GetMetrics;

/// Where an answer goes.
#[derive(Debug)]
enum Reply {
    /// Back to the caller.
    Caller(oneshot::Sender<Result<Answer, GatewayError>>),
    /// An internal order lookup resolving a 409 for `client_order_id`.
    Adopt {
        client_order_id: ClientOrderId,
        conflict: ApiError,
        pages: u32,
        caller: oneshot::Sender<Result<Answer, GatewayError>>,
    },
}

/// A request in the gateway.
#[derive(Debug)]
struct Job {
    endpoint: Endpoint,
    wire: Wire,
    retry: Retry,
    attempts: u32,
    rate_limited: u32,
    /// A write attempt went out and its outcome is unknown.
    maybe_applied: bool,
    adoption: Option<(kalshi::Ticker, ClientOrderId)>,
    reply: Reply,
}

/// Why an attempt failed, for the retry decision.
#[derive(Debug)]
enum Failure {
    RateLimited,
    Server(ApiError),
    NotSent(String),
    NoAnswer(String),
}

/// A path relative to the base URL's prefix (`Endpoint` paths carry `/trade-api/v2`).
fn relative(path: String) -> String {
    match path.strip_prefix(kalshi::rest::API_PREFIX) {
        Some(rest) => rest.to_owned(),
        None => path,
    }
}

/// Largest number of 429s a read waits through before giving up.
const MAX_READ_429S: u32 = 20;
/// Largest number of order pages searched to adopt an order after a 409.
const MAX_ADOPTION_PAGES: u32 = 20;
/// Samples in the clock-offset median.
const OFFSET_SAMPLES: usize = 9;

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
    backoff: Backoff,
    rng: StdRng,
    wake: Option<(u128, SpawnHandle)>,
    offsets: VecDeque<i64>,
    offset_ms: i64,
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
        let now = clock.monotonic_ns();
        let bucket = |rate: u32, cap: u32| {
            let rate = u64::from(rate);
            let mut b = kalshi::bucket::TokenBucket::new(
                rate,
                u64::from(cap)
                    .saturating_sub(cfg.margin_tokens(rate))
                    .max(1),
            );
            // The exchange's bucket may not be full (an earlier run): start empty, the safe reading.
            b.drain(now);
            b
        };
        let limits = Limits {
            max_in_flight: cfg.max_in_flight,
            lane_capacity: cfg.lane_capacity,
            cancel_reserve_pct: cfg.cancel_reserve_pct,
        };
        let dispatcher = Dispatcher::new(
            limits,
            bucket(cfg.fallback_read_rate, cfg.fallback_read_capacity),
            bucket(cfg.fallback_write_rate, cfg.fallback_write_capacity),
        );
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
            rng: StdRng::from_os_rng(),
            wake: None,
            offsets: VecDeque::new(),
            offset_ms: 0,
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
        let job = Job {
            endpoint,
            wire: Wire {
                method: endpoint.method(),
                path: relative(msg.path()),
                query: msg.query(),
                body,
            },
            retry: msg.retry(),
            attempts: 0,
            rate_limited: 0,
            maybe_applied: false,
            adoption: msg.adoption(),
            reply: Reply::Caller(reply),
        };
        let ticket = Ticket {
            lane: msg.lane(),
            bucket: endpoint.bucket(),
            cost: self.costs.cost(endpoint, msg.items()),
            deadline_ns: msg
                .deadline(http::ms(self.cfg.placement_deadline_ms))
                .map(|d| now + d.as_nanos()),
            enqueued_ns: now,
            generation: 0,
            payload: job,
        };
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

    fn send(&mut self, ticket: Ticket<Job>, ctx: &mut Context<Self>) {
        let now = self.clock.monotonic_ns();
        self.counters.wait_us.saturating_record(
            u64::try_from((now - ticket.enqueued_ns) / 1000).unwrap_or(u64::MAX),
        );
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
        );
        ctx.spawn(fut.into_actor(self).map(move |attempt, act, ctx| {
            act.on_attempt(ticket, now, attempt, ctx);
            act.pump(ctx);
        }));
    }

    fn on_attempt(
        &mut self,
        mut ticket: Ticket<Job>,
        sent_at: u128,
        attempt: Attempt,
        ctx: &mut Context<Self>,
    ) {
        let now = self.clock.monotonic_ns();
        self.counters
            .latency_us
            .saturating_record(u64::try_from((now - sent_at) / 1000).unwrap_or(u64::MAX));
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
        let cfg = &self.cfg;
        let again = match (&failure, job.retry) {
            (Failure::RateLimited, Retry::Read) => job.rate_limited <= MAX_READ_429S,
            // Refused, not applied: retry within the deadline (the dispatcher enforces it).
            (Failure::RateLimited, Retry::Create | Retry::Write) => true,
            (_, Retry::Cancel) => job.attempts < cfg.max_cancel_attempts,
            (_, Retry::Read) => job.attempts <= cfg.max_read_retries,
            (_, Retry::Create) => job.attempts <= cfg.max_write_retries,
            (Failure::NotSent(_), Retry::Write) => job.attempts <= cfg.max_write_retries,
            (_, Retry::Write) => false,
        };
        if !again {
            let err = match failure {
                Failure::RateLimited => GatewayError::RateLimited,
                Failure::Server(e) => GatewayError::Server(e),
                Failure::NotSent(reason) if !job.maybe_applied => {
                    GatewayError::Transport { reason }
                }
                Failure::NotSent(reason) | Failure::NoAnswer(reason) => {
                    GatewayError::Ambiguous { reason }
                }
            };
            self.deliver(ticket.payload, Err(err), ctx);
            return;
        }
        if matches!(failure, Failure::RateLimited) {
            // The bucket's cool-down paces the retry.
            self.dispatcher.push_front(ticket);
            return;
        }
        let unit: f64 = self.rng.random();
        let delay = self
            .backoff
            .delay(ticket.payload.attempts.saturating_sub(1), unit, None);
        ctx.run_later(delay, move |act, ctx| {
            act.dispatcher.push_front(ticket);
            act.pump(ctx);
        });
    }

    /// A create was refused with 409: its client order id exists. Look the order up and
    /// answer with it — "already placed" is a success.
    fn adopt(&mut self, job: Job, conflict: ApiError, ctx: &mut Context<Self>) {
        let Reply::Caller(caller) = job.reply else {
            return;
        };
        let Some((ticker, client_order_id)) = job.adoption else {
            return;
        };
        let params = GetOrdersParams {
            ticker: Some(ticker),
            ..GetOrdersParams::default()
        };
        self.lookup(
            params,
            Reply::Adopt {
                client_order_id,
                conflict,
                pages: 0,
                caller,
            },
            ctx,
        );
    }

    fn lookup(&mut self, params: GetOrdersParams, reply: Reply, _ctx: &mut Context<Self>) {
        let endpoint = Endpoint::GetOrders;
        let now = self.clock.monotonic_ns();
        let job = Job {
            endpoint,
            wire: Wire {
                method: endpoint.method(),
                path: relative(endpoint.path()),
                query: params.to_query(),
                body: None,
            },
            retry: Retry::Read,
            attempts: 0,
            rate_limited: 0,
            maybe_applied: false,
            adoption: None,
            reply,
        };
        let ticket = Ticket {
            lane: Lane::Account,
            bucket: endpoint.bucket(),
            cost: self.costs.cost(endpoint, 1),
            deadline_ns: None,
            enqueued_ns: now,
            generation: 0,
            payload: job,
        };
        self.dispatcher.push_front(ticket);
    }

    fn deliver(&mut self, job: Job, result: Result<Answer, GatewayError>, ctx: &mut Context<Self>) {
        match job.reply {
            Reply::Caller(tx) => {
                let _ = tx.send(result);
            }
            Reply::Adopt {
                client_order_id,
                conflict,
                pages,
                caller,
            } => {
                let page = result.and_then(request::decode_json::<GetOrdersResponse>);
                match page {
                    Err(e) => {
                        let _ = caller.send(Err(e));
                    }
                    Ok(page) => {
                        if let Some(order) = page
                            .orders
                            .into_iter()
                            .find(|o| o.client_order_id.as_ref() == Some(&client_order_id))
                        {
                            self.counters.adoptions += 1;
                            info!(%client_order_id, order_id = %order.order_id, "409 on create: adopted the existing order");
                            let _ = caller.send(Ok(Answer::Adopted(Box::new(order))));
                        } else if !page.cursor.is_empty() && pages + 1 < MAX_ADOPTION_PAGES {
                            let mut params =
                                GetOrdersParams::from_query(&job.wire.query).unwrap_or_default();
                            params.cursor = Some(page.cursor);
                            self.lookup(
                                params,
                                Reply::Adopt {
                                    client_order_id,
                                    conflict,
                                    pages: pages + 1,
                                    caller,
                                },
                                ctx,
                            );
                        } else {
                            let _ = caller.send(Err(GatewayError::Rejected(conflict)));
                        }
                    }
                }
            }
        }
    }

    /// Tracks the exchange clock from the `Date` header (1 s resolution: a median of recent
    /// estimates) and corrects the signer when the offset is large.
    fn observe_date(&mut self, date_s: Option<i64>) {
        let Some(date_s) = date_s else { return };
        let estimate = date_s * 1000 + 500 - self.clock.now().timestamp_millis();
        if self.offsets.len() == OFFSET_SAMPLES {
            self.offsets.pop_front();
        }
        self.offsets.push_back(estimate);
        let mut sorted: Vec<i64> = self.offsets.iter().copied().collect();
        sorted.sort_unstable();
        let median = sorted[sorted.len() / 2];
        self.offset_ms = median;
        let apply = if median.abs() >= self.cfg.clock_offset_apply_ms {
            median
        } else {
            0
        };
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
            by_endpoint: self.counters.by_endpoint.clone(),
            rate_limited: self.counters.rate_limited,
            retries: self.counters.retries,
            adoptions: self.counters.adoptions,
            expired: self.counters.expired,
            overloaded: self.counters.overloaded,
            no_answer: self.counters.no_answer,
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
            limits_from_exchange: self.limits_from_exchange,
            clock_offset_ms: self.offset_ms,
            clock_offset_warning: self.offset_ms.abs() > self.cfg.clock_offset_warn_ms,
            wait: Percentiles::of(&self.counters.wait_us),
            latency: Percentiles::of(&self.counters.latency_us),
        }
    }
}

impl Actor for Gateway {
    type Context = Context<Self>;

    fn started(&mut self, ctx: &mut Context<Self>) {
        match crate::tls::http_client(http::ms(self.cfg.request_timeout_ms), self.base.tls) {
            Ok(client) => self.client = Some(client),
            Err(e) => warn!(error = %e, "cannot build the HTTP client; every request will fail"),
        }
        self.refresh_limits(ctx);
        if self.cfg.limits_refresh_s > 0 {
            ctx.run_interval(
                Duration::from_secs(self.cfg.limits_refresh_s),
                |act, ctx| act.refresh_limits(ctx),
            );
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
