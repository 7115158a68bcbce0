//! What the backtest's unit tests share: a config without blackouts, a market of the
//! simulator's catalogue, and a scripted strategy.

use std::sync::{Arc, Mutex};

use chrono::{TimeZone, Utc};
use kalshi::{
    Count,
    rest::Market,
    types::{BookSide, MarketStatus, TimeInForce},
};
use kalshi_sim::{
    catalogue::{self, CatalogueConfig},
    engine::SimMarket,
    server::convert,
};
use tradewind_actors::{
    orders::OrderSpec,
    strategy::{Intent, MarketView, PlaceIntent, Strategy},
};

use crate::config::EngineFile;

/// 2026-12-02T13:00:00Z, Unix ns.
pub const T0: u64 = 1_796_216_400_000_000_000;
/// A millisecond, ns.
pub const MS: u64 = 1_000_000;

/// Buys 5 at the best ask on its first book; remembers the positions it was shown.
pub struct Buyer(pub Arc<Mutex<Vec<Count>>>, pub bool);

impl Strategy for Buyer {
    fn on_book(&mut self, v: &MarketView) -> Vec<Intent> {
        self.0.lock().unwrap().push(v.position);
        if std::mem::replace(&mut self.1, true) {
            return Vec::new();
        }
        let Some(ask) = v.book.best_yes_ask() else {
            return Vec::new();
        };
        vec![Intent::Place(PlaceIntent {
            spec: OrderSpec {
                ticker: v.ticker.clone(),
                side: BookSide::Bid,
                price: ask.price,
                count: Count::from_whole(5),
                time_in_force: TimeInForce::ImmediateOrCancel,
                post_only: false,
                reduce_only: false,
            },
            book_epoch: v.epoch,
        })]
    }

    fn uses_forecast(&self) -> bool {
        false
    }
}

/// The default config without blackouts.
pub fn config() -> EngineFile {
    let mut cfg = EngineFile::default();
    cfg.blackout.recurring.clear();
    cfg.blackout.weekly_maintenance = false;
    cfg
}

/// The catalogue's first market at [`T0`], active.
pub fn market() -> Market {
    let now = Utc.timestamp_nanos(T0 as i64);
    let (_, infos) = catalogue::build(&CatalogueConfig::default(), now).unwrap();
    let mut m = SimMarket::new(infos.into_iter().next().unwrap());
    m.status = MarketStatus::Active;
    convert::market(&m)
}

/// [`market`]'s ticker and JSON.
pub fn market_json() -> (String, String) {
    let m = market();
    (m.ticker.to_string(), serde_json::to_string(&m).unwrap())
}
