//! Engine notices → Kalshi WebSocket frames ([`kalshi::ws::Incoming`]), so the simulator
//! sends exactly the types the engine decodes. Pure: the session supplies the envelope
//! ([`Target`]: sid, seq, the market's id, the connection's user id, whether the connection's
//! account caused the change).
//!
//! - [`route`]: which channel a notice feeds, about which market, owned by which account.
//! - [`frame`]: the data frame of a notice; [`snapshot`] and [`ticker`]: frames built from a
//!   read of the core (subscribe, `get_snapshot`, `send_initial_snapshot`).
//! - [`market_id`]: the market's UUID (the engine has none; it is derived from the ticker, so
//!   it is stable for the life of the simulator and the same on every connection).
//! - [`text`]: encodes a frame; [`ok`]: an encoded `ok`.

use std::borrow::Cow;

use chrono::{DateTime, SecondsFormat, Utc};
use kalshi::{
    ClientOrderId, Money, OrderId,
    rest::OrderbookFp,
    types::{Action, OutcomeSide},
    ws::{
        BookFrame, Channel, DataFrame, Fill, Incoming, MarketLifecycle, MarketPosition, OkBody,
        OkResponse, OrderbookDelta, OrderbookSnapshot, TickerUpdate, Trade, UserOrder,
    },
};

use crate::engine::{
    AccountIdx, FillRecord, LifecycleNotice, Notice, Position, SimOrder, TickerSnapshot,
};

/// Which channel a notice feeds, about which market, and whose it is (private channels).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteKey<'a> {
    /// The channel.
    pub channel: Channel,
    /// The market.
    pub ticker: &'a str,
    /// The account a private notice belongs to.
    pub owner: Option<AccountIdx>,
}

/// Where a notice goes and what its envelope holds.
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    /// The subscription.
    pub sid: u64,
    /// Its sequence number (order book and lifecycle).
    pub seq: u64,
    /// The market's UUID.
    pub market_id: &'a str,
    /// The connection's account id (`user_id` of private messages).
    pub user_id: &'a str,
    /// The connection's account caused the book change (a delta then carries the order's
    /// `client_order_id`).
    pub own: bool,
    /// The simulator's time now, Unix ms (`sending_ts_ms` of fills and lifecycle events).
    pub now_ms: i64,
}

/// The channel, market and owner of a notice.
pub fn route(notice: &Notice) -> RouteKey<'_> {
    let (channel, ticker, owner) = match notice {
        Notice::BookDelta { ticker, .. } => (Channel::OrderbookDelta, ticker, None),
        Notice::Trade { ticker, .. } => (Channel::Trade, ticker, None),
        Notice::Fill { account, fill, .. } => (Channel::Fill, &fill.ticker, Some(*account)),
        Notice::OrderUpdate { account, order } => {
            (Channel::UserOrders, &order.ticker, Some(*account))
        }
        Notice::PositionUpdate {
            account, ticker, ..
        } => (Channel::MarketPositions, ticker, Some(*account)),
        Notice::TickerUpdate(t) => (Channel::Ticker, &t.ticker, None),
        Notice::Lifecycle(l) => (Channel::MarketLifecycleV2, &l.ticker, None),
    };
    RouteKey {
        channel,
        ticker: ticker.as_str(),
        owner,
    }
}

/// The frame a notice becomes for one subscription.
pub fn frame<'a>(notice: &'a Notice, to: Target<'a>) -> Incoming<'a> {
    match notice {
        Notice::BookDelta {
            ticker,
            side,
            price,
            delta,
            cause,
            ts,
        } => {
            let client_order_id = own_client_order_id(cause, to.own);
            Incoming::OrderbookDelta(BookFrame {
                sid: to.sid,
                seq: to.seq,
                sending_ts_ms: None,
                msg: OrderbookDelta {
                    market_ticker: Cow::Borrowed(ticker.as_str()),
                    market_id: Cow::Borrowed(to.market_id),
                    price_dollars: *price,
                    delta_fp: *delta,
                    side: *side,
                    client_order_id,
                    subaccount: None,
                    ts: Some(Cow::Owned(rfc3339(*ts))),
                    ts_ms: Some(ts.timestamp_millis()),
                },
            })
        }
        Notice::Trade {
            trade_id,
            ticker,
            yes_price,
            count,
            taker_side,
            ts,
        } => Incoming::Trade(DataFrame::new(
            to.sid,
            Trade {
                trade_id: trade_id.clone(),
                market_ticker: ticker.clone(),
                yes_price_dollars: *yes_price,
                no_price_dollars: Some(yes_price.complement()),
                count_fp: *count,
                taker_side: Some(taker_side.outcome().as_str().to_owned()),
                taker_outcome_side: Some(taker_side.outcome()),
                taker_book_side: Some(*taker_side),
                ts: Some(ts.timestamp()),
                ts_ms: Some(ts.timestamp_millis()),
            },
        )),
        Notice::Fill {
            fill: record,
            order_id,
            client_order_id,
            ..
        } => {
            let mut f = DataFrame::new(to.sid, fill(record, order_id, client_order_id.as_ref()));
            f.sending_ts_ms = Some(to.now_ms);
            Incoming::Fill(f)
        }
        Notice::OrderUpdate { order, .. } => {
            Incoming::UserOrder(DataFrame::new(to.sid, user_order(order, to.user_id)))
        }
        Notice::PositionUpdate {
            ticker, position, ..
        } => Incoming::MarketPosition(DataFrame::new(
            to.sid,
            market_position(ticker, position, to.user_id),
        )),
        Notice::TickerUpdate(t) => ticker(to.sid, t, to.market_id),
        Notice::Lifecycle(l) => Incoming::MarketLifecycle(DataFrame {
            sid: Some(to.sid),
            seq: Some(to.seq),
            sending_ts_ms: Some(to.now_ms),
            msg: market_lifecycle(l),
        }),
    }
}

/// An `orderbook_snapshot` of one market.
pub fn snapshot<'a>(
    sid: u64,
    seq: u64,
    ticker: &'a str,
    market_id: &'a str,
    book: OrderbookFp,
) -> Incoming<'a> {
    Incoming::OrderbookSnapshot(BookFrame {
        sid,
        seq,
        sending_ts_ms: None,
        msg: OrderbookSnapshot {
            market_ticker: Cow::Borrowed(ticker),
            market_id: Cow::Borrowed(market_id),
            yes_dollars_fp: book.yes_dollars,
            no_dollars_fp: book.no_dollars,
        },
    })
}

/// A `ticker` frame of a market's state.
pub fn ticker(sid: u64, t: &TickerSnapshot, market_id: &str) -> Incoming<'static> {
    Incoming::Ticker(DataFrame::new(
        sid,
        TickerUpdate {
            market_ticker: t.ticker.clone(),
            market_id: Some(market_id.to_owned()),
            price_dollars: Some(t.last_price),
            yes_bid_dollars: Some(t.yes_bid),
            yes_ask_dollars: Some(t.yes_ask),
            yes_bid_size_fp: Some(t.yes_bid_size),
            yes_ask_size_fp: Some(t.yes_ask_size),
            last_trade_size_fp: Some(t.last_trade_size),
            volume_fp: Some(t.volume),
            open_interest_fp: Some(t.open_interest),
            dollar_volume: Some(t.dollar_volume.micros() / Money::UNIT),
            dollar_open_interest: None,
            ts: Some(t.ts.timestamp()),
            ts_ms: Some(t.ts.timestamp_millis()),
            time: Some(rfc3339(t.ts)),
        },
    ))
}

/// The client order id of the order behind a book change, for its owner's connection only.
fn own_client_order_id(
    cause: &Option<(AccountIdx, Option<ClientOrderId>)>,
    own: bool,
) -> Option<Cow<'_, str>> {
    cause
        .as_ref()
        .filter(|_| own)
        .and_then(|(_, cid)| cid.as_ref())
        .map(|c| Cow::Borrowed(c.as_str()))
}

/// The `fill` message of a fill record.
fn fill(f: &FillRecord, order_id: &OrderId, client_order_id: Option<&ClientOrderId>) -> Fill {
    let outcome = f.side.outcome();
    Fill {
        trade_id: f.fill_id.clone(),
        order_id: order_id.clone(),
        client_order_id: client_order_id.map(|c| c.as_str().to_owned()),
        market_ticker: f.ticker.clone(),
        exchange_index: Some(0),
        is_taker: f.is_taker,
        side: Some(outcome.as_str().to_owned()),
        yes_price_dollars: f.yes_price,
        count_fp: f.count,
        fee_cost: Some(f.fee),
        action: Some(Action::Buy),
        post_position_fp: Some(f.post_position),
        purchased_side: Some(outcome),
        outcome_side: Some(outcome),
        book_side: Some(f.side),
        ts: Some(f.ts.timestamp()),
        ts_ms: Some(f.ts.timestamp_millis()),
        subaccount: None,
    }
}

/// The `market_lifecycle_v2` message of a lifecycle notice.
fn market_lifecycle(l: &LifecycleNotice) -> MarketLifecycle {
    MarketLifecycle {
        event_type: l.event_type.clone(),
        market_ticker: l.ticker.clone(),
        exchange_index: None,
        open_ts: l.open_ts,
        close_ts: l.close_ts,
        result: l.result.clone(),
        determination_ts: l.determination_ts,
        settlement_value: l.settlement_value,
        settled_ts: l.settled_ts,
        is_deactivated: l.is_deactivated,
        fractional_trading_enabled: None,
        price_level_structure: None,
        price_ranges: None,
        additional_metadata: None,
        strike_type: None,
        floor_strike: None,
        cap_strike: None,
        custom_strike: None,
        yes_sub_title: None,
    }
}

fn user_order(o: &SimOrder, user_id: &str) -> UserOrder {
    UserOrder {
        order_id: o.order_id.clone(),
        user_id: Some(user_id.to_owned()),
        ticker: o.ticker.clone(),
        status: o.status.clone(),
        side: Some(o.side.outcome().as_str().to_owned()),
        is_yes: Some(o.side.outcome() == OutcomeSide::Yes),
        outcome_side: Some(o.side.outcome()),
        book_side: Some(o.side),
        yes_price_dollars: o.price,
        fill_count_fp: o.fill_count,
        remaining_count_fp: o.remaining_count,
        initial_count_fp: Some(o.initial_count),
        taker_fill_cost_dollars: Some(o.taker_fill_cost),
        maker_fill_cost_dollars: Some(o.maker_fill_cost),
        taker_fees_dollars: Some(o.taker_fees),
        maker_fees_dollars: Some(o.maker_fees),
        client_order_id: o.client_order_id.as_ref().map(|c| c.as_str().to_owned()),
        order_group_id: None,
        self_trade_prevention_type: Some(o.self_trade_prevention.clone()),
        created_ts_ms: Some(o.created.timestamp_millis()),
        last_updated_ts_ms: Some(o.updated.timestamp_millis()),
        expiration_ts_ms: o.expiration_ts.map(|s| s.saturating_mul(1000)),
        subaccount_number: Some(0),
        exchange_index: Some(0),
    }
}

/// Centi-cents ($0.0001), the legacy integer unit of `market_position` amounts.
fn centicents(m: Money) -> i64 {
    m.micros() / 100
}

fn market_position(ticker: &kalshi::Ticker, p: &Position, user_id: &str) -> MarketPosition {
    MarketPosition {
        user_id: Some(user_id.to_owned()),
        market_ticker: ticker.clone(),
        position: p.position.to_whole_exact(),
        position_fp: Some(p.position),
        position_cost: Some(centicents(p.exposure)),
        realized_pnl: Some(centicents(p.realized_pnl)),
        fees_paid: Some(centicents(p.fees_paid)),
        position_fee_cost: None,
        position_cost_dollars: Some(p.exposure),
        realized_pnl_dollars: Some(p.realized_pnl),
        fees_paid_dollars: Some(p.fees_paid),
        volume: None,
        volume_fp: None,
        subaccount: None,
    }
}

fn rfc3339(ts: DateTime<Utc>) -> String {
    ts.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// A market's UUID, derived from its ticker (two FNV-1a hashes shaped as a version-4 UUID).
pub fn market_id(ticker: &str) -> String {
    let fnv = |seed: u64| {
        ticker.bytes().fold(seed, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
        })
    };
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&fnv(0xcbf2_9ce4_8422_2325).to_be_bytes());
    bytes[8..].copy_from_slice(&fnv(0x8422_2325_cbf2_9ce4).to_be_bytes());
    uuid::Builder::from_random_bytes(bytes)
        .into_uuid()
        .to_string()
}

/// An `ok` frame, encoded.
pub fn ok(id: Option<u64>, sid: Option<u64>, seq: Option<u64>, body: OkBody) -> String {
    text(&Incoming::Ok(OkResponse { id, sid, seq, body }))
}

/// The text of a frame.
pub fn text(frame: &Incoming<'_>) -> String {
    // unwrap: encoding fails only for an `Incoming::Unknown` whose raw text is not JSON, and
    // the simulator never builds an `Unknown`.
    frame.encode().unwrap()
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use kalshi::{ClientOrderId, Count, Price, Ticker, ws::decode};

    use super::*;

    fn delta(cause: Option<(AccountIdx, Option<ClientOrderId>)>) -> Notice {
        Notice::BookDelta {
            ticker: Ticker::new("KXHIGHNY-26NOV28-B46.5").unwrap(),
            side: OutcomeSide::No,
            price: Price::parse("0.55").unwrap(),
            delta: Count::from_whole(-5),
            cause,
            ts: Utc.with_ymd_and_hms(2026, 11, 28, 12, 0, 1).unwrap(),
        }
    }

    fn target(own: bool) -> Target<'static> {
        Target {
            sid: 3,
            seq: 7,
            market_id: "mid",
            user_id: "user",
            own,
            now_ms: 0,
        }
    }

    #[test]
    fn a_delta_decodes_back_with_its_envelope() {
        let n = delta(None);
        let text = text(&frame(&n, target(false)));
        let Ok(Incoming::OrderbookDelta(f)) = decode(&text) else {
            panic!("not a delta: {text}");
        };
        assert_eq!((f.sid, f.seq), (3, 7));
        assert_eq!(f.msg.market_ticker, "KXHIGHNY-26NOV28-B46.5");
        assert_eq!(f.msg.side, OutcomeSide::No);
        assert_eq!(f.msg.delta_fp, Count::from_whole(-5));
        assert_eq!(f.msg.ts.as_deref(), Some("2026-11-28T12:00:01Z"));
        assert_eq!(route(&n).channel, Channel::OrderbookDelta);
    }

    #[test]
    fn only_the_owner_sees_the_client_order_id() {
        let cid = ClientOrderId::new("my-order-1").unwrap();
        let n = delta(Some((AccountIdx(4), Some(cid))));
        let mine = text(&frame(&n, target(true)));
        let theirs = text(&frame(&n, target(false)));
        assert!(mine.contains(r#""client_order_id":"my-order-1""#), "{mine}");
        assert!(!theirs.contains("client_order_id"), "{theirs}");
    }

    #[test]
    fn market_ids_are_stable_uuids_distinct_per_ticker() {
        let a = market_id("KXHIGHNY-26NOV28-B46.5");
        assert_eq!(a, market_id("KXHIGHNY-26NOV28-B46.5"));
        assert_ne!(a, market_id("KXHIGHNY-26NOV28-B48.5"));
        assert!(uuid::Uuid::parse_str(&a).is_ok(), "{a}");
    }

    #[test]
    fn an_empty_side_is_left_out_of_a_snapshot() {
        let book = OrderbookFp {
            yes_dollars: vec![kalshi::level::PriceLevel::new(
                Price::parse("0.40").unwrap(),
                Count::from_whole(2),
            )],
            no_dollars: Vec::new(),
        };
        let text = text(&snapshot(1, 1, "T", "mid", book));
        assert!(text.starts_with(r#"{"type":"orderbook_snapshot","sid":1,"seq":1"#));
        assert!(text.contains("yes_dollars_fp") && !text.contains("no_dollars_fp"));
    }
}
