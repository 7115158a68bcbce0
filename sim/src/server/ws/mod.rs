//! WebSocket sessions at `/trade-api/ws/v2`.

use actix_web::{HttpRequest, HttpResponse, web};

use super::{error::SimError, state::Shared};

/// Upgrades to a WebSocket session.
pub async fn connect(
    _s: web::Data<Shared>,
    _r: HttpRequest,
    _body: web::Payload,
) -> Result<HttpResponse, SimError> {
    Err(SimError::new(501, "not_implemented", "not implemented yet"))
}
