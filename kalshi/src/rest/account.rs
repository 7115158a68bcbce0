//! Rate-limit responses: the account's [`Tier`] and token buckets (`GET /account/limits`) and
//! the per-endpoint token costs (`GET /account/endpoint_costs`). The gateway sizes its token
//! buckets from them; [`crate::limits`] holds the documented defaults and builds these same
//! types for the simulator.
//!
//! Source: kalshi-api.md §5 (OAS `GetAccountApiLimitsResponse`, `BucketLimit`,
//! `GetAccountEndpointCostsResponse`).

use std::fmt;

use serde::{Deserialize, Serialize};

use super::de::null_default;
use crate::types::wire_enum;

/// An API usage tier (`usage_tier`, grant `level`). Kalshi also names Expert and Prestige,
/// whose budgets are undocumented: they decode to [`Tier::Other`]. The wire spelling is
/// assumed lower case (UNCERTAIN); reading ignores case. The documented budgets are
/// [`Tier::budget`], in [`crate::limits`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Tier {
    /// 200 read / 100 write tokens/s.
    Basic,
    /// 300 / 300.
    Advanced,
    /// 1000 / 1000.
    Premier,
    /// 2000 / 2000.
    Paragon,
    /// 4000 / 4000.
    Prime,
    /// Any other tier, kept verbatim.
    Other(String),
}

impl Tier {
    /// The documented tiers and their wire names.
    const NAMED: [(Tier, &'static str); 5] = [
        (Tier::Basic, "basic"),
        (Tier::Advanced, "advanced"),
        (Tier::Premier, "premier"),
        (Tier::Paragon, "paragon"),
        (Tier::Prime, "prime"),
    ];

    /// The wire name.
    pub fn as_str(&self) -> &str {
        match self {
            Tier::Other(s) => s,
            known => Self::NAMED
                .iter()
                .find(|(t, _)| t == known)
                .map_or("", |k| k.1),
        }
    }

    /// Reads a tier name, ignoring case; never fails.
    pub fn from_wire(s: &str) -> Tier {
        Self::NAMED
            .iter()
            .find(|k| k.1.eq_ignore_ascii_case(s))
            .map_or_else(|| Tier::Other(s.to_owned()), |k| k.0.clone())
    }
}

impl fmt::Display for Tier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Tier {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Tier {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Ok(Tier::from_wire(&s))
    }
}

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
