//! `GET /_sim/forecast/v1/ensemble`: a synthetic weather ensemble consistent with the
//! simulator's hidden truths, in the shape of Open-Meteo's `/v1/ensemble` daily answer, so the
//! engine's Open-Meteo forecast source can point at the simulator and find an edge.
//!
//! The city is the catalogue's nearest to `latitude`/`longitude`. For each day the city has an
//! event, 31 values (`temperature_2m_max` and `temperature_2m_max_member01..30`, °F) are drawn
//! from the event's hidden distribution with a generator seeded by the simulator's seed, the
//! city, the date and the model run — the same answer until the hidden mean drifts or
//! `POST /_sim/forecast/run` publishes the next run (`{"run": n}`), as a GFS cycle would.

use std::collections::BTreeMap;

use actix_web::{HttpResponse, web};
use rand::SeedableRng;
use rand_distr::{Distribution, Normal};
use serde::Deserialize;

use super::{error::SimError, respond::json, state::Shared};

/// Members besides the control run.
const MEMBERS: usize = 30;

#[derive(Deserialize)]
pub(super) struct EnsembleQuery {
    latitude: f64,
    longitude: f64,
}

/// `POST /_sim/forecast/run`: publishes the next model run; answers `{"run": n}`.
pub(super) async fn next_run(shared: web::Data<Shared>) -> HttpResponse {
    let run = shared
        .forecast_run
        .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        + 1;
    json(200, &serde_json::json!({ "run": run }))
}

/// The handler.
pub(super) async fn ensemble(
    shared: web::Data<Shared>,
    q: web::Query<EnsembleQuery>,
) -> Result<HttpResponse, SimError> {
    let cities = &shared.config.catalogue.cities;
    let distance = |c: &crate::catalogue::CitySpec| {
        (c.latitude - q.latitude).powi(2) + (c.longitude - q.longitude).powi(2)
    };
    let (city, spec) = cities
        .iter()
        .enumerate()
        .min_by(|a, b| distance(a.1).total_cmp(&distance(b.1)))
        .ok_or_else(|| SimError::not_found("the catalogue has no cities"))?;
    let days: BTreeMap<chrono::NaiveDate, (f64, f64)> = shared
        .read_core(|c| {
            c.world
                .events()
                .iter()
                .filter(|e| e.city == city)
                .map(|e| (e.date, (e.mu_f, e.sigma_f)))
                .collect()
        })
        .0;
    let mut daily: BTreeMap<String, serde_json::Value> = BTreeMap::new();
    daily.insert("time".into(), days.keys().map(|d| d.to_string()).collect());
    let mut columns: Vec<Vec<f64>> = (0..=MEMBERS)
        .map(|_| Vec::with_capacity(days.len()))
        .collect();
    for (date, (mu, sigma)) in &days {
        use chrono::Datelike;
        let run = shared
            .forecast_run
            .load(std::sync::atomic::Ordering::Relaxed);
        let seed = shared.config.seed
            ^ run.wrapping_mul(0x9e37_79b9_7f4a_7c15)
            ^ ((city as u64) << 32)
            ^ u64::try_from(date.num_days_from_ce()).unwrap_or(0);
        let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
        let normal =
            Normal::new(*mu, sigma.max(1e-9)).map_err(|e| SimError::bad_request(e.to_string()))?;
        for column in &mut columns {
            column.push((normal.sample(&mut rng) * 10.0).round() / 10.0);
        }
    }
    for (i, column) in columns.into_iter().enumerate() {
        let key = if i == 0 {
            "temperature_2m_max".to_string()
        } else {
            format!("temperature_2m_max_member{i:02}")
        };
        daily.insert(key, column.into());
    }
    let units: BTreeMap<&String, &str> = daily
        .keys()
        .map(|k| (k, if k == "time" { "iso8601" } else { "°F" }))
        .collect();
    Ok(json(
        200,
        &serde_json::json!({
            "latitude": spec.latitude,
            "longitude": spec.longitude,
            "utc_offset_seconds": 0,
            "timezone": "GMT",
            "daily_units": units,
            "daily": daily,
        }),
    ))
}
