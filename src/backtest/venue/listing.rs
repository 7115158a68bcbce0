//! A recorded market, listed on the backtest's venue: Kalshi's `Market` as the simulator's
//! [`MarketInfo`] (its strike, grid and times; the fee model from `[backtest] fee_type`,
//! since a market's fee model lives on its series, which a recording does not hold).

use kalshi::{
    SeriesTicker,
    fees::FeeType,
    rest::{Market, markets::StrikeType},
};
use kalshi_sim::engine::{MarketInfo, Strike};

/// The venue's view of `m`; `None` when its strike cannot be read (the venue then refuses
/// orders in it, as an unknown market).
pub fn market_info(m: &Market, fee_type: FeeType) -> Option<MarketInfo> {
    let series = m
        .event_ticker
        .as_str()
        .split('-')
        .next()
        .unwrap_or_default();
    Some(MarketInfo {
        ticker: m.ticker.clone(),
        event_ticker: m.event_ticker.clone(),
        series_ticker: SeriesTicker::new(series).ok()?,
        title: m.yes_sub_title.clone(),
        yes_sub_title: m.yes_sub_title.clone(),
        no_sub_title: m.no_sub_title.clone(),
        rules_primary: m.rules_primary.clone(),
        strike: strike(m)?,
        price_level_structure: m.price_level_structure.clone(),
        price_ranges: m.price_grid(),
        fee_type,
        created_time: m.created_time,
        open_time: m.open_time,
        close_time: m.close_time,
        latest_expiration_time: m.latest_expiration_time,
        settlement_timer_seconds: m.settlement_timer_seconds,
    })
}

/// The strike in the simulator's terms (any market without one is "greater than −∞": its
/// result comes from the recording anyway, never from the strike).
fn strike(m: &Market) -> Option<Strike> {
    let floor = m.floor_strike.map(|d| d.as_f64());
    let cap = m.cap_strike.map(|d| d.as_f64());
    Some(match m.strike_type {
        Some(StrikeType::Between) => Strike::Between {
            floor: floor?,
            cap: cap?,
        },
        Some(StrikeType::Less) => Strike::Less { cap: cap? },
        Some(StrikeType::Greater) => Strike::Greater { floor: floor? },
        _ => Strike::Greater {
            floor: f64::NEG_INFINITY,
        },
    })
}
