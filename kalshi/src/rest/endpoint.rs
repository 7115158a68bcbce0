//! [`Endpoint`]: every REST endpoint Tradewind or the simulator uses, as data — HTTP method,
//! path template relative to [`API_PREFIX`], whether it needs signed headers — plus
//! [`Endpoint::path_for`] / [`Endpoint::path_with`] to build the concrete path and
//! [`Endpoint::match_path`] to route a concrete request back to its endpoint. The prefix
//! itself is defined here too, so the table needs nothing from the rest of the module.
//!
//! Source: kalshi-api.md §3 (OAS paths, TS `*Api.md` "Authorization" sections); the paths
//! agree with the SDK-derived `kalshi/tests/fixtures/kalshi-openapi.json` (3.34.0), which the
//! `openapi_conformance` test checks.

use std::fmt;

/// Path prefix of every REST endpoint; signed as part of the path.
pub const API_PREFIX: &str = "/trade-api/v2";

/// An HTTP method used by the Trade API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Method {
    /// `GET`.
    Get,
    /// `POST`.
    Post,
    /// `PUT`.
    Put,
    /// `DELETE`.
    Delete,
}

impl Method {
    /// The upper-case name, as signed in the pre-sign string.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }

    /// Reads a method name, case-insensitively.
    pub fn from_name(s: &str) -> Option<Method> {
        [Method::Get, Method::Post, Method::Put, Method::Delete]
            .into_iter()
            .find(|m| m.as_str().eq_ignore_ascii_case(s))
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Declares the endpoint table once; everything else is derived from it.
macro_rules! endpoints {
    ($($(#[$doc:meta])* $name:ident => $method:ident $path:literal, auth = $auth:literal;)+) => {
        /// One REST endpoint of the Trade API (kalshi-api.md §3). Paths are templates relative
        /// to [`API_PREFIX`]; each `{name}` marks a path parameter.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Endpoint {
            $($(#[$doc])* $name,)+
        }

        impl Endpoint {
            /// Every endpoint, in declaration order.
            pub const ALL: &'static [Endpoint] = &[$(Endpoint::$name),+];

            /// The HTTP method.
            pub fn method(self) -> Method {
                match self { $(Endpoint::$name => Method::$method,)+ }
            }

            /// The path template relative to [`API_PREFIX`], e.g. `/markets/{ticker}/orderbook`.
            pub fn template(self) -> &'static str {
                match self { $(Endpoint::$name => $path,)+ }
            }

            /// Whether the request must carry the three `KALSHI-ACCESS-*` headers.
            pub fn requires_auth(self) -> bool {
                match self { $(Endpoint::$name => $auth,)+ }
            }
        }
    };
}

endpoints! {
    /// `GET /exchange/status` → [`ExchangeStatus`](super::ExchangeStatus).
    GetExchangeStatus => Get "/exchange/status", auth = false;
    /// `GET /exchange/schedule`
    /// → [`GetExchangeScheduleResponse`](super::GetExchangeScheduleResponse).
    GetExchangeSchedule => Get "/exchange/schedule", auth = false;
    /// `GET /exchange/user_data_timestamp`
    /// → [`GetUserDataTimestampResponse`](super::GetUserDataTimestampResponse).
    GetUserDataTimestamp => Get "/exchange/user_data_timestamp", auth = true;
    /// `GET /markets` → [`GetMarketsResponse`](super::GetMarketsResponse).
    GetMarkets => Get "/markets", auth = false;
    /// `GET /markets/orderbooks`
    /// → [`GetMarketOrderbooksResponse`](super::GetMarketOrderbooksResponse).
    GetMarketOrderbooks => Get "/markets/orderbooks", auth = true;
    /// `GET /markets/{ticker}` → [`GetMarketResponse`](super::GetMarketResponse).
    GetMarket => Get "/markets/{ticker}", auth = false;
    /// `GET /markets/{ticker}/orderbook`
    /// → [`GetMarketOrderbookResponse`](super::GetMarketOrderbookResponse).
    /// UNCERTAIN: the spec attaches auth, the orderbook guide says none; we always sign it.
    GetMarketOrderbook => Get "/markets/{ticker}/orderbook", auth = true;
    /// `GET /events` → [`GetEventsResponse`](super::GetEventsResponse).
    GetEvents => Get "/events", auth = false;
    /// `GET /events/{event_ticker}` → [`GetEventResponse`](super::GetEventResponse).
    GetEvent => Get "/events/{event_ticker}", auth = false;
    /// `GET /series` → [`GetSeriesListResponse`](super::GetSeriesListResponse).
    GetSeriesList => Get "/series", auth = false;
    /// `GET /series/{series_ticker}` → [`GetSeriesResponse`](super::GetSeriesResponse).
    GetSeries => Get "/series/{series_ticker}", auth = false;
    /// `GET /account/limits` → [`GetAccountLimitsResponse`](super::GetAccountLimitsResponse).
    GetAccountLimits => Get "/account/limits", auth = true;
    /// `GET /account/endpoint_costs`
    /// → [`GetEndpointCostsResponse`](super::GetEndpointCostsResponse).
    GetEndpointCosts => Get "/account/endpoint_costs", auth = false;
    /// `GET /portfolio/balance` → [`GetBalanceResponse`](super::GetBalanceResponse).
    GetBalance => Get "/portfolio/balance", auth = true;
    /// `GET /portfolio/positions` → [`GetPositionsResponse`](super::GetPositionsResponse).
    GetPositions => Get "/portfolio/positions", auth = true;
    /// `GET /portfolio/fills` → [`GetFillsResponse`](super::GetFillsResponse).
    GetFills => Get "/portfolio/fills", auth = true;
    /// `GET /portfolio/settlements` → [`GetSettlementsResponse`](super::GetSettlementsResponse).
    GetSettlements => Get "/portfolio/settlements", auth = true;
    /// `GET /portfolio/orders` → [`GetOrdersResponse`](super::GetOrdersResponse).
    GetOrders => Get "/portfolio/orders", auth = true;
    /// `GET /portfolio/orders/{order_id}` → [`GetOrderResponse`](super::GetOrderResponse).
    GetOrder => Get "/portfolio/orders/{order_id}", auth = true;
    /// `POST /portfolio/events/orders` (201)
    /// → [`CreateOrderV2Response`](super::CreateOrderV2Response).
    CreateOrder => Post "/portfolio/events/orders", auth = true;
    /// `POST /portfolio/events/orders/batched` (201)
    /// → [`BatchCreateOrdersV2Response`](super::BatchCreateOrdersV2Response).
    BatchCreateOrders => Post "/portfolio/events/orders/batched", auth = true;
    /// `DELETE /portfolio/events/orders/batched` (JSON body)
    /// → [`BatchCancelOrdersV2Response`](super::BatchCancelOrdersV2Response).
    BatchCancelOrders => Delete "/portfolio/events/orders/batched", auth = true;
    /// `DELETE /portfolio/events/orders` → 204, no body.
    CancelAllOrders => Delete "/portfolio/events/orders", auth = true;
    /// `DELETE /portfolio/events/orders/{order_id}`
    /// → [`CancelOrderV2Response`](super::CancelOrderV2Response).
    CancelOrder => Delete "/portfolio/events/orders/{order_id}", auth = true;
    /// `POST /portfolio/events/orders/{order_id}/amend`
    /// → [`AmendOrderV2Response`](super::AmendOrderV2Response).
    AmendOrder => Post "/portfolio/events/orders/{order_id}/amend", auth = true;
    /// `POST /portfolio/events/orders/{order_id}/decrease`
    /// → [`DecreaseOrderV2Response`](super::DecreaseOrderV2Response).
    DecreaseOrder => Post "/portfolio/events/orders/{order_id}/decrease", auth = true;
    /// `GET /markets/trades` → [`GetTradesResponse`](super::GetTradesResponse). Public
    /// market data.
    GetTrades => Get "/markets/trades", auth = false;
    /// `GET /series/{series_ticker}/markets/{ticker}/candlesticks`
    /// → [`GetMarketCandlesticksResponse`](super::GetMarketCandlesticksResponse). Public
    /// market data; build the path with [`Endpoint::path_with`].
    GetMarketCandlesticks => Get "/series/{series_ticker}/markets/{ticker}/candlesticks",
        auth = false;
    /// `GET /markets/candlesticks`
    /// → [`BatchGetMarketCandlesticksResponse`](super::BatchGetMarketCandlesticksResponse).
    /// UNCERTAIN: whether it needs auth; the per-market one does not, and neither is signed.
    BatchGetMarketCandlesticks => Get "/markets/candlesticks", auth = false;
    /// `GET /historical/cutoff`
    /// → [`GetHistoricalCutoffResponse`](super::GetHistoricalCutoffResponse): where the live
    /// endpoints stop and `/historical/*` begins. UNCERTAIN: auth (public here).
    GetHistoricalCutoff => Get "/historical/cutoff", auth = false;
    /// `GET /series/fee_changes`
    /// → [`GetSeriesFeeChangesResponse`](super::GetSeriesFeeChangesResponse).
    GetSeriesFeeChanges => Get "/series/fee_changes", auth = false;
    /// `GET /events/fee_changes`
    /// → [`GetEventFeeChangesResponse`](super::GetEventFeeChangesResponse).
    GetEventFeeChanges => Get "/events/fee_changes", auth = false;
    /// `GET /events/{event_ticker}/metadata`
    /// → [`GetEventMetadataResponse`](super::GetEventMetadataResponse).
    GetEventMetadata => Get "/events/{event_ticker}/metadata", auth = false;
    /// `GET /series/{series_ticker}/events/{ticker}/candlesticks`
    /// → [`GetEventCandlesticksResponse`](super::GetEventCandlesticksResponse): the candles
    /// of every market of an event. Public market data.
    GetEventCandlesticks => Get "/series/{series_ticker}/events/{ticker}/candlesticks",
        auth = false;
    /// `GET /series/{series_ticker}/events/{ticker}/forecast_percentile_history`
    /// → [`GetEventForecastPercentilesHistoryResponse`](super::GetEventForecastPercentilesHistoryResponse).
    GetEventForecastPercentilesHistory =>
        Get "/series/{series_ticker}/events/{ticker}/forecast_percentile_history", auth = true;
    /// `GET /portfolio/orders/queue_positions`
    /// → [`GetOrderQueuePositionsResponse`](super::GetOrderQueuePositionsResponse).
    GetOrderQueuePositions => Get "/portfolio/orders/queue_positions", auth = true;
    /// `GET /portfolio/orders/{order_id}/queue_position`
    /// → [`GetOrderQueuePositionResponse`](super::GetOrderQueuePositionResponse).
    GetOrderQueuePosition => Get "/portfolio/orders/{order_id}/queue_position", auth = true;
    /// `GET /portfolio/summary/total_resting_order_value`
    /// → [`GetPortfolioRestingOrderTotalValueResponse`](super::GetPortfolioRestingOrderTotalValueResponse).
    GetPortfolioRestingOrderTotalValue => Get "/portfolio/summary/total_resting_order_value",
        auth = true;
    /// `POST /portfolio/order_groups/create` (201)
    /// → [`CreateOrderGroupResponse`](super::CreateOrderGroupResponse).
    CreateOrderGroup => Post "/portfolio/order_groups/create", auth = true;
    /// `GET /portfolio/order_groups` → [`GetOrderGroupsResponse`](super::GetOrderGroupsResponse).
    GetOrderGroups => Get "/portfolio/order_groups", auth = true;
    /// `GET /portfolio/order_groups/{order_group_id}`
    /// → [`GetOrderGroupResponse`](super::GetOrderGroupResponse).
    GetOrderGroup => Get "/portfolio/order_groups/{order_group_id}", auth = true;
    /// `DELETE /portfolio/order_groups/{order_group_id}` → [`EmptyResponse`](super::EmptyResponse).
    DeleteOrderGroup => Delete "/portfolio/order_groups/{order_group_id}", auth = true;
    /// `PUT /portfolio/order_groups/{order_group_id}/limit` → [`EmptyResponse`](super::EmptyResponse).
    UpdateOrderGroupLimit => Put "/portfolio/order_groups/{order_group_id}/limit", auth = true;
    /// `PUT /portfolio/order_groups/{order_group_id}/trigger` → [`EmptyResponse`](super::EmptyResponse).
    TriggerOrderGroup => Put "/portfolio/order_groups/{order_group_id}/trigger", auth = true;
    /// `PUT /portfolio/order_groups/{order_group_id}/reset` → [`EmptyResponse`](super::EmptyResponse).
    ResetOrderGroup => Put "/portfolio/order_groups/{order_group_id}/reset", auth = true;
    /// `GET /historical/markets` → [`GetMarketsResponse`](super::GetMarketsResponse).
    GetHistoricalMarkets => Get "/historical/markets", auth = false;
    /// `GET /historical/markets/{ticker}` → [`GetMarketResponse`](super::GetMarketResponse).
    GetHistoricalMarket => Get "/historical/markets/{ticker}", auth = false;
    /// `GET /historical/markets/{ticker}/candlesticks`
    /// → [`GetMarketCandlesticksHistoricalResponse`](super::GetMarketCandlesticksHistoricalResponse).
    GetMarketCandlesticksHistorical => Get "/historical/markets/{ticker}/candlesticks",
        auth = false;
    /// `GET /historical/trades` → [`GetTradesResponse`](super::GetTradesResponse).
    GetHistoricalTrades => Get "/historical/trades", auth = false;
    /// `GET /historical/fills` → [`GetFillsResponse`](super::GetFillsResponse).
    GetHistoricalFills => Get "/historical/fills", auth = true;
    /// `GET /historical/orders` → [`GetOrdersResponse`](super::GetOrdersResponse).
    GetHistoricalOrders => Get "/historical/orders", auth = true;
    /// `GET /historical/positions` → [`GetPositionsResponse`](super::GetPositionsResponse).
    GetHistoricalPositions => Get "/historical/positions", auth = true;
}

impl Endpoint {
    /// The names of the path parameters (`"ticker"`, `"order_id"`, ...), in path order.
    pub fn path_params(self) -> Vec<&'static str> {
        self.template()
            .split('/')
            .filter_map(|seg| seg.strip_prefix('{')?.strip_suffix('}'))
            .collect()
    }

    /// The name of the first path parameter, if the template has one.
    pub fn path_param(self) -> Option<&'static str> {
        self.path_params().first().copied()
    }

    /// The full path of an endpoint without a path parameter, e.g. `/trade-api/v2/markets`.
    /// For a templated endpoint the `{name}` placeholders are left in; use
    /// [`Endpoint::path_for`] or [`Endpoint::path_with`].
    pub fn path(self) -> String {
        format!("{API_PREFIX}{}", self.template())
    }

    /// The full path with the (first) path parameter filled in, e.g.
    /// `/trade-api/v2/markets/KXHIGHNY-26FEB11-B94.5/orderbook`. The identifier types only hold
    /// URL-safe characters, so `id` is inserted verbatim. Endpoints without a parameter ignore
    /// `id`.
    pub fn path_for(self, id: &impl AsRef<str>) -> String {
        self.path_with(&[id.as_ref()])
    }

    /// The full path with the path parameters filled in from `ids`, in path order, e.g.
    /// `GetMarketCandlesticks.path_with(&["KXHIGHNY", "KXHIGHNY-26FEB11-B94.5"])`. Parameters
    /// beyond `ids` stay as `{name}`; extra `ids` are ignored.
    pub fn path_with(self, ids: &[&str]) -> String {
        let mut ids = ids.iter();
        let filled: Vec<&str> = self
            .template()
            .split('/')
            .map(|seg| {
                if seg.starts_with('{') {
                    ids.next().copied().unwrap_or(seg)
                } else {
                    seg
                }
            })
            .collect();
        format!("{API_PREFIX}{}", filled.join("/"))
    }

    /// Routes a concrete request: the endpoint whose method and template match `path`, and
    /// the path parameters' values in path order. `path` may carry [`API_PREFIX`] and a query
    /// string; both are ignored. Literal segments win over parameters, so
    /// `DELETE …/orders/batched` is [`Endpoint::BatchCancelOrders`], not a cancel of an order
    /// called `batched`, and `GET /markets/trades` is [`Endpoint::GetTrades`].
    pub fn match_path(method: Method, path: &str) -> Option<(Endpoint, Vec<String>)> {
        let path = path.split('?').next().unwrap_or_default();
        let path = path.strip_prefix(API_PREFIX).unwrap_or(path);
        let path = path.strip_suffix('/').unwrap_or(path);
        Endpoint::ALL
            .iter()
            .filter(|e| e.method() == method)
            .filter_map(|&e| match_template(e.template(), path).map(|params| (e, params)))
            .min_by_key(|(_, params)| params.len())
    }
}

/// Matches `path` against `template`: the values of the `{…}` segments (empty for a literal
/// match), or `None` when it does not match.
fn match_template(template: &str, path: &str) -> Option<Vec<String>> {
    let mut t = template.split('/');
    let mut p = path.split('/');
    let mut params = Vec::new();
    loop {
        match (t.next(), p.next()) {
            (None, None) => return Some(params),
            (Some(ts), Some(ps)) if ts.starts_with('{') && !ps.is_empty() => {
                params.push(ps.to_owned());
            }
            (Some(ts), Some(ps)) if ts == ps => {}
            _ => return None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_concrete_paths() {
        assert_eq!(
            Endpoint::GetMarketOrderbook.path_for(&"KXHIGHNY-26FEB11-B94.5"),
            "/trade-api/v2/markets/KXHIGHNY-26FEB11-B94.5/orderbook"
        );
        assert_eq!(
            Endpoint::AmendOrder.path_for(&"ee58"),
            "/trade-api/v2/portfolio/events/orders/ee58/amend"
        );
        assert_eq!(
            Endpoint::GetBalance.path(),
            "/trade-api/v2/portfolio/balance"
        );
        assert_eq!(Endpoint::GetOrder.path_param(), Some("order_id"));
        assert_eq!(Endpoint::GetMarkets.path_param(), None);
    }

    #[test]
    fn routes_every_endpoint_back_to_itself() {
        for &e in Endpoint::ALL {
            let ids: Vec<String> = (0..e.path_params().len())
                .map(|i| format!("X-{i}"))
                .collect();
            let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
            let path = e.path_with(&refs);
            assert_eq!(
                Endpoint::match_path(e.method(), &path),
                Some((e, ids)),
                "{e:?}"
            );
        }
    }

    #[test]
    fn fills_several_path_parameters_in_order() {
        let e = Endpoint::GetMarketCandlesticks;
        assert_eq!(e.path_params(), ["series_ticker", "ticker"]);
        assert_eq!(
            e.path_with(&["KXHIGHNY", "KXHIGHNY-26FEB11-B94.5"]),
            "/trade-api/v2/series/KXHIGHNY/markets/KXHIGHNY-26FEB11-B94.5/candlesticks"
        );
    }

    #[test]
    fn literal_segments_beat_parameters() {
        let m = Endpoint::match_path(
            Method::Delete,
            "/trade-api/v2/portfolio/events/orders/batched",
        );
        assert_eq!(m, Some((Endpoint::BatchCancelOrders, vec![])));
        let m = Endpoint::match_path(Method::Get, "/markets/orderbooks?tickers=A&tickers=B");
        assert_eq!(m, Some((Endpoint::GetMarketOrderbooks, vec![])));
        let m = Endpoint::match_path(Method::Get, "/markets/trades?ticker=A");
        assert_eq!(m, Some((Endpoint::GetTrades, vec![])));
        assert_eq!(Endpoint::match_path(Method::Put, "/markets"), None);
        assert_eq!(
            Endpoint::match_path(Method::Get, "/markets//orderbook"),
            None
        );
    }

    #[test]
    fn methods_parse_case_insensitively() {
        assert_eq!(Method::from_name("delete"), Some(Method::Delete));
        assert_eq!(Method::from_name("PATCH"), None);
    }
}
