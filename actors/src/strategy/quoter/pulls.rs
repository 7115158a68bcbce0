//! When a market's quotes come off (pure): the market is not tradable (paused, determined),
//! it closes within `pull_before_close_s`, a blackout is on, there is no fair value (no
//! forecast, a stale one, or one a GFS window made old and no newer one yet), or the fair
//! value is outside `min_fair..=max_fair`. A stale book pulls too, but the engine says so
//! apart (`on_book_stale`). Near the close, the position may be flattened with a reduce-only
//! immediate-or-cancel order at the best opposite price.

use chrono::{DateTime, TimeDelta, Utc};
use kalshi::{
    Count,
    level::PriceLevel,
    types::{BookSide, TimeInForce},
};

use super::config::QuoterConfig;
use crate::{
    orders::OrderSpec,
    strategy::interface::{MarketView, PlaceIntent},
};

/// Why a market's quotes come off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PullReason {
    /// Paused, closed or determined.
    NotTradable,
    /// Within `pull_before_close_s` of its close.
    Closing,
    /// A blackout is on.
    Blackout,
    /// No fair value to quote around.
    NoFair,
    /// The fair value is outside `min_fair..=max_fair`.
    FairOutOfRange,
}

fn seconds(s: u64) -> TimeDelta {
    TimeDelta::seconds(i64::try_from(s).unwrap_or(i64::MAX / 1_000_000))
}

/// Whether a market closing at `close` is within `pull_before_close_s` of it at `now`.
pub fn closing(cfg: &QuoterConfig, close: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now >= close - seconds(cfg.pull_before_close_s)
}

/// Whether the position is to be flattened at `now` (`flatten_before_close_s` > 0 and within
/// it of the close, which has not passed: after it even cancels are refused).
pub fn flatten_due(cfg: &QuoterConfig, close: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    cfg.flatten_before_close_s > 0
        && now < close
        && now >= close - seconds(cfg.flatten_before_close_s)
}

/// Why the market of `view` must not be quoted now, if it must not.
pub fn reason(cfg: &QuoterConfig, view: &MarketView, blackout: bool) -> Option<PullReason> {
    if !view.tradable {
        return Some(PullReason::NotTradable);
    }
    if closing(cfg, view.close_time, view.now) {
        return Some(PullReason::Closing);
    }
    if blackout {
        return Some(PullReason::Blackout);
    }
    match view.fair {
        None => Some(PullReason::NoFair),
        Some(f) if !(cfg.min_fair..=cfg.max_fair).contains(&f) => Some(PullReason::FairOutOfRange),
        Some(_) => None,
    }
}

/// The reduce-only order that takes the position of `view` toward zero at the best opposite
/// price (a long sells YES at the best bid, a short buys at the best ask), at most what that
/// level shows; `None` when flat or there is no such level on the grid.
pub fn flatten_order(view: &MarketView) -> Option<PlaceIntent> {
    let held = view.position;
    let (side, level): (BookSide, Option<PriceLevel>) = if held.is_positive() {
        (BookSide::Ask, view.book.best_yes_bid())
    } else if held.is_negative() {
        (BookSide::Bid, view.book.best_yes_ask())
    } else {
        return None;
    };
    let level = level.filter(|l| view.grid.is_valid(l.price))?;
    let count = held.abs().min(level.count);
    (count > Count::ZERO).then(|| PlaceIntent {
        spec: OrderSpec {
            ticker: view.ticker.clone(),
            side,
            price: level.price,
            count,
            time_in_force: TimeInForce::ImmediateOrCancel,
            post_only: false,
            reduce_only: true,
        },
        book_epoch: view.epoch,
    })
}
