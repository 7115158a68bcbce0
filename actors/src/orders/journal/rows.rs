//! Rows ↔ records: how orders, fills and positions are written to and read back from the
//! journal's tables.

use std::str::FromStr;

use chrono::{DateTime, Utc};
use kalshi::{
    ClientOrderId, Count, Money, OrderId, Price, Ticker,
    types::{BookSide, TimeInForce},
};
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};
use serde::Serialize;

use super::error::JournalError;
use crate::orders::{
    positions::{FillRecord, Position},
    spec::OrderSpec,
    state::{Change, OrderRecord, OrderState, Origin},
};

/// RFC 3339 UTC with milliseconds: readable and sortable.
pub(super) fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// What [`super::Journal::load`] returns.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    /// Orders open, or changed since the cut-off.
    pub orders: Vec<OrderRecord>,
    /// Every position.
    pub positions: Vec<(Ticker, Position)>,
    /// Fills since the cut-off, with the P&L each realised.
    pub fills: Vec<(FillRecord, Money)>,
    /// The highest intent sequence number (0 when none).
    pub max_seq: u64,
}

/// An intent and where its order ended up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IntentOutcome {
    /// Sequence number.
    pub seq: u64,
    /// Client order id.
    pub client_order_id: String,
    /// Market.
    pub ticker: String,
    /// The order's state (`None`: no order row — never the case for a committed intent).
    pub state: Option<String>,
    /// The exchange's id, once known.
    pub order_id: Option<String>,
}

fn corrupt(table: &'static str, key: &str, detail: impl ToString) -> JournalError {
    JournalError::Corrupt {
        table,
        key: key.to_owned(),
        detail: detail.to_string(),
    }
}

fn parse<T: FromStr>(
    table: &'static str,
    key: &str,
    field: &str,
    s: &str,
) -> Result<T, JournalError>
where
    T::Err: std::fmt::Display,
{
    s.parse()
        .map_err(|e| corrupt(table, key, format!("{field} {s:?}: {e}")))
}

fn time(table: &'static str, key: &str, s: &str) -> Result<DateTime<Utc>, JournalError> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| corrupt(table, key, format!("time {s:?}: {e}")))
}

fn side(table: &'static str, key: &str, s: &str) -> Result<BookSide, JournalError> {
    BookSide::from_wire(s).ok_or_else(|| corrupt(table, key, format!("side {s:?}")))
}

pub(super) fn insert_intent(
    tx: &Transaction<'_>,
    o: &OrderRecord,
    label: &str,
) -> Result<(), JournalError> {
    let seq = o
        .intent_seq
        .ok_or_else(|| corrupt("intents", &o.key, "an intent needs a sequence number"))?;
    tx.execute(
        "INSERT INTO intents (seq, client_order_id, ticker, side, price, count, time_in_force,
                              post_only, reduce_only, book_epoch, created_at, label)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            seq as i64,
            o.key,
            o.spec.ticker.as_str(),
            o.spec.side.as_str(),
            o.spec.price.to_string(),
            o.spec.count.to_string(),
            o.spec.time_in_force.as_str(),
            o.spec.post_only,
            o.spec.reduce_only,
            o.book_epoch.map(|e| e as i64),
            ts(o.created_at),
            label,
        ],
    )?;
    Ok(())
}

pub(super) fn upsert_order(tx: &Transaction<'_>, o: &OrderRecord) -> Result<(), JournalError> {
    tx.execute(
        "INSERT INTO orders (key, client_order_id, order_id, intent_seq, origin, ticker, side,
                             price, count, fill_sum, reported_filled, time_in_force, post_only,
                             reduce_only, book_epoch, state, reason, cancel_requested,
                             created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
                 ?18, ?19, ?20)
         ON CONFLICT(key) DO UPDATE SET
             order_id = excluded.order_id, price = excluded.price, count = excluded.count,
             fill_sum = excluded.fill_sum, reported_filled = excluded.reported_filled,
             state = excluded.state, reason = excluded.reason,
             cancel_requested = excluded.cancel_requested, updated_at = excluded.updated_at",
        params![
            o.key,
            o.client_order_id.as_ref().map(|c| c.as_str()),
            o.order_id.as_ref().map(|i| i.as_str()),
            o.intent_seq.map(|s| s as i64),
            match o.origin {
                Origin::Intent => "intent",
                Origin::Adopted => "adopted",
            },
            o.spec.ticker.as_str(),
            o.spec.side.as_str(),
            o.spec.price.to_string(),
            o.spec.count.to_string(),
            o.fill_sum.to_string(),
            o.reported_filled.to_string(),
            o.spec.time_in_force.as_str(),
            o.spec.post_only,
            o.spec.reduce_only,
            o.book_epoch.map(|e| e as i64),
            o.state.as_str(),
            o.reason,
            o.cancel_requested,
            ts(o.created_at),
            ts(o.updated_at),
        ],
    )?;
    Ok(())
}

pub(super) fn insert_event(
    tx: &Transaction<'_>,
    o: &OrderRecord,
    change: Option<&Change>,
) -> Result<(), JournalError> {
    tx.execute(
        "INSERT INTO order_events (key, at, from_state, to_state, filled, remaining, detail)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            o.key,
            ts(o.updated_at),
            change.map(|c| c.from.as_str()),
            o.state.as_str(),
            o.filled().to_string(),
            o.remaining().to_string(),
            change.map_or_else(|| "recorded".to_owned(), |c| c.detail.clone()),
        ],
    )?;
    Ok(())
}

pub(super) fn insert_fill(
    tx: &Transaction<'_>,
    f: &FillRecord,
    source: &str,
    realized: Money,
) -> Result<(), JournalError> {
    tx.execute(
        "INSERT OR IGNORE INTO fills (trade_id, order_id, client_order_id, ticker, side,
                                      yes_price, count, fee, is_taker, realized_pnl, ts, ts_ms,
                                      source)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        params![
            f.trade_id,
            f.order_id.as_str(),
            f.client_order_id,
            f.ticker.as_str(),
            f.side.as_str(),
            f.yes_price.to_string(),
            f.count.to_string(),
            f.fee.to_string(),
            f.is_taker,
            realized.to_string(),
            ts(f.ts),
            f.ts.timestamp_millis(),
            source,
        ],
    )?;
    Ok(())
}

pub(super) fn upsert_position(
    tx: &Transaction<'_>,
    t: &Ticker,
    p: &Position,
    now: &str,
) -> Result<(), JournalError> {
    tx.execute(
        "INSERT INTO positions (ticker, position, exposure, realized_pnl, fees, last_price,
                                updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT(ticker) DO UPDATE SET
             position = excluded.position, exposure = excluded.exposure,
             realized_pnl = excluded.realized_pnl, fees = excluded.fees,
             last_price = excluded.last_price, updated_at = excluded.updated_at",
        params![
            t.as_str(),
            p.position.to_string(),
            p.exposure.to_string(),
            p.realized.to_string(),
            p.fees.to_string(),
            p.last_price.map(|x| x.to_string()),
            now,
        ],
    )?;
    Ok(())
}

const ORDER_COLUMNS: &str = "key, client_order_id, order_id, intent_seq, origin, ticker, side,
    price, count, fill_sum, reported_filled, time_in_force, post_only, reduce_only, book_epoch,
    state, reason, cancel_requested, created_at, updated_at";

fn order_row(r: &Row<'_>) -> Result<OrderRecord, JournalError> {
    const T: &str = "orders";
    let key: String = r.get(0)?;
    let text = |i: usize| -> Result<String, JournalError> { Ok(r.get::<_, String>(i)?) };
    let k = key.as_str();
    Ok(OrderRecord {
        client_order_id: r
            .get::<_, Option<String>>(1)?
            .map(|c| ClientOrderId::new(c).map_err(|e| corrupt(T, k, e)))
            .transpose()?,
        order_id: r
            .get::<_, Option<String>>(2)?
            .map(|c| OrderId::new(c).map_err(|e| corrupt(T, k, e)))
            .transpose()?,
        intent_seq: r.get::<_, Option<i64>>(3)?.map(|s| s as u64),
        origin: match text(4)?.as_str() {
            "intent" => Origin::Intent,
            "adopted" => Origin::Adopted,
            other => return Err(corrupt(T, k, format!("origin {other:?}"))),
        },
        spec: OrderSpec {
            ticker: Ticker::new(text(5)?).map_err(|e| corrupt(T, k, e))?,
            side: side(T, k, &text(6)?)?,
            price: parse::<Price>(T, k, "price", &text(7)?)?,
            count: parse::<Count>(T, k, "count", &text(8)?)?,
            time_in_force: TimeInForce::from_wire(&text(11)?)
                .ok_or_else(|| corrupt(T, k, "time_in_force"))?,
            post_only: r.get(12)?,
            reduce_only: r.get(13)?,
        },
        fill_sum: parse::<Count>(T, k, "fill_sum", &text(9)?)?,
        reported_filled: parse::<Count>(T, k, "reported_filled", &text(10)?)?,
        book_epoch: r.get::<_, Option<i64>>(14)?.map(|e| e as u64),
        state: OrderState::from_name(&text(15)?).ok_or_else(|| corrupt(T, k, "state"))?,
        reason: r.get(16)?,
        cancel_requested: r.get(17)?,
        created_at: time(T, k, &text(18)?)?,
        updated_at: time(T, k, &text(19)?)?,
        key,
    })
}

fn fill_row(r: &Row<'_>) -> Result<(FillRecord, Money), JournalError> {
    const T: &str = "fills";
    let trade_id: String = r.get(0)?;
    let k = trade_id.as_str();
    let text = |i: usize| -> Result<String, JournalError> { Ok(r.get::<_, String>(i)?) };
    let fill = FillRecord {
        order_id: OrderId::new(text(1)?).map_err(|e| corrupt(T, k, e))?,
        client_order_id: r.get(2)?,
        ticker: Ticker::new(text(3)?).map_err(|e| corrupt(T, k, e))?,
        side: side(T, k, &text(4)?)?,
        yes_price: parse(T, k, "yes_price", &text(5)?)?,
        count: parse(T, k, "count", &text(6)?)?,
        fee: parse(T, k, "fee", &text(7)?)?,
        is_taker: r.get(8)?,
        ts: time(T, k, &text(10)?)?,
        trade_id: trade_id.clone(),
    };
    Ok((fill, parse(T, k, "realized_pnl", &text(9)?)?))
}

fn position_row(r: &Row<'_>) -> Result<(Ticker, Position), JournalError> {
    const T: &str = "positions";
    let ticker: String = r.get(0)?;
    let k = ticker.as_str();
    let text = |i: usize| -> Result<String, JournalError> { Ok(r.get::<_, String>(i)?) };
    let position = Position {
        position: parse(T, k, "position", &text(1)?)?,
        exposure: parse(T, k, "exposure", &text(2)?)?,
        realized: parse(T, k, "realized_pnl", &text(3)?)?,
        fees: parse(T, k, "fees", &text(4)?)?,
        last_price: r
            .get::<_, Option<String>>(5)?
            .map(|s| parse(T, k, "last_price", &s))
            .transpose()?,
    };
    Ok((Ticker::new(k).map_err(|e| corrupt(T, k, e))?, position))
}

fn collect<T>(
    conn: &Connection,
    sql: &str,
    args: impl rusqlite::Params,
    read: fn(&Row<'_>) -> Result<T, JournalError>,
) -> Result<Vec<T>, JournalError> {
    let mut stmt = conn.prepare(sql)?;
    let mut rows = stmt.query(args)?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(read(r)?);
    }
    Ok(out)
}

pub(super) fn positions(conn: &Connection) -> Result<Vec<(Ticker, Position)>, JournalError> {
    collect(
        conn,
        "SELECT ticker, position, exposure, realized_pnl, fees, last_price FROM positions
         ORDER BY ticker",
        [],
        position_row,
    )
}

pub(super) fn load(conn: &Connection, since: DateTime<Utc>) -> Result<Loaded, JournalError> {
    let finished = ["executed", "canceled", "rejected", "not_sent"];
    let orders = collect(
        conn,
        &format!(
            "SELECT {ORDER_COLUMNS} FROM orders
             WHERE state NOT IN ('{}') OR updated_at >= ?1 ORDER BY created_at",
            finished.join("','")
        ),
        params![ts(since)],
        order_row,
    )?;
    let fills = collect(
        conn,
        "SELECT trade_id, order_id, client_order_id, ticker, side, yes_price, count, fee,
                is_taker, realized_pnl, ts FROM fills WHERE ts_ms >= ?1 ORDER BY ts_ms",
        params![since.timestamp_millis()],
        fill_row,
    )?;
    let max_seq: Option<i64> = conn
        .query_row("SELECT MAX(seq) FROM intents", [], |r| r.get(0))
        .optional()?
        .flatten();
    Ok(Loaded {
        orders,
        positions: positions(conn)?,
        fills,
        max_seq: max_seq.unwrap_or(0) as u64,
    })
}

pub(super) fn intent_outcomes(conn: &Connection) -> Result<Vec<IntentOutcome>, JournalError> {
    collect(
        conn,
        "SELECT seq, client_order_id, ticker, state, order_id FROM intent_outcomes ORDER BY seq",
        [],
        |r| {
            Ok(IntentOutcome {
                seq: r.get::<_, i64>(0)? as u64,
                client_order_id: r.get(1)?,
                ticker: r.get(2)?,
                state: r.get(3)?,
                order_id: r.get(4)?,
            })
        },
    )
}
