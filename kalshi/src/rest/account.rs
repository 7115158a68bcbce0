//! Rate-limit responses: the account's tier and token buckets (`GET /account/limits`) and
//! the per-endpoint token costs (`GET /account/endpoint_costs`). The gateway sizes its token
//! buckets from them; [`crate::limits`] holds the documented defaults and builds these same
//! types for the simulator.
//!
//! Source: kalshi-api.md §5 (OAS `GetAccountApiLimitsResponse`, `BucketLimit`,
//! `GetAccountEndpointCostsResponse`).

use std::fmt;

use serde::{Deserialize, Serialize};

use super::de::null_default;
use crate::{limits::Tier, types::wire_enum};

wire_enum!(
    /// Why a tier was granted.
    open GrantSource {
        /// Earned by trailing-30-day volume.
        Volume => "volume",
        /// Granted by Kalshi staff.
        Manual => "manual",
    }
);

/// One token bucket: refilled at `refill_rate` tokens per second up to `bucket_capacity`.
///
/// ```json
/// {"refill_rate":100,"bucket_capacity":100}
/// ```
///
/// Source: OAS `BucketLimit`, <https://docs.kalshi.com/openapi.yaml>. Integers in the
/// doc's examples; a fractional rate would fail to decode (UNCERTAIN, none seen).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BucketLimit {
    /// Tokens added per second.
    pub refill_rate: u32,
    /// Most tokens the bucket holds (the burst).
    pub bucket_capacity: u32,
}

/// A tier grant on the account.
///
/// ```json
/// {"exchange_instance":"event_contract","level":"advanced","expires_ts":1780000000,
///  "source":"volume"}
/// ```
///
/// Source: OAS `GetAccountApiLimitsResponse.grants`. The type of `exchange_instance` and
/// the unit of `expires_ts` are not documented (UNCERTAIN): the first is kept verbatim, the
/// second is read as an integer (probably Unix seconds).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grant {
    /// The exchange instance the grant applies to, verbatim.
    #[serde(default)]
    pub exchange_instance: serde_json::Value,
    /// The granted tier.
    pub level: Tier,
    /// When the grant lapses, if it does (integer Unix time, probably seconds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_ts: Option<i64>,
    /// `volume` or `manual`.
    pub source: GrantSource,
}

/// `GET /account/limits` (auth): the account's tier and both buckets.
///
/// ```json
/// {"usage_tier":"basic","read":{"refill_rate":200,"bucket_capacity":200},
///  "write":{"refill_rate":100,"bucket_capacity":100},"grants":[]}
/// ```
///
/// Source: OAS `GetAccountApiLimitsResponse`, <https://docs.kalshi.com/openapi.yaml>.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GetAccountLimitsResponse {
    /// The tier in force.
    pub usage_tier: Tier,
    /// The read bucket (GETs and everything not routed to write).
    pub read: BucketLimit,
    /// The write bucket (order create, cancel, amend, decrease, batches, order groups).
    pub write: BucketLimit,
    /// Tier grants.
    #[serde(default, deserialize_with = "null_default")]
    pub grants: Vec<Grant>,
}

/// One non-default endpoint cost.
///
/// ```json
/// {"method":"DELETE","path":"/portfolio/events/orders/{order_id}","cost":2}
/// ```
///
/// Whether `path` carries the `/trade-api/v2` prefix is not documented (UNCERTAIN); readers
/// strip it when present ([`crate::limits::EndpointCosts::from_response`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndpointCost {
    /// HTTP method, upper case.
    pub method: String,
    /// Path template.
    pub path: String,
    /// Tokens per request (per item for the batch endpoints).
    pub cost: u32,
}

/// `GET /account/endpoint_costs` (no auth): the default cost and every exception.
///
/// ```json
/// {"default_cost":10,"endpoint_costs":[{"method":"DELETE",
///  "path":"/portfolio/events/orders/{order_id}","cost":2}]}
/// ```
///
/// Source: OAS `GetAccountEndpointCostsResponse`, <https://docs.kalshi.com/openapi.yaml>.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GetEndpointCostsResponse {
    /// Cost of every endpoint not listed.
    pub default_cost: u32,
    /// The exceptions.
    #[serde(default, deserialize_with = "null_default")]
    pub endpoint_costs: Vec<EndpointCost>,
}
