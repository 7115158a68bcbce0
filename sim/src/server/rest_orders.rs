//! V2 order endpoints: create, cancel, amend, decrease, batch create, batch cancel, cancel all.

use actix_web::{HttpRequest, HttpResponse, web};

use super::{error::SimError, state::Shared};

fn todo() -> SimError {
    SimError::new(501, "not_implemented", "not implemented yet")
}

/// `POST /portfolio/events/orders`.
pub async fn create(_s: web::Data<Shared>, _r: HttpRequest) -> Result<HttpResponse, SimError> {
    Err(todo())
}
/// `DELETE /portfolio/events/orders`.
pub async fn cancel_all(_s: web::Data<Shared>, _r: HttpRequest) -> Result<HttpResponse, SimError> {
    Err(todo())
}
/// `POST /portfolio/events/orders/batched`.
pub async fn batch_create(
    _s: web::Data<Shared>,
    _r: HttpRequest,
) -> Result<HttpResponse, SimError> {
    Err(todo())
}
/// `DELETE /portfolio/events/orders/batched`.
pub async fn batch_cancel(
    _s: web::Data<Shared>,
    _r: HttpRequest,
) -> Result<HttpResponse, SimError> {
    Err(todo())
}
/// `DELETE /portfolio/events/orders/{order_id}`.
pub async fn cancel(_s: web::Data<Shared>, _r: HttpRequest) -> Result<HttpResponse, SimError> {
    Err(todo())
}
/// `POST /portfolio/events/orders/{order_id}/amend`.
pub async fn amend(_s: web::Data<Shared>, _r: HttpRequest) -> Result<HttpResponse, SimError> {
    Err(todo())
}
/// `POST /portfolio/events/orders/{order_id}/decrease`.
pub async fn decrease(_s: web::Data<Shared>, _r: HttpRequest) -> Result<HttpResponse, SimError> {
    Err(todo())
}
