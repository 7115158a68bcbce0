//! The doctor's WebSocket: the handshake the feed makes (the engine's awc client and TLS
//! settings, the upgrade signed with `timestamp + "GET" + path` by the account's signer, the
//! feed's frame limit), then one session that subscribes as the feed does — `orderbook_delta`
//! for one market, then `fill`, `user_orders` and `market_lifecycle_v2` — pings the server
//! once, answers its pings, and hands every frame to the [`Tally`] until it has seen enough
//! or the wait is over. I/O only; the tally decides.

use std::time::{Duration, Instant};

use awc::{
    error::{WsClientError, WsProtocolError},
    ws::{CloseCode, Frame, Message},
};
use futures_util::{Sink, SinkExt, Stream, StreamExt};
use kalshi::{
    Ticker,
    sign::Signer,
    ws::{Channel, Command, MarketFilter},
};
use tradewind_actors::{base_url::BaseUrl, http_client};

use super::tally::{BOOK_CMD, PRIVATE, PRIVATE_CMD, Tally};

/// The payload of the doctor's own ping.
const OWN_PING: &[u8] = b"tradewind-doctor";

/// Opens the WebSocket at `url` with a freshly signed upgrade.
pub async fn handshake(
    url: &str,
    signer: &Signer,
    limit: Duration,
    max_frame: usize,
) -> Result<
    impl Stream<Item = Result<Frame, WsProtocolError>> + Sink<Message, Error = WsProtocolError> + Unpin,
    String,
> {
    let base = BaseUrl::parse(url)?;
    let client = http_client::build(limit, base.tls)?;
    let headers = signer
        .sign("GET", &base.prefix)
        .map_err(|e| format!("signing failed: {e}"))?;
    let mut req = client.ws(url).max_frame_size(max_frame);
    for (name, value) in headers.pairs() {
        req = req.header(name, value);
    }
    match req.connect().await {
        Ok((_resp, framed)) => Ok(framed),
        Err(WsClientError::InvalidResponseStatus(status)) => {
            Err(format!("upgrade refused: HTTP {status}"))
        }
        Err(e) => Err(format!("upgrade failed: {e}")),
    }
}

/// Subscribes, then reads until the tally is done or `wait` is over; closes politely.
pub async fn observe<C>(mut conn: C, market: Result<Ticker, String>, wait: Duration) -> Tally
where
    C: Stream<Item = Result<Frame, WsProtocolError>>
        + Sink<Message, Error = WsProtocolError>
        + Unpin,
{
    let began = Instant::now();
    let mut tally = Tally::new(
        market
            .as_ref()
            .map(ToString::to_string)
            .map_err(Clone::clone),
    );
    if let Err(e) = subscribe(&mut conn, market.ok()).await {
        tally.on_end(format!("a subscribe could not be sent: {e}"));
        return tally;
    }
    let pinged = Instant::now();
    let _ = conn.send(Message::Ping(OWN_PING.into())).await;
    let deadline = tokio::time::sleep(wait);
    tokio::pin!(deadline);
    while !tally.done() {
        let frame = tokio::select! {
            f = conn.next() => f,
            () = &mut deadline => break,
        };
        match frame {
            Some(Ok(Frame::Text(bytes))) => match std::str::from_utf8(&bytes) {
                Ok(text) => tally.on_text(text),
                Err(_) => tally.undecodable("a text frame that is not UTF-8".into()),
            },
            Some(Ok(Frame::Ping(payload))) => {
                tally.on_ping(began.elapsed(), &payload);
                let sent = conn.send(Message::Pong(payload)).await;
                tally.on_pong_sent(sent.map_err(|e| e.to_string()));
            }
            Some(Ok(Frame::Pong(_))) => tally.on_own_pong(pinged.elapsed()),
            Some(Ok(Frame::Close(reason))) => {
                tally.on_end(format!("closed by the server: {reason:?}"))
            }
            Some(Ok(Frame::Binary(_) | Frame::Continuation(_))) => {
                tally.undecodable("a binary or continuation frame".into());
            }
            Some(Err(e)) => tally.on_end(format!("protocol error: {e}")),
            None => tally.on_end("the connection ended".into()),
        }
    }
    let _ = conn
        .send(Message::Close(Some(CloseCode::Normal.into())))
        .await;
    tally
}

/// The feed's subscriptions: the market's order book (when there is one), then the private
/// channels.
async fn subscribe<C>(conn: &mut C, market: Option<Ticker>) -> Result<(), WsProtocolError>
where
    C: Sink<Message, Error = WsProtocolError> + Unpin,
{
    if let Some(ticker) = market {
        let book = Command::subscribe(
            BOOK_CMD,
            vec![Channel::OrderbookDelta],
            MarketFilter::Ticker(ticker),
        );
        conn.send(Message::Text(book.to_json().into())).await?;
    }
    let private = Command::subscribe(PRIVATE_CMD, PRIVATE.to_vec(), MarketFilter::All);
    conn.send(Message::Text(private.to_json().into())).await
}
