//! The edges of a tick-to-order pass: a maker posts one-contract YES asks at 0.50 on the
//! market the forecast prices at 0.80, one at a time and paced, each waiting for the taker
//! (the engine or the floor) to take it.

use std::time::{Duration, Instant};

use actix::{Actor, Addr, Context, Handler};
use kalshi::{ClientOrderId, Count, Price, Ticker, rest::CreateOrderV2Request, types::BookSide};
use tokio::sync::mpsc;
use tradewind_actors::{
    gateway::{Gateway, PlaceOrder},
    orders::OrderEvent,
};

/// Tells the bench loop of each fill of the engine's orders.
pub struct Forward(pub mpsc::UnboundedSender<()>);

impl Actor for Forward {
    type Context = Context<Self>;
}

impl Handler<OrderEvent> for Forward {
    type Result = ();

    fn handle(&mut self, msg: OrderEvent, _: &mut Context<Self>) {
        if matches!(msg, OrderEvent::Filled { .. }) {
            let _ = self.0.send(());
        }
    }
}

/// The pause after the warm-up edge of a paced pass: a Prime account's write bucket (8,000
/// tokens at 4,000 a second) fills in two seconds.
const WARM_UP_PAUSE: Duration = Duration::from_secs(2);

/// How many edges a pass times, and the least time from one edge's ask to the next.
#[derive(Debug, Clone, Copy)]
pub struct Edges {
    /// Edges to time (after the warm-up one).
    pub count: usize,
    /// Least time from one ask to the next: the pace keeps the takers' write budget from
    /// binding, so a latency is not a wait for rate-limit tokens (which the floor, ignoring
    /// the budget, never does).
    pub interval: Duration,
}

/// Posts `edges.count + 1` asks from the maker (client ids `<tag>-<i>`), one at a time, each
/// waiting for the taker (engine or floor) to say it took it and for `edges.interval` since
/// the last ask; the first (a warm-up) is given 30 s, the others 5 s. Answers the edges missed
/// and the seconds the loop took.
pub async fn take_edges(
    maker: &Addr<Gateway>,
    rx: &mut mpsc::UnboundedReceiver<()>,
    ticker: &Ticker,
    edges: Edges,
    tag: &str,
) -> Result<(usize, f64), String> {
    // Wait until the feed has the book and the strategy its forecast: a first edge.
    let started = Instant::now();
    let mut missed = 0;
    let mut next = tokio::time::Instant::now();
    for i in 0..edges.count + 1 {
        // Pacing the load, not waiting for an outcome: the taker's answer is awaited below.
        tokio::time::sleep_until(next).await;
        // After the warm-up edge, time for the taker's write bucket (the gateway starts it
        // empty: what Kalshi's holds is unknown) to fill before the timed edges.
        let pause = if i == 0 && !edges.interval.is_zero() {
            WARM_UP_PAUSE
        } else {
            edges.interval
        };
        next = tokio::time::Instant::now() + pause;
        post_ask(maker, ticker, tag, i).await?;
        let wait = if i == 0 { 30 } else { 5 };
        let filled = tokio::time::timeout(Duration::from_secs(wait), async {
            rx.recv().await.is_some()
        })
        .await
        .unwrap_or(false);
        if !filled {
            if i == 0 {
                return Err(format!("the {tag}'s taker never took the first edge"));
            }
            missed += 1;
        }
    }
    Ok((missed, started.elapsed().as_secs_f64()))
}

/// The maker's `i`th one-contract YES ask at 0.50: an edge against the forecast's 0.80.
async fn post_ask(
    maker: &Addr<Gateway>,
    ticker: &Ticker,
    tag: &str,
    i: usize,
) -> Result<(), String> {
    let mut req = CreateOrderV2Request::limit(
        ticker.clone(),
        BookSide::Ask,
        Price::from_cents(50).ok_or("price")?,
        Count::ONE,
    );
    req.client_order_id =
        Some(ClientOrderId::new(format!("{tag}-{i}")).map_err(|e| e.to_string())?);
    maker
        .send(PlaceOrder {
            request: req,
            deadline: None,
            stamps: Default::default(),
        })
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| format!("maker order: {e}"))?;
    Ok(())
}
