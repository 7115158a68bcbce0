//! The floor of the tick-to-order scenario: the least any client could do on this machine.
//!
//! A bare awc WebSocket reader (the client the feed uses) subscribed to one market's
//! `orderbook_delta`; on a delta that adds YES-ask size (a NO bid level growing) it signs and
//! writes the POST create of a one-contract IOC YES bid at that ask, awaits the answer and
//! reads the next frame. No books, no strategy, no order manager, no journal, no gateway
//! queue: decode, sign, write. Its orders reach the simulator's order log like the engine's,
//! so both are timed by the simulator's clock the same way.

use std::{sync::Arc, time::Duration};

use awc::ws::{Frame, Message};
use futures_util::{SinkExt, StreamExt};
use kalshi::{
    ClientOrderId, Count, Ticker,
    rest::{CreateOrderV2Request, Endpoint},
    sign::Signer,
    types::{BookSide, OutcomeSide, TimeInForce},
    ws::{Channel, Command, Incoming, MarketFilter, decode},
};
use tokio::sync::mpsc;

/// Where the floor connects and what it trades.
pub struct Floor {
    /// The simulator's WebSocket URL (`ws://…/trade-api/ws/v2`).
    pub ws_url: String,
    /// The simulator's REST base (`http://…/trade-api/v2`).
    pub rest_url: String,
    /// The market.
    pub ticker: Ticker,
    /// The floor's account.
    pub signer: Arc<Signer>,
}

/// The path part of a URL (`/trade-api/ws/v2` of `ws://host:port/trade-api/ws/v2`).
fn path_of(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.find('/').map_or("/", |i| &rest[i..])
}

/// The origin of a URL (`http://host:port`).
fn origin_of(url: &str) -> &str {
    let path = path_of(url);
    &url[..url.len() - path.len()]
}

impl Floor {
    /// Connects and subscribes; then reacts to every edge until the socket ends or `done` is
    /// closed, sending `()` on `done` after each answer. Call inside an actix system.
    pub async fn run(self, done: mpsc::UnboundedSender<()>) -> Result<(), String> {
        let client = tradewind_actors::http_client::build(Duration::from_secs(5), false)?;
        let ws_path = path_of(&self.ws_url).to_owned();
        let headers = self
            .signer
            .sign("GET", &ws_path)
            .map_err(|e| e.to_string())?;
        let mut req = client.ws(self.ws_url.as_str()).max_frame_size(1 << 20);
        for (name, value) in headers.pairs() {
            req = req.header(name, value);
        }
        let (_resp, mut framed) = req.connect().await.map_err(|e| e.to_string())?;
        let sub = Command::subscribe(
            1,
            vec![Channel::OrderbookDelta],
            MarketFilter::Ticker(self.ticker.clone()),
        );
        framed
            .send(Message::Text(sub.to_json().into()))
            .await
            .map_err(|e| e.to_string())?;
        let mut n = 0u64;
        while let Some(frame) = framed.next().await {
            match frame.map_err(|e| e.to_string())? {
                Frame::Text(bytes) if self.is_edge(&bytes) => {
                    n += 1;
                    self.take(&client, n).await?;
                    if done.send(()).is_err() {
                        return Ok(());
                    }
                }
                Frame::Ping(p) => framed
                    .send(Message::Pong(p))
                    .await
                    .map_err(|e| e.to_string())?,
                Frame::Close(_) => return Ok(()),
                _ => {}
            }
        }
        Ok(())
    }

    /// Whether the frame is a delta adding YES-ask size (NO bids) in the market.
    fn is_edge(&self, bytes: &[u8]) -> bool {
        let Ok(text) = std::str::from_utf8(bytes) else {
            return false;
        };
        match decode(text) {
            Ok(Incoming::OrderbookDelta(f)) => {
                f.msg.market_ticker == self.ticker.as_str()
                    && f.msg.side == OutcomeSide::No
                    && f.msg.delta_fp.is_positive()
            }
            _ => false,
        }
    }

    /// Signs and writes the create for the `n`th edge and reads its answer.
    async fn take(&self, client: &awc::Client, n: u64) -> Result<(), String> {
        let price = kalshi::Price::from_cents(50).ok_or("price")?;
        let mut order =
            CreateOrderV2Request::limit(self.ticker.clone(), BookSide::Bid, price, Count::ONE);
        order.time_in_force = TimeInForce::ImmediateOrCancel;
        order.client_order_id =
            Some(ClientOrderId::new(format!("floor-{n}")).map_err(|e| e.to_string())?);
        let body = serde_json::to_vec(&order).map_err(|e| e.to_string())?;
        let path = Endpoint::CreateOrder.path();
        let headers = self.signer.sign("POST", &path).map_err(|e| e.to_string())?;
        let mut req = client.post(format!("{}{path}", origin_of(&self.rest_url)));
        for (name, value) in headers.pairs() {
            req = req.insert_header((name, value));
        }
        let mut resp = req
            .insert_header(("content-type", "application/json"))
            .send_body(body)
            .await
            .map_err(|e| format!("floor order: {e}"))?;
        let _ = resp.body().await;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_split_into_origin_and_path() {
        assert_eq!(
            path_of("ws://127.0.0.1:9/trade-api/ws/v2"),
            "/trade-api/ws/v2"
        );
        assert_eq!(
            origin_of("http://127.0.0.1:9/trade-api/v2"),
            "http://127.0.0.1:9"
        );
        assert_eq!(path_of("http://h"), "/");
    }
}
