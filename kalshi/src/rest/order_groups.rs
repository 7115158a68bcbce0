//! Order groups (signed): a contracts limit shared by the orders placed with the group's id,
//! measured over a rolling 15-second window. When the group's fills reach it the group
//! triggers: its resting orders are canceled and new orders in it are refused until it is
//! reset (kalshi-api.md §3.4; docs.kalshi.com "Order Groups"). Endpoints under
//! `/portfolio/order_groups`: create, list, get, update the limit, trigger, reset, delete; the
//! last four answer an empty object ([`EmptyResponse`]).
//!
//! Source: `kalshi/tests/fixtures/kalshi-openapi.json` (`CreateOrderGroupRequest`,
//! `CreateOrderGroupResponse`, `UpdateOrderGroupLimitRequest`, `GetOrderGroupResponse`,
//! `GetOrderGroupsResponse`, `OrderGroup`; the SDK's `order_groups_api`).

use serde::{Deserialize, Serialize};

use super::{de::null_default, orders::BodyError};
use crate::{Count, OrderId};

/// Most contracts a group's limit may be (Kalshi's order-groups page: 1–1,000,000).
pub const MAX_CONTRACTS_LIMIT: Count = Count::from_whole(1_000_000);

/// The limit of a create or update body: `contracts_limit` (whole contracts) or
/// `contracts_limit_fp`; when both are sent they must match; 1 to [`MAX_CONTRACTS_LIMIT`].
fn limit_of(whole: Option<i64>, fp: Option<Count>) -> Result<Count, BodyError> {
    let limit = match (whole.map(Count::from_whole), fp) {
        (Some(a), Some(b)) if a != b => {
            return Err(BodyError::new(
                "contracts_limit",
                format!("contracts_limit {a} and contracts_limit_fp {b} differ"),
            ));
        }
        (Some(l), _) | (None, Some(l)) => l,
        (None, None) => {
            return Err(BodyError::new(
                "contracts_limit",
                "give contracts_limit or contracts_limit_fp",
            ));
        }
    };
    if limit < Count::ONE || limit > MAX_CONTRACTS_LIMIT {
        return Err(BodyError::new(
            "contracts_limit",
            format!("{limit} is not within 1 to {MAX_CONTRACTS_LIMIT}"),
        ));
    }
    Ok(limit)
}

/// `POST /portfolio/order_groups/create` body.
///
/// ```json
/// {"contracts_limit":10}
/// ```
///
/// Source: OAS `CreateOrderGroupRequest`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateOrderGroupRequest {
    /// Subaccount 0–63 owning the group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subaccount: Option<u32>,
    /// The limit in whole contracts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contracts_limit: Option<i64>,
    /// The limit as a fixed-point count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contracts_limit_fp: Option<Count>,
    /// Exchange shard.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exchange_index: Option<i32>,
}

impl CreateOrderGroupRequest {
    /// The limit the body sets, checked.
    pub fn limit(&self) -> Result<Count, BodyError> {
        limit_of(self.contracts_limit, self.contracts_limit_fp)
    }
}

/// `POST /portfolio/order_groups/create` → 201.
///
/// ```json
/// {"order_group_id":"og-1","subaccount":0,"exchange_index":0}
/// ```
///
/// Source: OAS `CreateOrderGroupResponse`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateOrderGroupResponse {
    /// The new group's id.
    pub order_group_id: String,
    /// The subaccount owning it.
    #[serde(default)]
    pub subaccount: u32,
    /// Exchange shard.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exchange_index: Option<i32>,
}

/// `PUT /portfolio/order_groups/{order_group_id}/limit` body.
///
/// ```json
/// {"contracts_limit_fp":"20.00"}
/// ```
///
/// Source: OAS `UpdateOrderGroupLimitRequest`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpdateOrderGroupLimitRequest {
    /// The new limit in whole contracts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contracts_limit: Option<i64>,
    /// The new limit as a fixed-point count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contracts_limit_fp: Option<Count>,
}

impl UpdateOrderGroupLimitRequest {
    /// The limit the body sets, checked.
    pub fn limit(&self) -> Result<Count, BodyError> {
        limit_of(self.contracts_limit, self.contracts_limit_fp)
    }
}

/// `GET /portfolio/order_groups/{order_group_id}`: the group's limit and every order placed
/// in it.
///
/// ```json
/// {"is_auto_cancel_enabled":true,"contracts_limit_fp":"10.00",
///  "orders":["ee587a1c-8b87-4dcf-b721-9f6f790619fa"],"exchange_index":0}
/// ```
///
/// Source: OAS `GetOrderGroupResponse`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GetOrderGroupResponse {
    /// Whether reaching the limit cancels the group's orders.
    pub is_auto_cancel_enabled: bool,
    /// The limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contracts_limit_fp: Option<Count>,
    /// The ids of the group's orders.
    #[serde(default, deserialize_with = "null_default")]
    pub orders: Vec<OrderId>,
    /// Exchange shard.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exchange_index: Option<i32>,
}

/// One group in [`GetOrderGroupsResponse`].
///
/// ```json
/// {"id":"og-1","contracts_limit_fp":"10.00","is_auto_cancel_enabled":true,"exchange_index":0}
/// ```
///
/// Source: OAS `OrderGroup`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderGroup {
    /// The group's id.
    pub id: String,
    /// The limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contracts_limit_fp: Option<Count>,
    /// Whether reaching the limit cancels the group's orders.
    pub is_auto_cancel_enabled: bool,
    /// Exchange shard.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exchange_index: Option<i32>,
}

/// `GET /portfolio/order_groups` (not paginated).
///
/// ```json
/// {"order_groups":[{"id":"og-1",...}]}
/// ```
///
/// Source: OAS `GetOrderGroupsResponse`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GetOrderGroupsResponse {
    /// The account's groups (`null` reads as none).
    #[serde(default, deserialize_with = "null_default")]
    pub order_groups: Vec<OrderGroup>,
}

/// The `{}` the order-group writes answer (limit, trigger, reset, delete; the schema types
/// it a free `object`). Any fields Kalshi adds are ignored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct EmptyResponse {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_limit_is_whole_or_fixed_point_and_both_must_agree() {
        let body = |whole: Option<i64>, fp: Option<&str>| CreateOrderGroupRequest {
            contracts_limit: whole,
            contracts_limit_fp: fp.map(|s| Count::parse(s).unwrap()),
            ..CreateOrderGroupRequest::default()
        };
        assert_eq!(body(Some(10), None).limit(), Ok(Count::from_whole(10)));
        assert_eq!(
            body(None, Some("2.50")).limit(),
            Ok(Count::parse("2.5").unwrap())
        );
        assert_eq!(
            body(Some(3), Some("3.00")).limit(),
            Ok(Count::from_whole(3))
        );
        for bad in [
            body(None, None),
            body(Some(3), Some("4")),
            body(Some(0), None),
            body(None, Some("0.50")),
            body(Some(1_000_001), None),
        ] {
            assert!(bad.limit().is_err(), "{bad:?}");
        }
        let update: UpdateOrderGroupLimitRequest =
            serde_json::from_str(r#"{"contracts_limit_fp":"20.00"}"#).unwrap();
        assert_eq!(update.limit(), Ok(Count::from_whole(20)));
        assert!(serde_json::from_str::<UpdateOrderGroupLimitRequest>(r#"{"limit":1}"#).is_err());
    }
}
