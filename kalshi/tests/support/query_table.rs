//! Every query-parameter struct of `kalshi::rest` with every parameter set, per endpoint, for
//! the `openapi_conformance` test: what the crate can render must be documented for the
//! endpoint, and what is documented must parse.

use kalshi::{
    EventTicker, OrderId, SeriesTicker, Ticker,
    rest::{market_params::MveFilter, portfolio_params::CountFilter, *},
    types::{MarketStatusFilter, OrderStatus},
};

/// One endpoint's query parameters.
pub struct QueryRow {
    /// The endpoint.
    pub endpoint: Endpoint,
    /// Every parameter set, rendered.
    pub full: fn() -> String,
    /// Parses a query with the crate's parameter struct (no bounds checks).
    pub parse: fn(&str) -> Result<(), String>,
}

fn ticker() -> Ticker {
    Ticker::new("KXHIGHNY-26FEB11-B94.5").unwrap()
}

fn event() -> EventTicker {
    EventTicker::new("KXHIGHNY-26FEB11").unwrap()
}

fn series() -> SeriesTicker {
    SeriesTicker::new("KXHIGHNY").unwrap()
}

fn markets() -> String {
    GetMarketsParams {
        limit: Some(1),
        cursor: Some("c".into()),
        event_ticker: Some(event()),
        series_ticker: Some(series()),
        min_created_ts: Some(1),
        max_created_ts: Some(2),
        min_updated_ts: Some(1),
        max_updated_ts: Some(2),
        min_close_ts: Some(1),
        max_close_ts: Some(2),
        min_settled_ts: Some(1),
        max_settled_ts: Some(2),
        status: Some(MarketStatusFilter::Open),
        tickers: vec![ticker()],
        mve_filter: Some(MveFilter::Exclude),
    }
    .to_query()
}

fn events() -> String {
    GetEventsParams {
        limit: Some(1),
        cursor: Some("c".into()),
        with_nested_markets: Some(true),
        with_milestones: Some(true),
        status: Some(MarketStatusFilter::Open),
        series_ticker: Some(series()),
        tickers: vec![event()],
        min_close_ts: Some(1),
        min_updated_ts: Some(1),
    }
    .to_query()
}

fn series_list() -> String {
    GetSeriesListParams {
        category: Some("Climate".into()),
        tags: Some("Weather".into()),
        include_product_metadata: Some(true),
        include_volume: Some(true),
        min_updated_ts: Some(1),
    }
    .to_query()
}

fn positions() -> String {
    GetPositionsParams {
        cursor: Some("c".into()),
        limit: Some(1),
        count_filter: vec![CountFilter::Position, CountFilter::TotalTraded],
        settlement_status: Some(SettlementStatus::All),
        ticker: Some(ticker()),
        event_ticker: Some(event()),
        subaccount: Some(0),
        exchange_index: Some(0),
    }
    .to_query()
}

fn fills() -> String {
    GetFillsParams {
        ticker: Some(ticker()),
        order_id: Some(OrderId::new("o-1").unwrap()),
        min_ts: Some(1),
        max_ts: Some(2),
        limit: Some(1),
        cursor: Some("c".into()),
        subaccount: Some(0),
        exchange_index: Some(0),
    }
    .to_query()
}

fn settlements() -> String {
    GetSettlementsParams {
        limit: Some(1),
        cursor: Some("c".into()),
        ticker: Some(ticker()),
        event_ticker: Some(event()),
        min_ts: Some(1),
        max_ts: Some(2),
        subaccount: Some(0),
    }
    .to_query()
}

fn orders() -> String {
    GetOrdersParams {
        ticker: Some(ticker()),
        event_ticker: vec![event()],
        min_ts: Some(1),
        max_ts: Some(2),
        status: Some(OrderStatus::Resting),
        limit: Some(1),
        cursor: Some("c".into()),
        subaccount: Some(0),
        exchange_index: Some(0),
    }
    .to_query()
}

fn trades() -> String {
    GetTradesParams {
        limit: Some(1),
        cursor: Some("c".into()),
        ticker: Some(ticker()),
        min_ts: Some(1),
        max_ts: Some(2),
        is_block_trade: Some(false),
    }
    .to_query()
}

fn candles() -> String {
    GetMarketCandlesticksParams {
        start_ts: Some(1),
        end_ts: Some(2),
        period_interval: Some(60),
        include_latest_before_start: Some(true),
    }
    .to_query()
}

fn batch_candles() -> String {
    BatchGetMarketCandlesticksParams {
        market_tickers: vec![ticker()],
        start_ts: Some(1),
        end_ts: Some(2),
        period_interval: Some(60),
        include_latest_before_start: Some(true),
    }
    .to_query()
}

fn order_group() -> String {
    OrderGroupParams {
        subaccount: Some(0),
        exchange_index: Some(0),
    }
    .to_query()
}

fn historical_fills() -> String {
    GetHistoricalFillsParams {
        ticker: Some(ticker()),
        min_ts: Some(1),
        max_ts: Some(2),
        limit: Some(1),
        cursor: Some("c".into()),
        subaccount: Some(0),
    }
    .to_query()
}

macro_rules! rows {
    ($($e:ident: $params:ident, $full:expr;)+) => {
        vec![$(QueryRow {
            endpoint: Endpoint::$e,
            full: $full,
            parse: |q| $params::from_query(q).map(drop).map_err(|e| e.to_string()),
        }),+]
    };
}

/// Every endpoint that takes query parameters, with the crate's struct for them.
pub fn query_rows() -> Vec<QueryRow> {
    rows![
        GetMarkets: GetMarketsParams, markets;
        GetMarketOrderbook: GetOrderbookParams,
            || GetOrderbookParams { depth: Some(5) }.to_query();
        GetMarketOrderbooks: GetOrderbooksParams,
            || GetOrderbooksParams { tickers: vec![ticker()] }.to_query();
        GetEvents: GetEventsParams, events;
        GetEvent: GetEventParams,
            || GetEventParams { with_nested_markets: Some(true) }.to_query();
        GetSeriesList: GetSeriesListParams, series_list;
        GetSeries: GetSeriesParams, || GetSeriesParams { include_volume: Some(true) }.to_query();
        GetBalance: GetBalanceParams,
            || GetBalanceParams { subaccount: Some(0), exchange_index: Some(0) }.to_query();
        GetPositions: GetPositionsParams, positions;
        GetFills: GetFillsParams, fills;
        GetSettlements: GetSettlementsParams, settlements;
        GetOrders: GetOrdersParams, orders;
        CancelOrder: CancelOrderParams, || CancelOrderParams {
            subaccount: Some(0),
            exchange_index: Some(0),
            market_ticker: Some(ticker()),
        }
        .to_query();
        AmendOrder: SubaccountParams, || SubaccountParams { subaccount: Some(0) }.to_query();
        DecreaseOrder: SubaccountParams, || SubaccountParams { subaccount: Some(0) }.to_query();
        CancelAllOrders: SubaccountParams, || SubaccountParams { subaccount: Some(0) }.to_query();
        GetTrades: GetTradesParams, trades;
        GetMarketCandlesticks: GetMarketCandlesticksParams, candles;
        BatchGetMarketCandlesticks: BatchGetMarketCandlesticksParams, batch_candles;
        GetSeriesFeeChanges: GetSeriesFeeChangesParams, || GetSeriesFeeChangesParams {
            series_ticker: Some(series()),
            show_historical: Some(true),
        }
        .to_query();
        GetEventFeeChanges: GetEventFeeChangesParams, || GetEventFeeChangesParams {
            event_ticker: Some(event()),
            limit: Some(1),
            cursor: Some("c".into()),
        }
        .to_query();
        GetEventCandlesticks: GetEventCandlesticksParams, || GetEventCandlesticksParams {
            start_ts: Some(1),
            end_ts: Some(2),
            period_interval: Some(60),
        }
        .to_query();
        GetEventForecastPercentilesHistory: GetEventForecastPercentilesHistoryParams,
            || GetEventForecastPercentilesHistoryParams {
                percentiles: vec![5000],
                start_ts: Some(1),
                end_ts: Some(2),
                period_interval: Some(60),
            }
            .to_query();
        GetOrderQueuePositions: GetOrderQueuePositionsParams, || GetOrderQueuePositionsParams {
            market_tickers: vec![ticker()],
            event_ticker: Some(event()),
            subaccount: Some(0),
        }
        .to_query();
        GetOrderGroups: SubaccountParams, || SubaccountParams { subaccount: Some(0) }.to_query();
        GetOrderGroup: SubaccountParams, || SubaccountParams { subaccount: Some(0) }.to_query();
        DeleteOrderGroup: OrderGroupParams, order_group;
        UpdateOrderGroupLimit: OrderGroupParams, order_group;
        TriggerOrderGroup: OrderGroupParams, order_group;
        ResetOrderGroup: OrderGroupParams, order_group;
        GetHistoricalMarkets: GetHistoricalMarketsParams, || GetHistoricalMarketsParams {
            limit: Some(1),
            cursor: Some("c".into()),
            tickers: vec![ticker()],
            event_ticker: Some(event()),
            series_ticker: Some(series()),
            mve_filter: Some(MveFilter::Exclude),
        }
        .to_query();
        GetMarketCandlesticksHistorical: GetMarketCandlesticksHistoricalParams,
            || GetMarketCandlesticksHistoricalParams {
                start_ts: Some(1),
                end_ts: Some(2),
                period_interval: Some(60),
            }
            .to_query();
        GetHistoricalTrades: GetTradesParams, trades;
        GetHistoricalFills: GetHistoricalFillsParams, historical_fills;
        GetHistoricalOrders: GetHistoricalOrdersParams, historical_fills;
        GetHistoricalPositions: GetHistoricalPositionsParams, || GetHistoricalPositionsParams {
            ticker: Some(ticker()),
            event_ticker: Some(event()),
            subaccount: Some(0),
            limit: Some(1),
            cursor: Some("c".into()),
        }
        .to_query();
    ]
}

/// A sample value for a documented query parameter, by name.
fn query_value(name: &str) -> &'static str {
    match name {
        "limit" => "10",
        "cursor" => "abc",
        "depth" => "5",
        "percentiles" => "5000",
        "period_interval" => "60",
        "ticker" | "market_ticker" | "tickers" | "market_tickers" => "KXHIGHNY-26FEB11-B94.5",
        "event_ticker" => "KXHIGHNY-26FEB11",
        "series_ticker" => "KXHIGHNY",
        "order_id" => "ee587a1c-8b87-4dcf-b721-9f6f790619fa",
        "status" => "open",
        "mve_filter" => "exclude",
        "count_filter" => "position",
        "settlement_status" => "all",
        "subaccount" | "exchange_index" => "0",
        n if n.ends_with("_ts") => "1770800000",
        n if ["with_", "include_", "is_", "show_"]
            .iter()
            .any(|p| n.starts_with(p)) =>
        {
            "true"
        }
        _ => "Weather",
    }
}

/// A query setting every documented parameter once.
pub fn documented_query(names: &[String]) -> String {
    // The SDK lists the JSON body of trigger and reset (`body`) among their query
    // parameters; it is sent as the body.
    let pairs: Vec<String> = names
        .iter()
        .filter(|n| *n != "body")
        .map(|n| format!("{n}={}", query_value(n)))
        .collect();
    pairs.join("&")
}
