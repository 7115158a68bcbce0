//! Shared helpers of the simulator's conformance tests: start a simulator on `127.0.0.1:0`,
//! register an account with a fresh key, and send signed requests with a plain HTTP client
//! (awc) — not the engine's actors.

#![allow(dead_code)]

use std::sync::Arc;

use awc::{Client, ClientResponse};
use kalshi::sign::{Signer, SigningKey};
use kalshi_sim::{SimClock, SimConfig, SimHandle, SimServer, server::control::Registered};
use serde::de::DeserializeOwned;

/// A simulator with no background market makers (deterministic books) unless asked.
pub fn quiet_config() -> SimConfig {
    let mut cfg = SimConfig::default();
    cfg.liquidity.actions_per_second = 0.0;
    cfg.workers = 1;
    cfg
}

/// Starts a simulator on the real clock.
pub fn start(cfg: SimConfig) -> SimHandle {
    SimServer::start(cfg).expect("simulator starts")
}

/// Starts a simulator on a manual clock (time moves only with `advance_clock`).
pub fn start_manual(cfg: SimConfig) -> SimHandle {
    SimServer::start_with_clock(cfg, SimClock::manual()).expect("simulator starts")
}

/// An account on a simulator and a client that signs for it.
pub struct Trader {
    pub base: String,
    pub signer: Arc<Signer>,
    pub ids: Registered,
    pub client: Client,
}

impl Trader {
    /// Registers a fresh Ed25519 key (fast) with `tier` and `balance`.
    pub fn new(sim: &SimHandle, tier: &str, balance: &str) -> Trader {
        let key = SigningKey::generate_ed25519().expect("key");
        Trader::with_key(sim, key, tier, balance)
    }

    /// Registers a given key.
    pub fn with_key(sim: &SimHandle, key: SigningKey, tier: &str, balance: &str) -> Trader {
        let pem = key.public_key_pem().expect("public pem");
        let ids = sim
            .control()
            .register_account(&pem, tier, balance)
            .expect("register");
        let signer = Signer::new(ids.api_key_id.clone(), key).expect("signer");
        Trader {
            base: sim.base_url(),
            signer: Arc::new(signer),
            ids,
            client: Client::default(),
        }
    }

    /// A request to `path` (relative to `/trade-api/v2`, may carry a query), signed.
    pub fn request(&self, method: &str, path: &str) -> awc::ClientRequest {
        let full = format!("{}{}", kalshi::rest::API_PREFIX, path);
        let headers = self.signer.sign(method, &full).expect("sign");
        let method = awc::http::Method::from_bytes(method.as_bytes()).expect("method");
        let mut req = self
            .client
            .request(method, format!("{}{}", self.base, full));
        for (name, value) in headers.pairs() {
            req = req.insert_header((name, value));
        }
        req
    }

    /// Sends a signed request with an optional JSON body; returns status and body bytes.
    pub async fn send(
        &self,
        method: &str,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> (u16, Vec<u8>) {
        let req = self.request(method, path);
        let resp = match body {
            Some(b) => req.send_json(&b).await,
            None => req.send().await,
        };
        read(resp.expect("response")).await
    }

    /// Sends and decodes a JSON answer of the expected status.
    pub async fn json<T: DeserializeOwned>(
        &self,
        method: &str,
        path: &str,
        body: Option<serde_json::Value>,
        status: u16,
    ) -> T {
        let (got, bytes) = self.send(method, path, body).await;
        assert_eq!(
            got,
            status,
            "{method} {path}: {}",
            String::from_utf8_lossy(&bytes)
        );
        serde_json::from_slice(&bytes).unwrap_or_else(|e| {
            panic!(
                "{method} {path}: cannot decode {e}: {}",
                String::from_utf8_lossy(&bytes)
            )
        })
    }
}

/// Reads a response's status and body.
pub async fn read<S>(mut resp: ClientResponse<S>) -> (u16, Vec<u8>)
where
    S: futures_util::Stream<Item = Result<actix_web::web::Bytes, awc::error::PayloadError>> + Unpin,
{
    let status = resp.status().as_u16();
    let body = resp.body().limit(64 << 20).await.expect("body");
    (status, body.to_vec())
}

/// An unsigned GET of an API path; returns status and body.
pub async fn get_public(sim: &SimHandle, path: &str) -> (u16, Vec<u8>) {
    let url = format!("{}{}", sim.rest_url(), path);
    read(Client::default().get(url).send().await.expect("response")).await
}

/// An admin call under `/_sim`.
pub async fn admin(
    sim: &SimHandle,
    method: &str,
    path: &str,
    body: Option<serde_json::Value>,
) -> (u16, Vec<u8>) {
    let url = format!("{}/_sim{}", sim.base_url(), path);
    let method = awc::http::Method::from_bytes(method.as_bytes()).expect("method");
    let req = Client::default().request(method, url);
    let resp = match body {
        Some(b) => req.send_json(&b).await,
        None => req.send().await,
    };
    read(resp.expect("response")).await
}

// ----- Helpers of the REST conformance tests (`tests/rest_*.rs`). -----

/// A good-till-canceled V2 create body (`side` is `bid` or `ask`, YES prices).
pub fn order_json(ticker: &str, side: &str, price: &str, count: &str) -> serde_json::Value {
    serde_json::json!({
        "ticker": ticker, "side": side, "price": price, "count": count,
        "time_in_force": "good_till_canceled", "self_trade_prevention_type": "taker_at_cross",
    })
}

/// The ticker of the `n`th open market (by ticker), read through the public API.
pub async fn open_market(sim: &SimHandle, n: usize) -> String {
    let (status, body) = get_public(sim, "/markets?status=open&limit=1000").await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    let page: kalshi::rest::GetMarketsResponse = serde_json::from_slice(&body).expect("markets");
    page.markets[n].ticker.to_string()
}

/// The simulator's clock now.
pub async fn sim_now(sim: &SimHandle) -> chrono::DateTime<chrono::Utc> {
    let (status, body) = admin(
        sim,
        "POST",
        "/clock/advance",
        Some(serde_json::json!({"ms": 0})),
    )
    .await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    let v: serde_json::Value = serde_json::from_slice(&body).expect("clock");
    serde_json::from_value(v["now"].clone()).expect("now")
}

/// Moves a manual clock by `by`, and the traders' signing clocks with it so their
/// timestamps stay within the allowed skew.
pub fn advance(sim: &SimHandle, traders: &[&Trader], by: chrono::Duration) {
    sim.control().advance_clock(by);
    for t in traders {
        t.signer
            .set_offset_ms(t.signer.offset_ms() + by.num_milliseconds());
    }
}

/// Decodes an error answer after checking its status.
pub fn api_error(expected: u16, (status, body): (u16, Vec<u8>)) -> kalshi::ApiError {
    assert_eq!(status, expected, "{}", String::from_utf8_lossy(&body));
    kalshi::ApiError::parse(status, &body)
}

impl Trader {
    /// Places an order and expects 201.
    pub async fn place(&self, body: serde_json::Value) -> kalshi::rest::CreateOrderV2Response {
        self.json("POST", "/portfolio/events/orders", Some(body), 201)
            .await
    }

    /// Sends a signed request with a raw body; returns status and body bytes.
    pub async fn send_raw(&self, method: &str, path: &str, body: &str) -> (u16, Vec<u8>) {
        let req = self.request(method, path).content_type("application/json");
        read(req.send_body(body.to_owned()).await.expect("response")).await
    }
}

// ----- Helpers of the WebSocket conformance tests (`tests/ws_*.rs`). -----

/// A WebSocket test client on awc: signed connect, commands, and frames read with a timeout
/// (never a sleep). awc does not answer pings; this client does unless told not to.
pub mod ws {
    use std::{borrow::Cow, pin::Pin, time::Duration};

    use awc::{
        error::WsProtocolError,
        ws::{CloseReason, Frame, Message},
    };
    use futures_util::{Sink, SinkExt, Stream, StreamExt};
    use kalshi::{
        Ticker,
        ws::{BookFrame, Channel, Command, Incoming, MarketFilter, UnknownFrame},
    };
    use kalshi_sim::SimHandle;

    use super::Trader;

    /// How long a test waits for an expected frame.
    pub const WAIT: Duration = Duration::from_secs(10);

    /// Largest frame the test client accepts (awc's default is 64 KiB).
    pub const MAX_FRAME: usize = 16 << 20;

    type Rx = Pin<Box<dyn Stream<Item = Result<Frame, WsProtocolError>>>>;
    type Tx = Pin<Box<dyn Sink<Message, Error = WsProtocolError>>>;

    /// How a connection ended, as the client saw it.
    #[derive(Debug)]
    pub enum WsEnd {
        /// A Close frame came.
        Close(Option<CloseReason>),
        /// The stream ended with no Close frame.
        Eof,
        /// The stream failed (reset) with no Close frame.
        Error(String),
    }

    /// What the socket gave.
    #[derive(Debug)]
    pub enum WsEvent {
        /// A frame other than Close.
        Frame(Frame),
        /// The connection ended.
        End(WsEnd),
    }

    /// One test connection.
    pub struct WsClient {
        rx: Rx,
        tx: Tx,
        next_id: u64,
        /// Answer server pings with pongs.
        pub answer_pings: bool,
    }

    impl Trader {
        /// The upgrade request, signed over `GET /trade-api/ws/v2`.
        pub fn ws_request(&self, sim: &SimHandle) -> awc::ws::WebsocketsRequest {
            let headers = self
                .signer
                .sign("GET", kalshi::rest::WS_PATH)
                .expect("sign");
            let mut req = self.client.ws(sim.ws_url()).max_frame_size(MAX_FRAME);
            for (name, value) in headers.pairs() {
                req = req.header(name, value);
            }
            req
        }

        /// Connects and expects 101.
        pub async fn ws(&self, sim: &SimHandle) -> WsClient {
            let (resp, framed) = self.ws_request(sim).connect().await.expect("ws connect");
            assert_eq!(resp.status().as_u16(), 101);
            let (tx, rx) = framed.split();
            WsClient {
                rx: Box::pin(rx),
                tx: Box::pin(tx),
                next_id: 1,
                answer_pings: true,
            }
        }
    }

    /// Detaches a decoded frame from its text.
    pub fn owned(i: Incoming<'_>) -> Incoming<'static> {
        match i {
            Incoming::Subscribed(x) => Incoming::Subscribed(x),
            Incoming::Ok(x) => Incoming::Ok(x),
            Incoming::Unsubscribed(x) => Incoming::Unsubscribed(x),
            Incoming::Error(x) => Incoming::Error(x),
            Incoming::OrderbookSnapshot(f) => Incoming::OrderbookSnapshot(BookFrame {
                sid: f.sid,
                seq: f.seq,
                sending_ts_ms: f.sending_ts_ms,
                msg: f.msg.into_owned(),
            }),
            Incoming::OrderbookDelta(f) => Incoming::OrderbookDelta(BookFrame {
                sid: f.sid,
                seq: f.seq,
                sending_ts_ms: f.sending_ts_ms,
                msg: f.msg.into_owned(),
            }),
            Incoming::Ticker(x) => Incoming::Ticker(x),
            Incoming::Trade(x) => Incoming::Trade(x),
            Incoming::Fill(x) => Incoming::Fill(x),
            Incoming::UserOrder(x) => Incoming::UserOrder(x),
            Incoming::MarketPosition(x) => Incoming::MarketPosition(x),
            Incoming::MarketLifecycle(x) => Incoming::MarketLifecycle(x),
            Incoming::EventLifecycle(x) => Incoming::EventLifecycle(x),
            Incoming::Unknown(u) => Incoming::Unknown(UnknownFrame {
                kind: Cow::Owned(u.kind.into_owned()),
                raw: Cow::Owned(u.raw.into_owned()),
            }),
        }
    }

    /// `market_tickers` for a list of ticker strings.
    pub fn tickers(list: &[&str]) -> MarketFilter {
        MarketFilter::Tickers(
            list.iter()
                .map(|t| Ticker::new(*t).expect("ticker"))
                .collect(),
        )
    }

    impl WsClient {
        /// Sends a frame.
        pub async fn send(&mut self, msg: Message) {
            self.tx.send(msg).await.expect("ws send");
        }

        /// Sends a text frame.
        pub async fn send_text(&mut self, text: &str) {
            self.send(Message::Text(text.to_owned().into())).await;
        }

        /// Sends a command under the next id; returns the id.
        pub async fn command(&mut self, mut cmd: Command) -> u64 {
            cmd.id = self.next_id;
            self.next_id += 1;
            self.send_text(&cmd.to_json()).await;
            cmd.id
        }

        /// Subscribes to `channels` for `markets`; returns the command id.
        pub async fn subscribe(&mut self, channels: &[Channel], markets: MarketFilter) -> u64 {
            self.command(Command::subscribe(0, channels.to_vec(), markets))
                .await
        }

        /// The next socket event within `wait`, or `None`.
        pub async fn event(&mut self, wait: Duration) -> Option<WsEvent> {
            let next = actix_rt::time::timeout(wait, self.rx.next()).await.ok()?;
            Some(match next {
                None => WsEvent::End(WsEnd::Eof),
                Some(Err(e)) => WsEvent::End(WsEnd::Error(e.to_string())),
                Some(Ok(Frame::Close(reason))) => WsEvent::End(WsEnd::Close(reason)),
                Some(Ok(frame)) => WsEvent::Frame(frame),
            })
        }

        /// The next text frame's content within `wait` (answering pings), or `None`.
        /// Panics if the connection ends.
        pub async fn text_within(&mut self, wait: Duration) -> Option<String> {
            let deadline = actix_rt::time::Instant::now() + wait;
            loop {
                let left = deadline.saturating_duration_since(actix_rt::time::Instant::now());
                match self.event(left).await? {
                    WsEvent::Frame(Frame::Text(b)) => {
                        return Some(String::from_utf8(b.to_vec()).expect("utf-8"));
                    }
                    WsEvent::Frame(Frame::Ping(p)) if self.answer_pings => {
                        self.send(Message::Pong(p)).await;
                    }
                    WsEvent::Frame(_) => {}
                    WsEvent::End(end) => panic!("connection ended: {end:?}"),
                }
            }
        }

        /// The next server message, decoded. Panics on timeout or end.
        pub async fn next(&mut self) -> Incoming<'static> {
            let text = self
                .text_within(WAIT)
                .await
                .expect("a frame within the wait");
            owned(kalshi::ws::decode(&text).unwrap_or_else(|e| panic!("{e}")))
        }

        /// Skips messages until one satisfies `pred`; returns it and what was skipped.
        pub async fn until(
            &mut self,
            mut pred: impl FnMut(&Incoming<'static>) -> bool,
        ) -> (Incoming<'static>, Vec<Incoming<'static>>) {
            let mut skipped = Vec::new();
            loop {
                let m = self.next().await;
                if pred(&m) {
                    return (m, skipped);
                }
                skipped.push(m);
            }
        }

        /// Reads until the connection ends (answering pings when set). Panics after `wait`.
        pub async fn end(&mut self, wait: Duration) -> WsEnd {
            let deadline = actix_rt::time::Instant::now() + wait;
            loop {
                let left = deadline.saturating_duration_since(actix_rt::time::Instant::now());
                match self
                    .event(left)
                    .await
                    .expect("the connection to end in time")
                {
                    WsEvent::End(end) => return end,
                    WsEvent::Frame(Frame::Ping(p)) if self.answer_pings => {
                        self.send(Message::Pong(p)).await;
                    }
                    WsEvent::Frame(_) => {}
                }
            }
        }

        /// Every frame (pings included) that arrives within `period`, checking the
        /// connection stays open.
        pub async fn frames_during(&mut self, period: Duration) -> Vec<Frame> {
            let deadline = actix_rt::time::Instant::now() + period;
            let mut got = Vec::new();
            loop {
                let left = deadline.saturating_duration_since(actix_rt::time::Instant::now());
                if left.is_zero() {
                    return got;
                }
                match self.event(left).await {
                    None => return got,
                    Some(WsEvent::End(end)) => panic!("connection ended: {end:?}"),
                    Some(WsEvent::Frame(f)) => got.push(f),
                }
            }
        }
    }
}

/// Rebuilds books from `orderbook_snapshot` + `orderbook_delta` frames with the engine's
/// [`kalshi::book::OrderBook`], checking that `seq` rises by exactly one per sid.
pub mod replay {
    use std::collections::HashMap;

    use kalshi::{book::OrderBook, rest::OrderbookFp, ws::Incoming};

    /// Books by market, and the last `seq` per sid.
    #[derive(Debug, Default)]
    pub struct BookReplay {
        /// Books by ticker.
        pub books: HashMap<String, OrderBook>,
        /// Last seq per sid.
        pub seqs: HashMap<u64, u64>,
        /// Deltas applied.
        pub deltas: u64,
    }

    impl BookReplay {
        /// Applies an order-book frame (others are ignored); an error names a seq gap or a
        /// book integrity failure.
        pub fn apply(&mut self, m: &Incoming<'_>) -> Result<(), String> {
            let (sid, seq) = match m {
                Incoming::OrderbookSnapshot(f) => (f.sid, f.seq),
                Incoming::OrderbookDelta(f) => (f.sid, f.seq),
                _ => return Ok(()),
            };
            let last = self.seqs.insert(sid, seq).unwrap_or(0);
            if seq != last + 1 {
                return Err(format!("sid {sid}: seq {seq} after {last}"));
            }
            match m {
                Incoming::OrderbookSnapshot(f) => {
                    let book = self
                        .books
                        .entry(f.msg.market_ticker.to_string())
                        .or_default();
                    f.msg.apply_to(book).map_err(|e| e.to_string())
                }
                Incoming::OrderbookDelta(f) => {
                    self.deltas += 1;
                    let book = self
                        .books
                        .get_mut(f.msg.market_ticker.as_ref())
                        .ok_or_else(|| format!("delta before snapshot: {f:?}"))?;
                    f.msg.apply_to(book).map_err(|e| e.to_string())
                }
                _ => Ok(()),
            }
        }

        /// Whether the rebuilt book of `ticker` equals `truth`.
        pub fn matches(&self, ticker: &str, truth: &OrderbookFp) -> bool {
            let want = OrderBook::from_snapshot(&truth.yes_dollars, &truth.no_dollars)
                .expect("true book is valid");
            self.books.get(ticker).is_some_and(|b| *b == want)
        }
    }
}
