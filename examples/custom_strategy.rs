//! Your own strategy on Tradewind's engine: a complete one, run against the embedded simulated
//! exchange of the built-in config.
//!
//! `ImbalanceBuyer` reads only the book. It computes the micro-price — the mid weighted by the
//! size on the *other* side, so it leans toward the side about to run out — and buys one YES
//! contract at the best ask (immediate-or-cancel) when that ask is within `edge` of the
//! micro-price, i.e. when bids outweigh asks at the top of the book. It holds at most
//! `max_position` contracts per market, keeps one order in flight per market and waits
//! `cooldown` between orders. Everything else — the WebSocket, rate limits, risk limits,
//! blackouts, the journal, placing each order exactly once — is the engine's.
//!
//! ```sh
//! cargo run --example custom_strategy -- --duration 20s
//! ```

use std::{collections::HashMap, process::ExitCode, time::Duration};

use tradewind::{
    EngineBuilder,
    config::ConfigError,
    duration::parse_duration,
    strategy::{
        BookSide, Count, DateTime, Intent, MarketView, OrderSpec, PlaceIntent, Strategy, Ticker,
        TimeDelta, TimeInForce, Utc,
    },
};

/// Buys YES when the best ask is close to the book's micro-price.
#[derive(Debug)]
pub struct ImbalanceBuyer {
    /// Buy when `ask - micro_price <= edge` (probability points: 0.005 = half a cent).
    pub edge: f64,
    /// Most contracts held per market.
    pub max_position: i64,
    /// Wait between two orders in one market.
    pub cooldown: TimeDelta,
    /// Per market: an order in flight, and when the last one was placed.
    markets: HashMap<Ticker, (bool, DateTime<Utc>)>,
}

impl ImbalanceBuyer {
    /// A buyer with these limits.
    pub fn new(edge: f64, max_position: i64, cooldown: Duration) -> ImbalanceBuyer {
        ImbalanceBuyer {
            edge,
            max_position,
            cooldown: TimeDelta::from_std(cooldown).unwrap_or(TimeDelta::MAX),
            markets: HashMap::new(),
        }
    }
}

impl Strategy for ImbalanceBuyer {
    fn on_book(&mut self, view: &MarketView) -> Vec<Intent> {
        let (Some(bid), Some(ask)) = (view.book.best_yes_bid(), view.book.best_yes_ask()) else {
            return Vec::new();
        };
        let busy = self
            .markets
            .get(&view.ticker)
            .is_some_and(|(in_flight, last)| *in_flight || view.now - *last < self.cooldown);
        if busy || view.position >= Count::from_whole(self.max_position) {
            return Vec::new();
        }
        // Floats for the decision only; the order's price is the book's own exact `Price`.
        let (b, a) = (bid.price.as_probability(), ask.price.as_probability());
        let (bid_size, ask_size) = (bid.count.centis() as f64, ask.count.centis() as f64);
        let micro = (b * ask_size + a * bid_size) / (bid_size + ask_size);
        if a - micro > self.edge || a > 0.95 || !view.grid.is_valid(ask.price) {
            return Vec::new();
        }
        self.markets.insert(view.ticker.clone(), (true, view.now));
        vec![Intent::Place(PlaceIntent {
            spec: OrderSpec {
                ticker: view.ticker.clone(),
                side: BookSide::Bid, // buy YES
                price: ask.price,
                count: Count::ONE,
                time_in_force: TimeInForce::ImmediateOrCancel,
                post_only: false,
                reduce_only: false,
            },
            book_epoch: view.epoch,
        })]
    }

    fn on_order_done(&mut self, ticker: &Ticker) -> Vec<Intent> {
        if let Some((in_flight, _)) = self.markets.get_mut(ticker) {
            *in_flight = false;
        }
        Vec::new()
    }

    // It reads only the book: the engine should not call it idle for want of a forecast.
    fn uses_forecast(&self) -> bool {
        false
    }
}

/// The engine of the built-in config (the embedded simulator) running an `ImbalanceBuyer`
/// for `duration`.
pub fn engine(duration: Duration) -> Result<EngineBuilder, ConfigError> {
    Ok(EngineBuilder::default_config()?
        .strategy(|| ImbalanceBuyer::new(0.005, 5, Duration::from_secs(2)))
        .duration(duration))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let duration = match args.as_slice() {
        [] => Duration::from_secs(20),
        [flag, d] if flag == "--duration" => match parse_duration(d) {
            Ok(d) => d,
            Err(e) => {
                eprintln!("error: --duration {e}");
                return ExitCode::from(2);
            }
        },
        _ => {
            eprintln!("usage: custom_strategy [--duration 20s]");
            return ExitCode::from(2);
        }
    };
    let run = engine(duration).map_err(|e| e.to_string());
    match run.and_then(|e| e.run().map_err(|e| e.to_string())) {
        Ok(summary) => {
            println!("{summary}");
            let placed = summary.orders_placed();
            println!(
                "custom_strategy: {placed} orders, {} fills",
                summary.fills()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
