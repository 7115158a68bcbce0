//! Cursor pagination over more than one page: the cursor round-trips, the last page has an
//! empty cursor, and no item is seen twice or missed — for markets, orders, fills and
//! positions.

mod common;

use std::collections::HashSet;

use common::{Trader, order_json};
use kalshi::rest::{
    BatchCreateOrdersV2Response, GetFillsResponse, GetMarketsResponse, GetOrdersResponse,
    GetPositionsResponse, Paginated,
};
use serde::de::DeserializeOwned;
use serde_json::json;

/// Follows cursors from the first page; returns every page.
async fn all_pages<T: DeserializeOwned + Paginated>(t: &Trader, path: &str) -> Vec<T> {
    pages_from(t, path, None).await
}

/// Follows cursors from the page at `cursor` (the first page when `None`).
async fn pages_from<T: DeserializeOwned + Paginated>(
    t: &Trader,
    path: &str,
    mut cursor: Option<String>,
) -> Vec<T> {
    let mut pages = Vec::new();
    loop {
        let url = match &cursor {
            Some(c) => format!("{path}&cursor={c}"),
            None => path.to_owned(),
        };
        let page: T = t.json("GET", &url, None, 200).await;
        cursor = page.next_cursor().map(str::to_owned);
        pages.push(page);
        if cursor.is_none() {
            return pages;
        }
        assert!(pages.len() < 100, "pagination does not end");
    }
}

#[actix_rt::test]
async fn markets_paginate_without_gaps_or_repeats() {
    let sim = common::start(common::quiet_config());
    let t = Trader::new(&sim, "prime", "10.00");
    let everything: GetMarketsResponse = t.json("GET", "/markets?limit=1000", None, 200).await;
    assert!(everything.cursor.is_empty());
    let total = everything.markets.len();

    let pages: Vec<GetMarketsResponse> = all_pages(&t, "/markets?limit=7").await;
    assert_eq!(pages.len(), total.div_ceil(7));
    assert!(
        pages[..pages.len() - 1]
            .iter()
            .all(|p| p.markets.len() == 7)
    );
    let seen: Vec<String> = pages
        .iter()
        .flat_map(|p| p.markets.iter().map(|m| m.ticker.to_string()))
        .collect();
    let expected: Vec<String> = everything
        .markets
        .iter()
        .map(|m| m.ticker.to_string())
        .collect();
    assert_eq!(seen, expected, "same markets, same order, none twice");
}

#[actix_rt::test]
async fn orders_paginate_newest_first_and_stay_stable_while_orders_arrive() {
    let sim = common::start(common::quiet_config());
    let t = Trader::new(&sim, "prime", "1000.00");
    let m = common::open_market(&sim, 0).await;
    let mut ids = Vec::new();
    for i in 1..=25 {
        let price = format!("0.{i:02}");
        ids.push(
            t.place(order_json(&m, "bid", &price, "1.00"))
                .await
                .order_id,
        );
    }
    ids.reverse(); // newest first

    let first: GetOrdersResponse = t.json("GET", "/portfolio/orders?limit=10", None, 200).await;
    assert_eq!(first.orders.len(), 10);
    // An order placed between pages is newer than the first page: later pages ignore it.
    t.place(order_json(&m, "bid", "0.30", "1.00")).await;
    let rest: Vec<GetOrdersResponse> =
        pages_from(&t, "/portfolio/orders?limit=10", Some(first.cursor.clone())).await;
    assert_eq!(rest.len(), 2);
    assert_eq!(rest[1].orders.len(), 5);
    assert!(rest[1].cursor.is_empty());
    let seen: Vec<_> = std::iter::once(&first)
        .chain(&rest)
        .flat_map(|p| p.orders.iter().map(|o| o.order_id.clone()))
        .collect();
    assert_eq!(seen, ids);
}

#[actix_rt::test]
async fn fills_paginate_newest_first_without_repeats() {
    let sim = common::start(common::quiet_config());
    let maker = Trader::new(&sim, "prime", "1000.00");
    let taker = Trader::new(&sim, "prime", "1000.00");
    let m = common::open_market(&sim, 0).await;
    let asks: Vec<_> = (0..12)
        .map(|_| order_json(&m, "ask", "0.50", "1.00"))
        .collect();
    let placed: BatchCreateOrdersV2Response = maker
        .json(
            "POST",
            "/portfolio/events/orders/batched",
            Some(json!({ "orders": asks })),
            201,
        )
        .await;
    assert!(placed.orders.iter().all(|o| o.error.is_none()));
    let took = taker.place(order_json(&m, "bid", "0.50", "12.00")).await;
    assert_eq!(took.fill_count.to_whole_exact(), Some(12));

    let pages: Vec<GetFillsResponse> = all_pages(&taker, "/portfolio/fills?limit=5").await;
    let sizes: Vec<usize> = pages.iter().map(|p| p.fills.len()).collect();
    assert_eq!(sizes, [5, 5, 2]);
    let ids: HashSet<String> = pages
        .iter()
        .flat_map(|p| p.fills.iter().map(|f| f.fill_id.clone()))
        .collect();
    assert_eq!(ids.len(), 12, "every fill once");
    assert!(
        pages
            .iter()
            .flat_map(|p| &p.fills)
            .all(|f| f.order_id == took.order_id)
    );

    // The maker's side, filtered by one of its orders.
    let one = placed.orders[3].order_id.clone().unwrap();
    let mine: GetFillsResponse = maker
        .json(
            "GET",
            &format!("/portfolio/fills?order_id={one}"),
            None,
            200,
        )
        .await;
    assert_eq!(mine.fills.len(), 1);
    assert!(!mine.fills[0].is_taker);
}

#[actix_rt::test]
async fn positions_paginate_by_ticker_with_event_totals() {
    let sim = common::start(common::quiet_config());
    let a = Trader::new(&sim, "prime", "1000.00");
    let b = Trader::new(&sim, "prime", "1000.00");
    let mut tickers = Vec::new();
    for n in 0..5 {
        let m = common::open_market(&sim, n).await;
        a.place(order_json(&m, "bid", "0.20", "2.00")).await;
        b.place(order_json(&m, "ask", "0.20", "2.00")).await;
        tickers.push(m);
    }
    let pages: Vec<GetPositionsResponse> =
        all_pages(&a, "/portfolio/positions?limit=2&count_filter=position").await;
    let seen: Vec<String> = pages
        .iter()
        .flat_map(|p| p.market_positions.iter().map(|mp| mp.ticker.to_string()))
        .collect();
    assert_eq!(seen, tickers, "sorted by ticker, each once");
    // The first five open markets belong to one event: its totals cover all five markets.
    for p in &pages {
        assert_eq!(p.event_positions.len(), 1);
        assert_eq!(
            p.event_positions[0].total_cost_shares_fp.to_whole_exact(),
            Some(10)
        );
    }
}
