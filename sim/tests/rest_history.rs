//! Market history on a manual clock: `GET /markets/trades` lists every trade newest first,
//! filtered by `ticker`, `min_ts`/`max_ts` and `is_block_trade`, paged by `limit`/`cursor`
//! without gaps or repeats; candlesticks fold those trades and the quotes into periods, and
//! an event's candlesticks are its markets' own; the historical cutoff is no later than
//! anything the simulator holds.

mod common;

use chrono::Duration;
use common::{Trader, order_json};
use kalshi::{
    Count, Price,
    rest::{
        BatchGetMarketCandlesticksResponse, GetEventCandlesticksResponse, GetEventResponse,
        GetFillsResponse, GetHistoricalCutoffResponse, GetMarketCandlesticksResponse,
        GetMarketResponse, GetTradesResponse, Trade,
    },
    types::{BookSide, OutcomeSide},
};
use kalshi_sim::SimHandle;

/// Two traders and three trades: two on `a` at `t0`, one on `b` at `t0 + 10 s`.
struct Traded {
    sim: SimHandle,
    maker: Trader,
    taker: Trader,
    a: String,
    b: String,
    t0: i64,
}

async fn traded() -> Traded {
    let sim = common::start_manual(common::quiet_config());
    let maker = Trader::new(&sim, "prime", "1000.00");
    let taker = Trader::new(&sim, "prime", "1000.00");
    let (a, b) = (
        common::open_market(&sim, 0).await,
        common::open_market(&sim, 1).await,
    );
    let t0 = common::sim_now(&sim).await.timestamp();
    maker.place(order_json(&a, "bid", "0.40", "5.00")).await;
    maker.place(order_json(&b, "ask", "0.70", "5.00")).await;
    taker.place(order_json(&a, "ask", "0.40", "2.00")).await;
    taker.place(order_json(&a, "ask", "0.40", "1.00")).await;
    common::advance(&sim, &[&maker, &taker], Duration::seconds(10));
    taker.place(order_json(&b, "bid", "0.70", "4.00")).await;
    Traded {
        sim,
        maker,
        taker,
        a,
        b,
        t0,
    }
}

async fn trades(t: &Trader, query: &str) -> GetTradesResponse {
    t.json("GET", &format!("/markets/trades{query}"), None, 200)
        .await
}

#[actix_rt::test]
async fn trades_are_listed_newest_first_and_filtered() {
    let w = traded().await;
    let all = trades(&w.maker, "").await.trades;
    let tickers: Vec<&str> = all.iter().map(|t| t.ticker.as_str()).collect();
    assert_eq!(tickers, [w.b.as_str(), &w.a, &w.a], "newest first");
    assert!(
        all.windows(2)
            .all(|p| p[0].created_time >= p[1].created_time)
    );
    let newest = &all[0];
    assert_eq!(
        (
            newest.count_fp,
            newest.yes_price_dollars,
            newest.no_price_dollars
        ),
        (Count::from_whole(4), p("0.70"), p("0.30"))
    );
    assert_eq!(
        (newest.taker_book_side, newest.taker_outcome_side),
        (Some(BookSide::Bid), Some(OutcomeSide::Yes))
    );
    assert_eq!(all[1].taker_book_side, Some(BookSide::Ask));
    assert_eq!(all[1].taker_outcome_side, Some(OutcomeSide::No));

    let on_a = trades(&w.maker, &format!("?ticker={}", w.a)).await.trades;
    assert_eq!(on_a.len(), 2);
    let late = trades(&w.maker, &format!("?min_ts={}", w.t0 + 5))
        .await
        .trades;
    assert_eq!(
        late.iter().map(|t| t.ticker.as_str()).collect::<Vec<_>>(),
        [w.b.as_str()]
    );
    let early = trades(&w.maker, &format!("?max_ts={}", w.t0 + 5))
        .await
        .trades;
    assert_eq!(early.len(), 2, "max_ts is inclusive and in seconds");
    let window = format!("?min_ts={}&max_ts={}&ticker={}", w.t0, w.t0, w.a);
    assert_eq!(trades(&w.maker, &window).await.trades.len(), 2);
    assert!(
        trades(&w.maker, "?is_block_trade=true")
            .await
            .trades
            .is_empty()
    );
    assert_eq!(
        trades(&w.maker, "?is_block_trade=false").await.trades.len(),
        3
    );

    let fills: GetFillsResponse = w.taker.json("GET", "/portfolio/fills", None, 200).await;
    let ids: Vec<&str> = fills.fills.iter().map(|f| f.trade_id.as_str()).collect();
    assert_eq!(
        ids,
        all.iter().map(|t| t.trade_id.as_str()).collect::<Vec<_>>()
    );
}

#[actix_rt::test]
async fn trade_pages_follow_the_cursor_without_gaps_or_repeats() {
    let w = traded().await;
    let all = trades(&w.maker, "").await.trades;
    let mut seen: Vec<Trade> = Vec::new();
    let mut cursor = String::new();
    loop {
        let page = trades(&w.maker, &format!("?limit=1&cursor={cursor}")).await;
        assert!(page.trades.len() <= 1);
        seen.extend(page.trades);
        if page.cursor.is_empty() {
            break;
        }
        // A trade that arrives between pages does not shift the pages already issued.
        if seen.len() == 1 {
            w.taker.place(order_json(&w.b, "bid", "0.70", "1.00")).await;
        }
        cursor = page.cursor;
    }
    assert_eq!(seen, all);
    assert_eq!(trades(&w.maker, "").await.trades.len(), 4);
    let (status, _) = w
        .maker
        .send("GET", "/markets/trades?cursor=nope", None)
        .await;
    assert_eq!(status, 400, "a cursor the endpoint never issued");
    let (status, _) = w.maker.send("GET", "/markets/trades?limit=0", None).await;
    assert_eq!(status, 400);
}

fn p(s: &str) -> Price {
    Price::parse(s).unwrap()
}

#[actix_rt::test]
async fn candlesticks_fold_trades_and_quotes_into_periods() {
    let w = traded().await;
    let m: GetMarketResponse = w
        .maker
        .json("GET", &format!("/markets/{}", w.a), None, 200)
        .await;
    let e: GetEventResponse = w
        .maker
        .json(
            "GET",
            &format!("/events/{}", m.market.event_ticker),
            None,
            200,
        )
        .await;
    let series = e.event.series_ticker.to_string();
    let (a, day) = (w.a.clone(), 86_400);
    let path = move |period: u32, start: i64, end: i64| {
        format!(
            "/series/{series}/markets/{a}/candlesticks?start_ts={start}&end_ts={end}&period_interval={period}"
        )
    };
    let hour = (w.t0 - 3600, w.t0 + 3600);
    let minutes: GetMarketCandlesticksResponse = w
        .maker
        .json("GET", &path(1, hour.0, hour.1), None, 200)
        .await;
    let volume: Count = minutes.candlesticks.iter().map(|c| c.volume_fp).sum();
    assert_eq!(volume, Count::from_whole(3));
    let last = minutes.candlesticks.last().unwrap();
    assert_eq!(last.price.close_dollars, Some(p("0.40")));
    assert_eq!(
        last.yes_bid.close_dollars,
        p("0.40"),
        "2 of the maker's 5 still rest"
    );
    assert_eq!(last.open_interest_fp, Count::from_whole(3));
    assert!(last.end_period_ts > w.t0 && last.end_period_ts % 60 == 0);

    let days: GetMarketCandlesticksResponse = w
        .maker
        .json("GET", &path(1440, w.t0 - day, w.t0 + day), None, 200)
        .await;
    assert_eq!(days.candlesticks.len(), 1);
    assert_eq!(days.candlesticks[0].volume_fp, Count::from_whole(3));

    let after = last.end_period_ts + 60;
    let quiet = path(1, after, hour.1);
    let none: GetMarketCandlesticksResponse = w.maker.json("GET", &quiet, None, 200).await;
    assert!(
        none.candlesticks.is_empty(),
        "nothing happened after the trades"
    );
    let before = format!("{quiet}&include_latest_before_start=true");
    let one: GetMarketCandlesticksResponse = w.maker.json("GET", &before, None, 200).await;
    assert_eq!(one.candlesticks, vec![*last]);

    let (status, _) = w.maker.send("GET", &path(5, hour.0, hour.1), None).await;
    assert_eq!(status, 400, "5 minutes is not a period");
    let wrong = path(1, hour.0, hour.1).replacen("/series/KX", "/series/NOPEKX", 1);
    assert_eq!(w.maker.send("GET", &wrong, None).await.0, 404);
}

#[actix_rt::test]
async fn batch_candlesticks_and_the_cutoff() {
    let w = traded().await;
    let window = format!(
        "start_ts={}&end_ts={}&period_interval=60",
        w.t0 - 3600,
        w.t0 + 7200
    );
    let q = format!(
        "/markets/candlesticks?market_tickers={},{}&{window}",
        w.a, w.b
    );
    let batch: BatchGetMarketCandlesticksResponse = w.maker.json("GET", &q, None, 200).await;
    let tickers: Vec<&str> = batch
        .markets
        .iter()
        .map(|m| m.market_ticker.as_str())
        .collect();
    assert_eq!(tickers, [w.a.as_str(), &w.b]);
    // The quote came at t0 and the trade at t0 + 10 s: one hour, or two around a full hour.
    let volume: Count = batch.markets[1]
        .candlesticks
        .iter()
        .map(|c| c.volume_fp)
        .sum();
    assert_eq!(volume, Count::from_whole(4));
    let q = format!(
        "/markets/candlesticks?market_tickers={},NOPE-1&{window}",
        w.a
    );
    assert_eq!(w.maker.send("GET", &q, None).await.0, 404);

    let cutoff: GetHistoricalCutoffResponse =
        w.maker.json("GET", "/historical/cutoff", None, 200).await;
    assert!(cutoff.trades_created_ts.timestamp() <= w.t0);
    assert_eq!(cutoff.orders_updated_ts, cutoff.market_settled_ts);
    let _ = &w.sim;
}

#[actix_rt::test]
async fn an_events_candlesticks_are_its_markets_own() {
    let w = traded().await;
    let m: GetMarketResponse = w
        .maker
        .json("GET", &format!("/markets/{}", w.a), None, 200)
        .await;
    let event = m.market.event_ticker.to_string();
    let e: GetEventResponse = w
        .maker
        .json("GET", &format!("/events/{event}"), None, 200)
        .await;
    let series = e.event.series_ticker.to_string();
    let (start, end) = (w.t0 - 3600, w.t0 + 3600);
    let window = format!("start_ts={start}&end_ts={end}&period_interval=1");
    let q = format!("/series/{series}/events/{event}/candlesticks?{window}");
    let got: GetEventCandlesticksResponse = w.maker.json("GET", &q, None, 200).await;
    let listed: Vec<_> = e.markets.iter().map(|m| m.ticker.clone()).collect();
    assert_eq!(got.market_tickers, listed, "every market, in strike order");
    assert_eq!(got.market_candlesticks.len(), listed.len());
    assert_eq!(got.adjusted_end_ts, end, "six markets of 120 minutes fit");
    let i = listed.iter().position(|t| t.as_str() == w.a).unwrap();
    let own: GetMarketCandlesticksResponse = w
        .maker
        .json(
            "GET",
            &format!("/series/{series}/markets/{}/candlesticks?{window}", w.a),
            None,
            200,
        )
        .await;
    assert_eq!(got.market_candlesticks[i], own.candlesticks);
    assert!(!own.candlesticks.is_empty());

    let wrong = format!("/series/KXHIGHNOPE/events/{event}/candlesticks?{window}");
    assert_eq!(w.maker.send("GET", &wrong, None).await.0, 404);
    let none = format!("/series/{series}/events/{series}-99JAN01/candlesticks?{window}");
    assert_eq!(w.maker.send("GET", &none, None).await.0, 404);
}
