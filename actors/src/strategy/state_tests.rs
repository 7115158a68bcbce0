//! Tests of the strategy's state: each reason to be idle, their order, the order manager's
//! say, forecast staleness by source, and the metrics form.

use chrono::TimeZone;

use super::*;

fn trading_inputs() -> StateInputs {
    StateInputs {
        enabled: true,
        positions_known: true,
        blackout: false,
        forecast: ForecastStatus::Fresh,
        markets_priced: 3,
        books_fresh: 5,
        books_stale: 0,
    }
}

#[test]
fn each_reason_to_be_idle_is_named_and_nothing_else_is_idle() {
    let base = trading_inputs();
    let idle = |r| StrategyState::Idle(r);
    let cases = [
        (base, StrategyState::Trading),
        (
            StateInputs {
                enabled: false,
                ..base
            },
            idle(IdleReason::Disabled),
        ),
        (
            StateInputs {
                positions_known: false,
                ..base
            },
            idle(IdleReason::WaitingForReconciliation),
        ),
        (
            StateInputs {
                blackout: true,
                ..base
            },
            idle(IdleReason::Blackout),
        ),
        (
            StateInputs {
                forecast: ForecastStatus::Missing,
                ..base
            },
            idle(IdleReason::NoForecast),
        ),
        (
            StateInputs {
                forecast: ForecastStatus::Stale,
                ..base
            },
            idle(IdleReason::ForecastStale),
        ),
        (
            StateInputs {
                books_fresh: 0,
                ..base
            },
            idle(IdleReason::NoBooks),
        ),
        (
            StateInputs {
                books_fresh: 0,
                books_stale: 4,
                ..base
            },
            idle(IdleReason::BooksStale),
        ),
        (
            StateInputs {
                markets_priced: 0,
                ..base
            },
            idle(IdleReason::NoMarketPriced),
        ),
        // Some books stale, some fresh: still trading on the fresh ones.
        (
            StateInputs {
                books_stale: 4,
                ..base
            },
            StrategyState::Trading,
        ),
        // A strategy that does not price from the forecast trades without one.
        (
            StateInputs {
                forecast: ForecastStatus::NotNeeded,
                markets_priced: 0,
                ..base
            },
            StrategyState::Trading,
        ),
    ];
    for (inputs, want) in cases {
        assert_eq!(strategy_state(&inputs), want, "{inputs:?}");
    }
}

#[test]
fn the_first_reason_that_holds_is_the_one_reported() {
    let all_wrong = StateInputs {
        enabled: true,
        positions_known: true,
        blackout: true,
        forecast: ForecastStatus::Missing,
        markets_priced: 0,
        books_fresh: 0,
        books_stale: 3,
    };
    assert_eq!(
        strategy_state(&all_wrong),
        StrategyState::Idle(IdleReason::Blackout)
    );
    let no_forecast_no_books = StateInputs {
        blackout: false,
        ..all_wrong
    };
    assert_eq!(
        strategy_state(&no_forecast_no_books).to_string(),
        "idle: no forecast"
    );
}

#[test]
fn a_halt_or_a_reconciliation_comes_before_everything_but_disabled() {
    let trading = StrategyState::Trading;
    let no_forecast = StrategyState::Idle(IdleReason::NoForecast);
    let disabled = StrategyState::Idle(IdleReason::Disabled);
    assert_eq!(trading.with_orders(false, true), trading);
    assert_eq!(
        no_forecast.with_orders(true, true).to_string(),
        "idle: halted"
    );
    assert_eq!(
        trading.with_orders(false, false).to_string(),
        "idle: waiting for reconciliation"
    );
    assert_eq!(disabled.with_orders(true, false), disabled);
}

#[test]
fn an_open_meteo_forecast_goes_stale_after_two_refresh_periods_a_file_never() {
    let at = |h| Utc.with_ymd_and_hms(2026, 12, 2, h, 0, 0).unwrap();
    let meteo = ForecastConfig {
        refresh_s: 3600,
        ..ForecastConfig::default()
    };
    let status = |cfg: &ForecastConfig, uses, loaded, entries, now| {
        forecast_status(cfg, uses, loaded, entries, now)
    };
    assert_eq!(
        status(&meteo, true, None, 0, at(5)),
        ForecastStatus::Missing
    );
    assert_eq!(
        status(&meteo, true, Some(at(1)), 0, at(1)),
        ForecastStatus::Missing
    );
    assert_eq!(
        status(&meteo, true, Some(at(1)), 6, at(3)),
        ForecastStatus::Fresh
    );
    assert_eq!(
        status(&meteo, true, Some(at(1)), 6, at(4)),
        ForecastStatus::Stale
    );
    assert_eq!(
        status(&meteo, false, None, 0, at(4)),
        ForecastStatus::NotNeeded
    );
    let file = ForecastConfig {
        source: ForecastSource::File,
        ..meteo.clone()
    };
    assert_eq!(
        status(&file, true, Some(at(0)), 6, at(23)),
        ForecastStatus::Fresh
    );
    let none = ForecastConfig {
        source: ForecastSource::None,
        ..meteo
    };
    assert_eq!(
        status(&none, true, None, 0, at(1)),
        ForecastStatus::NotNeeded
    );
}

#[test]
fn the_report_sets_one_flag_and_names_the_state() {
    let r = StateReport::of(StrategyState::Idle(IdleReason::NoForecast));
    assert_eq!(r.state, "idle: no forecast");
    assert!(!r.trading);
    assert_eq!(r.idle.len(), IdleReason::ALL.len());
    assert_eq!(
        r.idle.iter().filter(|(_, on)| **on).collect::<Vec<_>>(),
        [(&"no_forecast", &true)]
    );
    let t = StateReport::of(StrategyState::Trading);
    assert_eq!(t.state, "trading");
    assert!(t.trading && t.idle.values().all(|on| !on));
}
