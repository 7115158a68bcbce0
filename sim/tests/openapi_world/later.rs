//! The second part of the conformance world: order groups (created, used by an order, their
//! limit updated, triggered, reset, and one deleted), and the reads made once the clock has
//! moved past the historical cutoff (`HISTORICAL_AFTER_S`), so the settled market, the trades,
//! the fills and the ended orders are all under `/historical/*`.

use kalshi::rest::Endpoint as E;
use serde_json::json;

use super::{Answer, CREATE, Call, World, call, write};
use crate::common::{Trader, order_json};

/// `historical_after_s` of the world's simulator.
pub const HISTORICAL_AFTER_S: u64 = 3600;

const GROUPS: &str = "/portfolio/order_groups";

/// The maker makes a group, rests an order in it, updates its limit, triggers and resets it,
/// and deletes a second group. Returns the first group's id and every answer.
pub async fn order_groups(maker: &Trader, open: &str) -> (String, Vec<Answer>) {
    let mut out = Vec::new();
    let create = (E::CreateOrderGroup, format!("{GROUPS}/create"));
    let made = write(
        maker,
        (
            create.0,
            create.1.clone(),
            Some(json!({"contracts_limit": 10})),
        ),
        201,
        &mut out,
    )
    .await;
    let id = made["order_group_id"]
        .as_str()
        .expect("group id")
        .to_owned();
    let mut body = order_json(open, "bid", "0.1000", "2.00");
    body["order_group_id"] = json!(id);
    write(
        maker,
        (E::CreateOrder, CREATE.into(), Some(body)),
        201,
        &mut out,
    )
    .await;
    let limit = Some(json!({"contracts_limit_fp": "20.00"}));
    let path = format!("{GROUPS}/{id}/limit");
    write(
        maker,
        (E::UpdateOrderGroupLimit, path, limit),
        200,
        &mut out,
    )
    .await;
    let path = format!("{GROUPS}/{id}/trigger");
    write(maker, (E::TriggerOrderGroup, path, None), 200, &mut out).await;
    let path = format!("{GROUPS}/{id}/reset");
    write(maker, (E::ResetOrderGroup, path, None), 200, &mut out).await;
    let other = write(
        maker,
        (
            create.0,
            create.1,
            Some(json!({"contracts_limit_fp": "5.00"})),
        ),
        201,
        &mut out,
    )
    .await;
    let other = other["order_group_id"].as_str().expect("group id");
    let path = format!("{GROUPS}/{other}");
    write(maker, (E::DeleteOrderGroup, path, None), 200, &mut out).await;
    (id, out)
}

/// The reads made after the clock passed the historical cutoff: the historical endpoints,
/// the order groups, the queue positions, the resting value and the forecast history.
pub fn later_calls(w: &World) -> Vec<Call> {
    let (m, event, series) = (&w.settled, &w.event, &w.series);
    let window = format!(
        "start_ts={}&end_ts={}&period_interval=1",
        w.traded_at - 3600,
        w.traded_at + 7200
    );
    vec![
        call(E::GetHistoricalCutoff, "/historical/cutoff"),
        call(E::GetHistoricalMarkets, "/historical/markets?limit=10"),
        call(E::GetHistoricalMarket, format!("/historical/markets/{m}")),
        call(
            E::GetMarketCandlesticksHistorical,
            format!("/historical/markets/{m}/candlesticks?{window}"),
        ),
        call(E::GetHistoricalTrades, "/historical/trades"),
        call(E::GetHistoricalFills, "/historical/fills"),
        call(E::GetHistoricalOrders, "/historical/orders"),
        call(E::GetHistoricalPositions, "/historical/positions"),
        call(E::GetOrderGroups, GROUPS),
        call(E::GetOrderGroup, format!("{GROUPS}/{}", w.group_id)),
        call(
            E::GetOrderQueuePositions,
            "/portfolio/orders/queue_positions",
        ),
        call(
            E::GetOrderQueuePosition,
            format!("/portfolio/orders/{}/queue_position", w.resting_id),
        ),
        call(
            E::GetPortfolioRestingOrderTotalValue,
            "/portfolio/summary/total_resting_order_value",
        ),
        call(
            E::GetEventForecastPercentilesHistory,
            format!(
                "/series/{series}/events/{event}/forecast_percentile_history?\
                 percentiles=2500&percentiles=5000&{window}"
            ),
        ),
    ]
}
