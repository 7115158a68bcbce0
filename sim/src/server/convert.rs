//! Engine records → Kalshi wire types (`kalshi::rest`), so every response is built from the
//! same types the engine decodes.

use chrono::{DateTime, Utc};
use kalshi::{
    Count, Money, Price,
    level::PriceLevel,
    rest::{
        BidAskDistribution, BidAskDistributionHistorical, Fill, JsonDecimal, Market,
        MarketCandlestick, MarketCandlestickHistorical, MarketPosition, Order, OrderbookFp,
        PriceDistribution, PriceDistributionHistorical, Settlement, Trade,
        markets::{SettlementBoundsType, StrikeType},
    },
    types::MarketType,
};

use crate::engine::{
    Exchange, FillRecord, Position, SettlementRecord, SimMarket, SimOrder, Strike, TradeRecord,
    book::RestingBook,
    candles::{Candle, Ohlc},
};

fn decimal(v: f64) -> JsonDecimal {
    JsonDecimal::from_micros((v * 1e6).round() as i64)
}

/// A market as `GET /markets` shows it.
pub fn market(m: &SimMarket) -> Market {
    let (bid, ask) = m.book.top();
    let yes_bid = bid.map_or(Price::ZERO, |b| b.price);
    let yes_ask = ask.map_or(Price::ONE, |a| a.price);
    let (strike_type, floor, cap) = match m.info.strike {
        Strike::Between { floor, cap } => (StrikeType::Between, Some(floor), Some(cap)),
        Strike::Greater { floor } => (StrikeType::Greater, Some(floor), None),
        Strike::Less { cap } => (StrikeType::Less, None, Some(cap)),
    };
    Market {
        ticker: m.info.ticker.clone(),
        event_ticker: m.info.event_ticker.clone(),
        market_type: MarketType::Binary,
        yes_sub_title: m.info.yes_sub_title.clone(),
        no_sub_title: m.info.no_sub_title.clone(),
        created_time: m.info.created_time,
        updated_time: m.updated_time,
        open_time: m.info.open_time,
        close_time: m.info.close_time,
        latest_expiration_time: m.info.latest_expiration_time,
        settlement_timer_seconds: m.info.settlement_timer_seconds,
        status: m.status.clone(),
        notional_value_dollars: Money::from_price(Price::ONE),
        yes_bid_dollars: yes_bid,
        yes_ask_dollars: yes_ask,
        no_bid_dollars: yes_ask.complement(),
        no_ask_dollars: yes_bid.complement(),
        yes_bid_size_fp: bid.map_or(Count::ZERO, |b| b.count),
        yes_ask_size_fp: ask.map_or(Count::ZERO, |a| a.count),
        last_price_dollars: m.last_price,
        previous_yes_bid_dollars: Price::ZERO,
        previous_yes_ask_dollars: Price::ZERO,
        previous_price_dollars: Price::ZERO,
        volume_fp: m.volume,
        volume_24h_fp: m.volume,
        open_interest_fp: m.open_interest,
        result: m.result.clone(),
        can_close_early: false,
        expiration_value: String::new(),
        rules_primary: m.info.rules_primary.clone(),
        rules_secondary: String::new(),
        price_level_structure: m.info.price_level_structure.clone(),
        price_ranges: m.info.price_ranges.clone(),
        // Kalshi's `default` (no settlement floor): the simulator's markets pay $1 or $0.
        settlement_bounds_type: SettlementBoundsType::Default,
        settlement_value_dollars: m.settlement_value,
        settlement_ts: m.settled_at,
        settlement_floor_dollars: None,
        expected_expiration_time: Some(m.info.close_time),
        occurrence_datetime: None,
        fee_waiver_expiration_time: None,
        early_close_condition: None,
        strike_type: Some(strike_type),
        floor_strike: floor.map(decimal),
        cap_strike: cap.map(decimal),
        functional_strike: None,
        custom_strike: None,
        mve_collection_ticker: None,
        mve_selected_legs: None,
        is_provisional: None,
        exchange_index: Some(0),
        title: Some(m.info.title.clone()),
        subtitle: None,
        expiration_time: None,
    }
}

/// The public book, `depth` levels a side (0 = all), ascending with the best last.
pub fn orderbook(book: &RestingBook, depth: usize) -> OrderbookFp {
    let (yes, no) = book.public_levels();
    let side = |levels: Vec<PriceLevel>| -> Vec<PriceLevel> {
        let skip = if depth == 0 {
            0
        } else {
            levels.len().saturating_sub(depth)
        };
        levels.into_iter().skip(skip).collect()
    };
    OrderbookFp {
        yes_dollars: side(yes),
        no_dollars: side(no),
    }
}

/// An order as `GET /portfolio/orders` shows it.
pub fn order(x: &Exchange, o: &SimOrder) -> Order {
    let user_id = x
        .account(o.account)
        .map(|a| a.account_id.clone())
        .unwrap_or_default();
    Order {
        order_id: o.order_id.clone(),
        user_id,
        client_order_id: o.client_order_id.clone(),
        ticker: o.ticker.clone(),
        outcome_side: o.side.outcome(),
        book_side: o.side,
        order_type: Some("limit".into()),
        status: o.status.clone(),
        yes_price_dollars: o.price,
        no_price_dollars: o.price.complement(),
        fill_count_fp: o.fill_count,
        remaining_count_fp: o.remaining_count,
        initial_count_fp: o.initial_count,
        taker_fees_dollars: o.taker_fees,
        maker_fees_dollars: o.maker_fees,
        taker_fill_cost_dollars: o.taker_fill_cost,
        maker_fill_cost_dollars: o.maker_fill_cost,
        expiration_time: o.expiration_ts.and_then(|s| DateTime::from_timestamp(s, 0)),
        created_time: Some(o.created),
        last_update_time: Some(o.updated),
        self_trade_prevention_type: Some(o.self_trade_prevention.clone()),
        order_group_id: x.group_of(o.key).map(str::to_owned),
        cancel_order_on_pause: Some(o.cancel_order_on_pause),
        subaccount_number: Some(0),
        exchange_index: Some(0),
        side: None,
        action: None,
    }
}

/// A fill as `GET /portfolio/fills` shows it.
pub fn fill(f: &FillRecord) -> Fill {
    Fill {
        fill_id: f.fill_id.clone(),
        trade_id: f.fill_id.clone(),
        order_id: f.order_id.clone(),
        ticker: f.ticker.clone(),
        market_ticker: Some(f.ticker.clone()),
        outcome_side: f.side.outcome(),
        book_side: f.side,
        count_fp: f.count,
        yes_price_dollars: f.yes_price,
        no_price_dollars: f.yes_price.complement(),
        is_taker: f.is_taker,
        fee_cost: f.fee,
        created_time: Some(f.ts),
        ts: Some(f.ts.timestamp()),
        subaccount_number: Some(0),
        exchange_index: Some(0),
        side: None,
        action: None,
    }
}

/// A position as `GET /portfolio/positions` shows it.
pub fn position(ticker: &kalshi::Ticker, p: &Position, now: DateTime<Utc>) -> MarketPosition {
    MarketPosition {
        ticker: ticker.clone(),
        total_traded_dollars: p.total_traded,
        position_fp: p.position,
        market_exposure_dollars: p.exposure,
        realized_pnl_dollars: p.realized_pnl,
        fees_paid_dollars: p.fees_paid,
        last_updated_ts: p.updated.unwrap_or(now),
        exchange_index: Some(0),
    }
}

/// A settlement as `GET /portfolio/settlements` shows it.
pub fn settlement(s: &SettlementRecord) -> Settlement {
    Settlement {
        ticker: s.ticker.clone(),
        event_ticker: s.event_ticker.clone(),
        market_result: s.result.clone(),
        yes_count_fp: s.yes_count,
        yes_total_cost_dollars: s.yes_total_cost,
        no_count_fp: s.no_count,
        no_total_cost_dollars: s.no_total_cost,
        revenue: s.revenue,
        settled_time: s.ts,
        fee_cost: Money::ZERO,
        value: s
            .yes_value
            .to_cents_exact()
            .map(|c| Money::from_cents(i64::from(c))),
        exchange_index: Some(0),
    }
}

/// A trade as `GET /markets/trades` shows it. The simulator has no block trades.
pub fn trade(t: &TradeRecord) -> Trade {
    let outcome = t.taker_side.outcome();
    Trade {
        trade_id: t.trade_id.clone(),
        ticker: t.ticker.clone(),
        count_fp: t.count,
        yes_price_dollars: t.yes_price,
        no_price_dollars: t.yes_price.complement(),
        taker_outcome_side: Some(outcome),
        taker_book_side: Some(t.taker_side),
        taker_side: Some(outcome),
        created_time: t.ts,
        is_block_trade: false,
    }
}

fn bid_ask(o: &Ohlc) -> BidAskDistribution {
    BidAskDistribution {
        open_dollars: o.open,
        high_dollars: o.high,
        low_dollars: o.low,
        close_dollars: o.close,
    }
}

/// A candle as the candlestick endpoints show it.
pub fn candle(c: &Candle) -> MarketCandlestick {
    let traded = c.bar.price;
    MarketCandlestick {
        end_period_ts: c.end_ts,
        yes_bid: bid_ask(&c.bar.bid),
        yes_ask: bid_ask(&c.bar.ask),
        price: PriceDistribution {
            open_dollars: traded.map(|p| p.open),
            high_dollars: traded.map(|p| p.high),
            low_dollars: traded.map(|p| p.low),
            close_dollars: traded.map(|p| p.close),
            mean_dollars: c.bar.mean(),
            previous_dollars: c.previous,
            min_dollars: traded.map(|p| p.low),
            max_dollars: traded.map(|p| p.high),
        },
        volume_fp: c.bar.volume,
        open_interest_fp: c.bar.open_interest,
    }
}

fn bid_ask_historical(o: &Ohlc) -> BidAskDistributionHistorical {
    BidAskDistributionHistorical {
        open: o.open,
        high: o.high,
        low: o.low,
        close: o.close,
    }
}

/// A candle as `GET /historical/markets/{ticker}/candlesticks` shows it.
pub fn historical_candle(c: &Candle) -> MarketCandlestickHistorical {
    let traded = c.bar.price;
    MarketCandlestickHistorical {
        end_period_ts: c.end_ts,
        yes_bid: bid_ask_historical(&c.bar.bid),
        yes_ask: bid_ask_historical(&c.bar.ask),
        price: PriceDistributionHistorical {
            open: traded.map(|p| p.open),
            low: traded.map(|p| p.low),
            high: traded.map(|p| p.high),
            close: traded.map(|p| p.close),
            mean: c.bar.mean(),
            previous: c.previous,
        },
        volume: c.bar.volume,
        open_interest: c.bar.open_interest,
    }
}
