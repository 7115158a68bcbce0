//! Admission of an intent, pure: the checks the order manager runs before an order gets a
//! client id — its fields, its market, the blackout gate, a market blocked by an order of
//! unknown outcome, and the risk limits over what is open ([`exposure`]). The order manager
//! calls them with its own state; `tradewind backtest` with the state of its replay, so a
//! backtest refuses exactly what the live engine would.

use chrono::{DateTime, Utc};
use kalshi::{Count, OrderId, Price, rest::Market, types::BookSide, types::TimeInForce};

use super::{
    positions::Positions,
    refusal::Refusal,
    risk::{self, Exposure, Proposal, RiskLimits, order_cost},
    spec::OrderSpec,
    state::{Ledger, OrderRecord, OrderState},
};

fn invalid(field: &'static str, reason: String) -> Refusal {
    Refusal::Invalid { field, reason }
}

/// The intent's own fields: a positive count, a price within (0, 1), and a reduce-only order
/// that is IOC and can only shrink `position` (the position in its market).
pub fn check_fields(spec: &OrderSpec, position: Count) -> Result<(), Refusal> {
    if !spec.count.is_positive() || spec.count > Count::MAX {
        return Err(invalid(
            "count",
            format!("must be at least 0.01, got {}", spec.count),
        ));
    }
    if spec.price == Price::ZERO || spec.price >= Price::ONE {
        return Err(invalid(
            "price",
            format!("{} is outside (0, 1)", spec.price),
        ));
    }
    if spec.reduce_only {
        if spec.time_in_force != TimeInForce::ImmediateOrCancel {
            return Err(invalid(
                "reduce_only",
                "requires immediate_or_cancel".into(),
            ));
        }
        if !risk::reduces(position, spec.side, spec.count) {
            return Err(invalid(
                "reduce_only",
                format!(
                    "{} {} would not reduce the position {position}",
                    spec.side, spec.count
                ),
            ));
        }
    }
    Ok(())
}

/// The market accepts orders and the price is on its grid.
pub fn check_market(spec: &OrderSpec, market: &Market) -> Result<(), Refusal> {
    if !market.is_tradable() {
        return Err(Refusal::MarketClosed {
            ticker: spec.ticker.clone(),
            status: market.status.to_string(),
        });
    }
    market
        .price_grid()
        .validate(spec.price)
        .map_err(|e| invalid("price", e.to_string()))
}

/// What the gates and limits read: the order manager's ledger and positions, the blackout
/// gate's verdict, orders sent in the last minute, and now.
#[derive(Debug, Clone, Copy)]
pub struct OpenState<'a> {
    /// Every order known.
    pub ledger: &'a Ledger,
    /// Positions and P&L.
    pub positions: &'a Positions,
    /// The limits of `[orders]`.
    pub limits: &'a RiskLimits,
    /// Why nothing that adds risk may be sent now ([`super::gate::blackout_block`]).
    pub blackout: Option<&'a str>,
    /// Orders sent in the last 60 s.
    pub orders_last_minute: usize,
    /// Now.
    pub now: DateTime<Utc>,
}

/// The blackout gate (reduce-only orders pass), a market blocked by an order whose outcome
/// is unknown, and the risk limits.
pub fn check_open(spec: &OrderSpec, s: &OpenState<'_>) -> Result<(), Refusal> {
    if let Some(why) = s.blackout.filter(|_| !spec.reduce_only) {
        return Err(Refusal::Blackout(why.to_owned()));
    }
    if let Some(o) = s.ledger.blocking(&spec.ticker) {
        return Err(Refusal::Blocked {
            ticker: spec.ticker.clone(),
            key: o.key.clone(),
        });
    }
    let proposal = Proposal {
        side: spec.side,
        price: spec.price,
        count: spec.count,
        reduce_only: spec.reduce_only,
    };
    let x = exposure(s, &spec.ticker, None);
    risk::check(s.limits, &x, &proposal)?;
    Ok(())
}

/// What an amend of a resting order is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AmendKind {
    /// Same price, smaller: reduce the resting size `by` (keeps the queue position; passes
    /// blackouts and limits, as a cancel does).
    Decrease {
        /// Contracts taken off.
        by: Count,
    },
    /// A new price or a larger size: `total` is filled + the new resting size.
    Amend {
        /// The order's new total count.
        total: Count,
    },
}

/// The amend's own checks — the order rests and its exchange id is known, the new resting size
/// is positive — and what kind of amend it is, with the order's id.
pub fn amend_kind(
    o: &OrderRecord,
    price: Price,
    remaining: Count,
) -> Result<(OrderId, AmendKind), Refusal> {
    let order_id = match (&o.order_id, o.state) {
        (Some(id), OrderState::Resting) => id.clone(),
        (_, state) => {
            return Err(Refusal::WrongState {
                key: o.key.clone(),
                state: state.as_str(),
            });
        }
    };
    if !remaining.is_positive() {
        return Err(invalid(
            "remaining",
            format!("must be at least 0.01 (cancel instead), got {remaining}"),
        ));
    }
    if price == o.spec.price && remaining < o.remaining() {
        let by = o.remaining() - remaining;
        return Ok((order_id, AmendKind::Decrease { by }));
    }
    let total = o.filled() + remaining;
    Ok((order_id, AmendKind::Amend { total }))
}

/// What a full amend ([`AmendKind::Amend`]) must pass: the price on the market's grid, the
/// blackout gate (closed whenever its state is not known for sure), and the risk limits with
/// the order itself set aside (an amend is no new order: the per-minute count does not apply).
pub fn check_amend_open(
    o: &OrderRecord,
    price: Price,
    remaining: Count,
    market: &Market,
    s: &OpenState<'_>,
) -> Result<(), Refusal> {
    market
        .price_grid()
        .validate(price)
        .map_err(|e| invalid("price", e.to_string()))?;
    if let Some(why) = s.blackout {
        return Err(Refusal::Blackout(why.to_owned()));
    }
    let mut x = exposure(s, o.spec.ticker.as_str(), Some(&o.key));
    x.orders_last_minute = 0;
    let p = Proposal {
        side: o.spec.side,
        price,
        count: remaining,
        reduce_only: false,
    };
    risk::check(s.limits, &x, &p)?;
    Ok(())
}

/// What is open now, for a proposed order on `ticker` (`exclude`: an order being amended).
pub fn exposure(s: &OpenState<'_>, ticker: &str, exclude: Option<&str>) -> Exposure {
    let mut x = Exposure {
        position: s.positions.count(ticker),
        total: s.positions.total_exposure(),
        orders_last_minute: s.orders_last_minute,
        daily_pnl: s.positions.daily_pnl(s.now),
        ..Exposure::default()
    };
    for o in s.ledger.open().filter(|o| Some(o.key.as_str()) != exclude) {
        let remaining = o.remaining();
        x.open_orders += 1;
        x.total += order_cost(o.spec.side, o.spec.price, remaining);
        if o.spec.ticker.as_str() == ticker {
            match o.spec.side {
                BookSide::Bid => x.resting_bids += remaining,
                BookSide::Ask => x.resting_asks += remaining,
            }
        }
    }
    x
}

#[cfg(test)]
#[path = "admission_tests.rs"]
mod tests;
