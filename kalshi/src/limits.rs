//! Rate-limit facts as data, shared by the gateway (which paces itself) and the simulator
//! (which enforces them): which token bucket each endpoint draws from, what it costs, and the
//! documented per-tier budgets.
//!
//! Kalshi's model (kalshi-api.md §5): two token buckets per account, **read** and **write**.
//! Every request deducts its endpoint's cost (default 10 tokens); a request needing more
//! tokens than the bucket holds gets `429 {"error":"too many requests"}` with no
//! `Retry-After`. The live values come from `GET /account/limits` and
//! `GET /account/endpoint_costs`; the constants below are the documented defaults and the
//! fallback when those calls fail. [`limits_for`] and [`endpoint_costs_response`] build those
//! responses for the simulator; [`EndpointCosts::from_response`] reads them back.
//! [`Tier`] itself is a wire type (`crate::rest::account`), re-exported here.
//!
//! Read-bucket capacity: §5 states burst sizes only for write buckets (2 s of budget, Basic
//! 1 s). We take the safe reading for reads — 1 s of budget ([`READ_BURST_SECS`]) — so a
//! client sized from these facts never bursts beyond what Kalshi allows.

use std::collections::HashMap;

/// An API usage tier. Defined with the wire types ([`crate::rest::account`]), since it is the
/// `usage_tier` of `GET /account/limits`; its documented budget ([`Tier::budget`]) is here.
pub use crate::rest::Tier;
use crate::rest::{
    API_PREFIX, BucketLimit, Endpoint, EndpointCost, GetAccountLimitsResponse,
    GetEndpointCostsResponse, Method,
};

/// Tokens an endpoint costs unless listed otherwise.
pub const DEFAULT_COST: u32 = 10;
/// `DELETE /portfolio/events/orders/{order_id}`.
pub const CANCEL_COST: u32 = 2;
/// `GET /portfolio/orders/{order_id}`.
pub const GET_ORDER_COST: u32 = 2;
/// `DELETE /portfolio/events/orders` (cancel all).
pub const CANCEL_ALL_COST: u32 = 2;
/// Each order of `POST /portfolio/events/orders/batched`.
pub const BATCH_CREATE_COST_PER_ORDER: u32 = 10;
/// Each order of `DELETE /portfolio/events/orders/batched`.
pub const BATCH_CANCEL_COST_PER_ORDER: u32 = 2;

/// Basic tier read refill, tokens/s (≈ 20 default-cost reads/s).
pub const BASIC_READ_TOKENS_PER_SEC: u32 = 200;
/// Basic tier write refill, tokens/s (≈ 10 creates/s).
pub const BASIC_WRITE_TOKENS_PER_SEC: u32 = 100;
/// Advanced tier read refill, tokens/s.
pub const ADVANCED_READ_TOKENS_PER_SEC: u32 = 300;
/// Advanced tier write refill, tokens/s.
pub const ADVANCED_WRITE_TOKENS_PER_SEC: u32 = 300;
/// Premier tier read refill, tokens/s.
pub const PREMIER_READ_TOKENS_PER_SEC: u32 = 1000;
/// Premier tier write refill, tokens/s.
pub const PREMIER_WRITE_TOKENS_PER_SEC: u32 = 1000;
/// Paragon tier read refill, tokens/s.
pub const PARAGON_READ_TOKENS_PER_SEC: u32 = 2000;
/// Paragon tier write refill, tokens/s.
pub const PARAGON_WRITE_TOKENS_PER_SEC: u32 = 2000;
/// Prime tier read refill, tokens/s.
pub const PRIME_READ_TOKENS_PER_SEC: u32 = 4000;
/// Prime tier write refill, tokens/s.
pub const PRIME_WRITE_TOKENS_PER_SEC: u32 = 4000;
/// Write bucket capacity of the Basic tier, in seconds of refill.
pub const BASIC_WRITE_BURST_SECS: u32 = 1;
/// Write bucket capacity of every other tier, in seconds of refill.
pub const WRITE_BURST_SECS: u32 = 2;
/// Read bucket capacity, in seconds of refill (undocumented; the safe reading).
pub const READ_BURST_SECS: u32 = 1;

/// The token bucket a request draws from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Bucket {
    /// GETs and everything not routed to write.
    Read,
    /// Order create, cancel, amend, decrease, batches, cancel all, order groups.
    Write,
}

impl Tier {
    /// The documented read and write refill rates, tokens/s; `None` for [`Tier::Other`].
    fn rates(&self) -> Option<(u32, u32)> {
        let rates = match self {
            Tier::Basic => (BASIC_READ_TOKENS_PER_SEC, BASIC_WRITE_TOKENS_PER_SEC),
            Tier::Advanced => (ADVANCED_READ_TOKENS_PER_SEC, ADVANCED_WRITE_TOKENS_PER_SEC),
            Tier::Premier => (PREMIER_READ_TOKENS_PER_SEC, PREMIER_WRITE_TOKENS_PER_SEC),
            Tier::Paragon => (PARAGON_READ_TOKENS_PER_SEC, PARAGON_WRITE_TOKENS_PER_SEC),
            Tier::Prime => (PRIME_READ_TOKENS_PER_SEC, PRIME_WRITE_TOKENS_PER_SEC),
            Tier::Other(_) => return None,
        };
        Some(rates)
    }

    /// The documented buckets of this tier; `None` for [`Tier::Other`].
    pub fn budget(&self) -> Option<TierBudget> {
        let (read, write) = self.rates()?;
        let write_secs = if *self == Tier::Basic {
            BASIC_WRITE_BURST_SECS
        } else {
            WRITE_BURST_SECS
        };
        Some(TierBudget {
            read: BucketLimit {
                refill_rate: read,
                bucket_capacity: read * READ_BURST_SECS,
            },
            write: BucketLimit {
                refill_rate: write,
                bucket_capacity: write * write_secs,
            },
        })
    }
}

/// The two buckets of a tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TierBudget {
    /// The read bucket.
    pub read: BucketLimit,
    /// The write bucket.
    pub write: BucketLimit,
}

impl Endpoint {
    /// The bucket this endpoint draws from: order writes use [`Bucket::Write`], all else read.
    pub fn bucket(self) -> Bucket {
        use Endpoint as E;
        match self {
            E::CreateOrder
            | E::CancelOrder
            | E::AmendOrder
            | E::DecreaseOrder
            | E::BatchCreateOrders
            | E::BatchCancelOrders
            | E::CancelAllOrders => Bucket::Write,
            _ => Bucket::Read,
        }
    }

    /// The documented cost of one request (per order for the batch endpoints).
    pub fn default_cost(self) -> u32 {
        match self {
            Endpoint::CancelOrder => CANCEL_COST,
            Endpoint::GetOrder => GET_ORDER_COST,
            Endpoint::CancelAllOrders => CANCEL_ALL_COST,
            Endpoint::BatchCreateOrders => BATCH_CREATE_COST_PER_ORDER,
            Endpoint::BatchCancelOrders => BATCH_CANCEL_COST_PER_ORDER,
            _ => DEFAULT_COST,
        }
    }

    /// Whether the cost is charged per item (the two batch endpoints).
    pub fn is_billed_per_item(self) -> bool {
        matches!(
            self,
            Endpoint::BatchCreateOrders | Endpoint::BatchCancelOrders
        )
    }
}

/// Multiplies a per-item cost; `items` below 1 counts as 1 so nothing is free.
fn scaled(endpoint: Endpoint, unit: u32, items: u32) -> u32 {
    if endpoint.is_billed_per_item() {
        unit.saturating_mul(items.max(1))
    } else {
        unit
    }
}

/// The documented token cost of a request; `items` is the batch size (ignored elsewhere).
pub fn cost(endpoint: Endpoint, items: u32) -> u32 {
    scaled(endpoint, endpoint.default_cost(), items)
}

/// `GET /account/limits` as Kalshi would answer for `tier`; `None` for an unknown tier.
pub fn limits_for(tier: &Tier) -> Option<GetAccountLimitsResponse> {
    let budget = tier.budget()?;
    Some(GetAccountLimitsResponse {
        usage_tier: tier.clone(),
        read: budget.read,
        write: budget.write,
        grants: Vec::new(),
    })
}

/// `GET /account/endpoint_costs` listing every endpoint whose documented cost differs from
/// [`DEFAULT_COST`] (per item for batch endpoints), with paths relative to [`API_PREFIX`].
pub fn endpoint_costs_response() -> GetEndpointCostsResponse {
    let endpoint_costs = Endpoint::ALL
        .iter()
        .filter(|e| e.default_cost() != DEFAULT_COST)
        .map(|e| EndpointCost {
            method: e.method().as_str().to_owned(),
            path: e.template().to_owned(),
            cost: e.default_cost(),
        })
        .collect();
    GetEndpointCostsResponse {
        default_cost: DEFAULT_COST,
        endpoint_costs,
    }
}

/// `/trade-api/v2/portfolio/orders/{id}/` → `/portfolio/orders/{}`: the prefix, a trailing
/// slash and placeholder names do not matter for lookups.
fn normalize(path: &str) -> String {
    let path = path.strip_prefix(API_PREFIX).unwrap_or(path);
    let path = path.strip_suffix('/').unwrap_or(path);
    let mut out = String::with_capacity(path.len());
    let mut in_param = false;
    for c in path.chars() {
        if c == '}' {
            in_param = false;
        }
        if !in_param {
            out.push(c);
        }
        if c == '{' {
            in_param = true;
        }
    }
    out
}

/// Endpoint costs looked up by method and path template, from `GET /account/endpoint_costs`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointCosts {
    default_cost: u32,
    costs: HashMap<(Method, String), u32>,
}

impl EndpointCosts {
    /// Reads a response. Methods are matched case-insensitively (unknown ones are skipped);
    /// paths with or without [`API_PREFIX`], and with any placeholder names, match.
    pub fn from_response(response: &GetEndpointCostsResponse) -> EndpointCosts {
        let costs = response
            .endpoint_costs
            .iter()
            .filter_map(|c| Some(((Method::from_name(&c.method)?, normalize(&c.path)), c.cost)))
            .collect();
        EndpointCosts {
            default_cost: response.default_cost,
            costs,
        }
    }

    /// The documented costs ([`endpoint_costs_response`]).
    pub fn documented() -> EndpointCosts {
        EndpointCosts::from_response(&endpoint_costs_response())
    }

    /// The cost listed for `method` + `path_template`, else the default.
    pub fn cost_of(&self, method: Method, path_template: &str) -> u32 {
        self.costs
            .get(&(method, normalize(path_template)))
            .copied()
            .unwrap_or(self.default_cost)
    }

    /// The cost of a request to `endpoint`; `items` is the batch size (ignored elsewhere).
    pub fn cost(&self, endpoint: Endpoint, items: u32) -> u32 {
        scaled(
            endpoint,
            self.cost_of(endpoint.method(), endpoint.template()),
            items,
        )
    }
}

impl Default for EndpointCosts {
    fn default() -> Self {
        EndpointCosts::documented()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn costs_and_buckets_match_the_doc() {
        let cases = [
            (Endpoint::CreateOrder, 1, 10, Bucket::Write),
            (Endpoint::CancelOrder, 1, 2, Bucket::Write),
            (Endpoint::AmendOrder, 1, 10, Bucket::Write),
            (Endpoint::DecreaseOrder, 1, 10, Bucket::Write),
            (Endpoint::BatchCreateOrders, 5, 50, Bucket::Write),
            (Endpoint::BatchCancelOrders, 5, 10, Bucket::Write),
            (Endpoint::CancelAllOrders, 1, 2, Bucket::Write),
            (Endpoint::GetOrder, 1, 2, Bucket::Read),
            (Endpoint::GetOrders, 1, 10, Bucket::Read),
            (Endpoint::GetMarkets, 7, 10, Bucket::Read),
        ];
        for (e, items, want, bucket) in cases {
            assert_eq!((cost(e, items), e.bucket()), (want, bucket), "{e:?}");
            assert_eq!(EndpointCosts::documented().cost(e, items), want, "{e:?}");
        }
        assert_eq!(cost(Endpoint::BatchCancelOrders, 0), 2);
    }

    #[test]
    fn tier_budgets() {
        let basic = Tier::Basic.budget().unwrap();
        assert_eq!(
            (basic.read.refill_rate, basic.read.bucket_capacity),
            (200, 200)
        );
        assert_eq!(
            (basic.write.refill_rate, basic.write.bucket_capacity),
            (100, 100)
        );
        let prime = Tier::from_wire("Prime").budget().unwrap();
        assert_eq!(
            (prime.write.refill_rate, prime.write.bucket_capacity),
            (4000, 8000)
        );
        assert_eq!(Tier::from_wire("expert"), Tier::Other("expert".into()));
        assert!(limits_for(&Tier::Other("expert".into())).is_none());
    }

    #[test]
    fn lookups_ignore_prefix_case_and_placeholder_names() {
        let response = GetEndpointCostsResponse {
            default_cost: 12,
            endpoint_costs: vec![EndpointCost {
                method: "delete".into(),
                path: "/trade-api/v2/portfolio/events/orders/{id}/".into(),
                cost: 3,
            }],
        };
        let costs = EndpointCosts::from_response(&response);
        assert_eq!(costs.cost(Endpoint::CancelOrder, 1), 3);
        assert_eq!(costs.cost(Endpoint::GetMarkets, 1), 12);
        assert_eq!(
            normalize("/markets/{ticker}/orderbook"),
            "/markets/{}/orderbook"
        );
    }
}
