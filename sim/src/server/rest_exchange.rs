//! Exchange-wide endpoints: trading status, the weekly schedule with maintenance windows,
//! and the portfolio-data watermark.
//!
//! Choices where Kalshi is silent: the simulator trades around the clock (one session
//! 00:00–23:59 ET every day from 2020 to 2099); its maintenance windows are the configured
//! ones; its portfolio data never lags, so the watermark is now.

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{NaiveTime, TimeZone, Utc};
use kalshi::rest::{
    DailySession, Endpoint as E, ExchangeStatus, GetExchangeScheduleResponse,
    GetUserDataTimestampResponse, Schedule, StandardHours,
};

use super::{error::SimError, gate::admit, respond::json, state::Shared};

/// `GET /exchange/status`.
pub async fn exchange_status(
    shared: web::Data<Shared>,
    req: HttpRequest,
) -> Result<HttpResponse, SimError> {
    admit(&shared, &req, E::GetExchangeStatus, 1).await?;
    let trading = shared.read_core(|c| c.exchange.trading_active()).0;
    Ok(json(
        200,
        &ExchangeStatus {
            exchange_active: true,
            trading_active: trading,
            intra_exchange_transfers_active: Some(true),
            exchange_estimated_resume_time: None,
            exchange_index_statuses: Vec::new(),
        },
    ))
}

/// `GET /exchange/schedule`: open around the clock; no maintenance windows unless configured.
pub async fn exchange_schedule(
    shared: web::Data<Shared>,
    req: HttpRequest,
) -> Result<HttpResponse, SimError> {
    admit(&shared, &req, E::GetExchangeSchedule, 1).await?;
    let day = || {
        vec![DailySession {
            open_time: NaiveTime::from_hms_opt(0, 0, 0).unwrap_or_default(),
            close_time: NaiveTime::from_hms_opt(23, 59, 0).unwrap_or_default(),
        }]
    };
    let start = Utc
        .with_ymd_and_hms(2020, 1, 1, 0, 0, 0)
        .single()
        .unwrap_or_default();
    let end = Utc
        .with_ymd_and_hms(2099, 12, 31, 0, 0, 0)
        .single()
        .unwrap_or_default();
    Ok(json(
        200,
        &GetExchangeScheduleResponse {
            schedule: Schedule {
                standard_hours: vec![StandardHours {
                    start_time: start,
                    end_time: end,
                    monday: day(),
                    tuesday: day(),
                    wednesday: day(),
                    thursday: day(),
                    friday: day(),
                    saturday: day(),
                    sunday: day(),
                }],
                maintenance_windows: shared.config.maintenance_windows.clone(),
            },
        },
    ))
}

/// `GET /exchange/user_data_timestamp`: the simulator's portfolio data never lags.
pub async fn user_data_timestamp(
    shared: web::Data<Shared>,
    req: HttpRequest,
) -> Result<HttpResponse, SimError> {
    admit(&shared, &req, E::GetUserDataTimestamp, 1).await?;
    Ok(json(
        200,
        &GetUserDataTimestampResponse {
            as_of_time: shared.clock.now(),
        },
    ))
}
