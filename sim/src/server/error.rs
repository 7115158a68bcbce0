//! [`SimError`]: every refusal the simulator answers, rendered as Kalshi renders it — the
//! wrapped `{"error":{"code","message","details"}}` body, the flat
//! `{"code":"bad_request",…}` one for a body that cannot be parsed, or
//! `{"error":"too many requests"}` for 429 (with `Retry-After` only when the fault switch
//! adds it).

use std::fmt;

use actix_web::{HttpResponse, ResponseError, http::StatusCode};
use kalshi::error::{ErrorBody, codes};

use crate::engine::Reject;

/// An HTTP error answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimError {
    /// Status code.
    pub status: u16,
    /// Body.
    pub body: ErrorBody,
    /// `Retry-After` seconds, for 429s when the switch is on.
    pub retry_after_s: Option<u32>,
}

impl SimError {
    /// A wrapped error body with a status.
    pub fn new(status: u16, code: &str, message: impl AsRef<str>) -> SimError {
        SimError {
            status,
            body: ErrorBody::wrapped(code, message.as_ref(), None),
            retry_after_s: None,
        }
    }

    /// 400 with the flat `{"code":"bad_request","message":"bad request","details":…}` body
    /// Kalshi sends for a request body it cannot parse.
    pub fn unparsable(details: impl AsRef<str>) -> SimError {
        SimError {
            status: 400,
            body: ErrorBody::flat(codes::BAD_REQUEST, "bad request", Some(details.as_ref())),
            retry_after_s: None,
        }
    }

    /// A wrapped error body with a status and details.
    pub fn with_details(
        status: u16,
        code: &str,
        message: impl AsRef<str>,
        details: impl AsRef<str>,
    ) -> SimError {
        SimError {
            status,
            body: ErrorBody::wrapped(code, message.as_ref(), Some(details.as_ref())),
            retry_after_s: None,
        }
    }

    /// 400 `bad_request` naming what was wrong with the input.
    pub fn bad_request(message: impl AsRef<str>) -> SimError {
        SimError::new(400, "bad_request", message)
    }

    /// 401 `unauthorized`.
    pub fn unauthorized(message: impl AsRef<str>) -> SimError {
        SimError::new(401, "unauthorized", message)
    }

    /// 404 `not_found`.
    pub fn not_found(message: impl AsRef<str>) -> SimError {
        SimError::new(404, "not_found", message)
    }

    /// 429 with Kalshi's body.
    pub fn too_many_requests(retry_after_s: Option<u32>) -> SimError {
        SimError {
            status: 429,
            body: ErrorBody::too_many_requests(),
            retry_after_s,
        }
    }
}

impl From<Reject> for SimError {
    fn from(r: Reject) -> SimError {
        SimError {
            status: r.status,
            body: ErrorBody::wrapped(r.code, &r.message, r.details.as_deref()),
            retry_after_s: None,
        }
    }
}

impl fmt::Display for SimError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HTTP {}", self.status)
    }
}

impl ResponseError for SimError {
    fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    fn error_response(&self) -> HttpResponse {
        let mut resp = HttpResponse::build(self.status_code());
        resp.content_type("application/json");
        if let Some(s) = self.retry_after_s {
            resp.insert_header(("Retry-After", s.to_string()));
        }
        resp.body(self.body.to_json())
    }
}

impl actix_web::Responder for SimError {
    type Body = actix_web::body::BoxBody;

    fn respond_to(self, _req: &actix_web::HttpRequest) -> HttpResponse {
        self.error_response()
    }
}
