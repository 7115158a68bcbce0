//! Portfolio endpoints: balance, positions, fills, settlements, orders (list and one).

use actix_web::{HttpRequest, HttpResponse, web};

use super::{error::SimError, state::Shared};

fn todo() -> SimError {
    SimError::new(501, "not_implemented", "not implemented yet")
}

/// `GET /portfolio/balance`.
pub async fn balance(_s: web::Data<Shared>, _r: HttpRequest) -> Result<HttpResponse, SimError> {
    Err(todo())
}
/// `GET /portfolio/positions`.
pub async fn positions(_s: web::Data<Shared>, _r: HttpRequest) -> Result<HttpResponse, SimError> {
    Err(todo())
}
/// `GET /portfolio/fills`.
pub async fn fills(_s: web::Data<Shared>, _r: HttpRequest) -> Result<HttpResponse, SimError> {
    Err(todo())
}
/// `GET /portfolio/settlements`.
pub async fn settlements(_s: web::Data<Shared>, _r: HttpRequest) -> Result<HttpResponse, SimError> {
    Err(todo())
}
/// `GET /portfolio/orders`.
pub async fn orders(_s: web::Data<Shared>, _r: HttpRequest) -> Result<HttpResponse, SimError> {
    Err(todo())
}
/// `GET /portfolio/orders/{order_id}`.
pub async fn order(_s: web::Data<Shared>, _r: HttpRequest) -> Result<HttpResponse, SimError> {
    Err(todo())
}
