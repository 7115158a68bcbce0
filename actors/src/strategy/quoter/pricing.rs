//! Where the quotes should be (pure): the bid and ask around the fair value, skewed by the
//! position, on the market's grid and never crossing the book, sized by the base size and the
//! room left under the position limit.
//!
//! With `q` contracts held (+ YES, − NO) the centre is `fair − skew_per_contract · q`; the bid
//! is the grid tick at or below `centre − edge`, the ask the tick at or above `centre + edge`.
//! A bid at or above the best ask moves to the tick below it; an ask at or below the best bid
//! to the tick above it (a post-only order that would cross is rejected). A side whose order
//! would add to the position quotes at most the room left; at the limit it does not quote.

use kalshi::{Count, Price, num::PriceRanges, types::BookSide};

use super::config::QuoterConfig;

/// A quote's terms: YES price on the grid, and size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Target {
    /// YES price.
    pub price: Price,
    /// Contracts.
    pub count: Count,
}

/// The best prices of the book now (ours included).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Top {
    /// Best YES bid.
    pub bid: Option<Price>,
    /// Best YES ask.
    pub ask: Option<Price>,
}

/// Both sides' targets; `None` = that side does not quote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Targets {
    /// The bid (buys YES).
    pub bid: Option<Target>,
    /// The ask (sells YES).
    pub ask: Option<Target>,
}

impl Targets {
    /// The target of `side`.
    pub fn side(&self, side: BookSide) -> Option<Target> {
        match side {
            BookSide::Bid => self.bid,
            BookSide::Ask => self.ask,
        }
    }
}

/// A probability as a price, when it lies strictly inside (0, 1).
fn to_price(p: f64) -> Option<Price> {
    (p.is_finite() && p > 0.0 && p < 1.0)
        .then(|| Price::from_micros((p * 1e6).round() as u32))
        .flatten()
}

/// Where the quotes of a market should be.
pub fn targets(
    cfg: &QuoterConfig,
    fair: f64,
    position: Count,
    top: Top,
    grid: &PriceRanges,
) -> Targets {
    let held = position.centis() as f64 / 100.0;
    let centre = fair - cfg.skew_per_contract * held;
    let bid = to_price(centre - cfg.edge)
        .and_then(|p| grid.tick_at_or_below(p))
        .and_then(|p| match top.ask {
            Some(ask) if p >= ask => grid.tick_below(ask),
            _ => Some(p),
        });
    let ask = to_price(centre + cfg.edge)
        .and_then(|p| grid.tick_at_or_above(p))
        .and_then(|p| match top.bid {
            Some(bid) if p <= bid => grid.tick_above(bid),
            _ => Some(p),
        });
    let limit = cfg.max_position.saturating_mul(100);
    // Room to buy (the bid) and to sell (the ask) before the position limit, in centis.
    let room_bid = limit - position.centis();
    let room_ask = limit + position.centis();
    let bid_adds = !position.is_negative();
    let ask_adds = !position.is_positive();
    let with = |price: Option<Price>, count: Option<Count>| {
        Some(Target {
            price: price?,
            count: count?,
        })
    };
    Targets {
        bid: with(bid, size(cfg, bid_adds, room_bid)),
        ask: with(ask, size(cfg, ask_adds, room_ask)),
    }
}

/// A side's size: the base size, shrunk in proportion to the room left when the side adds to
/// the position (and shrinking is on), never more than the room; `None` at the limit.
fn size(cfg: &QuoterConfig, adds: bool, room_centis: i64) -> Option<Count> {
    if room_centis <= 0 {
        return None;
    }
    let base = cfg.size.saturating_mul(100);
    let limit = cfg.max_position.saturating_mul(100).max(1);
    let centis = if adds && cfg.shrink_adding_side {
        // Whole contracts, at least one.
        let scaled = i128::from(base) * i128::from(room_centis.min(limit)) / i128::from(limit);
        (i64::try_from(scaled).unwrap_or(base) / 100 * 100).max(100)
    } else {
        base
    };
    Some(Count::from_centis(centis.min(room_centis)))
}
