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
