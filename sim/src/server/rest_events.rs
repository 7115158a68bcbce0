//! Event endpoints beyond the event itself (all public): scheduled fee changes of series and
//! events (`GET /series/fee_changes`, `GET /events/fee_changes`) and an event's metadata
//! (`GET /events/{event_ticker}/metadata`).
//!
//! Choices where Kalshi is silent:
//! - the simulator never changes a fee, so both fee-change lists are empty — with any filter,
//!   `show_historical` or not, for tickers it lists or not (UNCERTAIN: Kalshi may answer 404
//!   for an unknown series); the parameters are checked as documented;
//! - metadata: the simulator has no images, so every `image_url` is `""` and there is no
//!   `featured_image_url`; each market gets a colour from a fixed palette in strike order
//!   (the lowest tail first); the settlement sources are the event's; no competition.

use actix_web::{HttpRequest, HttpResponse, web};
use kalshi::rest::{
    Endpoint as E, GetEventFeeChangesParams, GetEventFeeChangesResponse, GetEventMetadataResponse,
    GetSeriesFeeChangesParams, GetSeriesFeeChangesResponse, MarketMetadata,
};

use super::{
    error::SimError,
    gate::admit,
    respond::{invalid_query, json},
    rest_markets::{event_settlement_sources, find_event},
    state::Shared,
};

/// Colours of an event's markets, in strike order, repeating past the last.
const MARKET_COLOURS: [&str; 6] = [
    "#1F77B4", "#FF7F0E", "#2CA02C", "#D62728", "#9467BD", "#8C564B",
];

/// `GET /series/fee_changes`: none, the simulator never changes fees.
pub async fn series_fee_changes(
    shared: web::Data<Shared>,
    req: HttpRequest,
) -> Result<HttpResponse, SimError> {
    admit(&shared, &req, E::GetSeriesFeeChanges, 1).await?;
    GetSeriesFeeChangesParams::parse_valid(req.query_string()).map_err(invalid_query)?;
    Ok(json(
        200,
        &GetSeriesFeeChangesResponse {
            series_fee_change_arr: Vec::new(),
        },
    ))
}

/// `GET /events/fee_changes`: none, the simulator never changes fees.
pub async fn event_fee_changes(
    shared: web::Data<Shared>,
    req: HttpRequest,
) -> Result<HttpResponse, SimError> {
    admit(&shared, &req, E::GetEventFeeChanges, 1).await?;
    GetEventFeeChangesParams::parse_valid(req.query_string()).map_err(invalid_query)?;
    Ok(json(
        200,
        &GetEventFeeChangesResponse {
            event_fee_changes: Vec::new(),
            cursor: String::new(),
        },
    ))
}

/// `GET /events/{event_ticker}/metadata`.
pub async fn event_metadata(
    shared: web::Data<Shared>,
    req: HttpRequest,
    ticker: web::Path<String>,
) -> Result<HttpResponse, SimError> {
    admit(&shared, &req, E::GetEventMetadata, 1).await?;
    let found = shared
        .read_core(|c| {
            let event = find_event(c, &ticker)?;
            let market_details = event
                .markets
                .iter()
                .zip(MARKET_COLOURS.iter().cycle())
                .map(|(t, colour)| MarketMetadata {
                    market_ticker: t.clone(),
                    image_url: String::new(),
                    color_code: (*colour).to_owned(),
                })
                .collect();
            Some(GetEventMetadataResponse {
                image_url: String::new(),
                featured_image_url: None,
                market_details,
                settlement_sources: event_settlement_sources(),
                competition: None,
                competition_scope: None,
            })
        })
        .0;
    let resp = found.ok_or_else(|| SimError::not_found(format!("event {ticker} not found")))?;
    Ok(json(200, &resp))
}
