//! One HTTP attempt: build the signed request on the gateway's client, send it, read the
//! answer, and classify what happened — answered (with status, `Date` and `Retry-After`),
//! never sent, or sent with no answer (outcome unknown).

use std::time::Duration;

use awc::{
    Client,
    error::{ConnectError, SendRequestError},
    http::Method as HttpMethod,
};
use kalshi::{rest::Method, sign::Signer};

use crate::{base_url::BaseUrl, clock::SharedClock};

/// What an attempt produced.
#[derive(Debug)]
pub enum Attempt {
    /// The exchange answered.
    Answered {
        /// Status code.
        status: u16,
        /// Body.
        body: Vec<u8>,
        /// The `Date` header as Unix seconds, for the clock-offset estimate.
        date_s: Option<i64>,
        /// The `Retry-After` header in seconds, if any.
        retry_after_s: Option<u64>,
    },
    /// The request certainly did not reach the exchange (connection or signing failed).
    NotSent(String),
    /// The request may have reached the exchange but no complete answer came back.
    NoAnswer(String),
}

/// The parts of a request attempt.
#[derive(Debug, Clone)]
pub struct Wire {
    /// HTTP method.
    pub method: Method,
    /// Path relative to the base prefix.
    pub path: String,
    /// Query string without `?`.
    pub query: String,
    /// JSON body.
    pub body: Option<Vec<u8>>,
}

impl Wire {
    /// The request for `endpoint` at `path` (an `Endpoint` path, which carries
    /// `/trade-api/v2`: the base URL's prefix is put back when it is sent).
    pub fn of(
        endpoint: kalshi::rest::Endpoint,
        path: String,
        query: String,
        body: Option<Vec<u8>>,
    ) -> Wire {
        let path = match path.strip_prefix(kalshi::rest::API_PREFIX) {
            Some(rest) => rest.to_owned(),
            None => path,
        };
        Wire {
            method: endpoint.method(),
            path,
            query,
            body,
        }
    }
}

/// When an attempt was signed and handed to the HTTP client (monotonic ns; 0: not reached).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SendTimes {
    /// The signature was made.
    pub signed_ns: u128,
    /// The request was handed to awc to be written.
    pub written_ns: u128,
}

/// Sends one signed attempt (fresh timestamp) and reads the whole answer; `times` says when
/// it was signed and handed to the client, on `clock`.
pub async fn attempt(
    client: Client,
    base: BaseUrl,
    signer: std::sync::Arc<Signer>,
    wire: Wire,
    max_body: usize,
    clock: SharedClock,
) -> (Attempt, SendTimes) {
    let mut times = SendTimes::default();
    let full_path = format!("{}{}", base.prefix, wire.path);
    let headers = match signer.sign(wire.method.as_str(), &full_path) {
        Ok(h) => h,
        Err(e) => return (Attempt::NotSent(format!("signing failed: {e}")), times),
    };
    times.signed_ns = clock.monotonic_ns();
    let req = request(&client, &base, &wire, &full_path, &headers);
    times.written_ns = clock.monotonic_ns();
    (send(req, wire.body, max_body).await, times)
}

/// The signed request, not yet sent.
fn request(
    client: &Client,
    base: &BaseUrl,
    wire: &Wire,
    full_path: &str,
    headers: &kalshi::sign::AuthHeaders,
) -> awc::ClientRequest {
    let url = if wire.query.is_empty() {
        format!("{}{}", base.origin, full_path)
    } else {
        format!("{}{}?{}", base.origin, full_path, wire.query)
    };
    let method = match wire.method {
        Method::Get => HttpMethod::GET,
        Method::Post => HttpMethod::POST,
        Method::Delete => HttpMethod::DELETE,
        Method::Put => HttpMethod::PUT,
    };
    let mut req = client.request(method, url);
    for (name, value) in headers.pairs() {
        req = req.insert_header((name, value));
    }
    req
}

/// Sends `req` with `body` and reads the whole answer.
async fn send(req: awc::ClientRequest, body: Option<Vec<u8>>, max_body: usize) -> Attempt {
    let sent = match body {
        Some(body) => {
            req.insert_header(("content-type", "application/json"))
                .send_body(body)
                .await
        }
        None => req.send().await,
    };
    let mut resp = match sent {
        Ok(r) => r,
        Err(SendRequestError::Connect(e)) if before_sending(&e) => {
            return Attempt::NotSent(format!("connect: {e}"));
        }
        Err(SendRequestError::Url(e)) => return Attempt::NotSent(format!("url: {e}")),
        Err(e) => return Attempt::NoAnswer(e.to_string()),
    };
    let status = resp.status().as_u16();
    let date_s = resp
        .headers()
        .get("date")
        .and_then(|v| v.to_str().ok())
        .and_then(|s| chrono::DateTime::parse_from_rfc2822(s).ok())
        .map(|d| d.timestamp());
    let retry_after_s = resp
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|s| s.trim().parse().ok());
    match resp.body().limit(max_body).await {
        Ok(body) => Attempt::Answered {
            status,
            body: body.to_vec(),
            date_s,
            retry_after_s,
        },
        // A 429 or 5xx whose body broke still tells us the status; anything else is unknown.
        Err(e) if status == 429 || status >= 500 => {
            let _ = e;
            Attempt::Answered {
                status,
                body: Vec::new(),
                date_s,
                retry_after_s,
            }
        }
        Err(e) => Attempt::NoAnswer(format!("reading the answer: {e}")),
    }
}

/// A duration from milliseconds.
pub fn ms(v: u64) -> Duration {
    Duration::from_millis(v)
}

/// Whether a connection error certainly came before any byte of the request left: the name
/// did not resolve, the connection was refused or timed out, TLS failed. Anything else — a
/// pooled connection that was reset (`Disconnected`, seen when the exchange accepted a create
/// and the connection dropped before the answer), another I/O error — may come after the
/// request reached the exchange, so it is an unknown outcome, never "not sent".
fn before_sending(e: &ConnectError) -> bool {
    match e {
        ConnectError::Resolver(_)
        | ConnectError::NoRecords
        | ConnectError::Unresolved
        | ConnectError::Timeout
        | ConnectError::SslIsNotSupported => true,
        ConnectError::Io(io) => io.kind() == std::io::ErrorKind::ConnectionRefused,
        _ => false,
    }
}
