//! Positions and P&L from fills, pure. A fill is booked once, keyed by (trade id, order id)
//! — the WebSocket `fill`, a `GET /portfolio/fills` page and a reconciliation may all bring
//! the same one. Positions are signed (+ YES, − NO) and netted as Kalshi nets them
//! (kalshi-api.md §7): buying the other leg closes contracts, each closed YES+NO pair is worth
//! $1, and the P&L of the pair is realised against the average cost of the position.
//! Unrealised P&L marks a YES position at the best YES bid and a NO position at 1 − the best
//! YES ask (what closing would fetch), else at our last fill price.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use kalshi::{
    Count, Money, OrderId, Price, Ticker, rest,
    types::{BookSide, OutcomeSide},
    ws,
};
use serde::Serialize;

/// One fill, whichever way it arrived.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FillRecord {
    /// Trade id (= REST `fill_id`).
    pub trade_id: String,
    /// The order that filled.
    pub order_id: OrderId,
    /// Its client order id, when the source carries it (WebSocket only).
    pub client_order_id: Option<String>,
    /// Market.
    pub ticker: Ticker,
    /// Side of the filled order on the YES book.
    pub side: BookSide,
    /// YES price of the trade.
    pub yes_price: Price,
    /// Contracts.
    pub count: Count,
    /// Fee charged.
    pub fee: Money,
    /// Whether we took liquidity.
    pub is_taker: bool,
    /// When it happened.
    pub ts: DateTime<Utc>,
}

impl FillRecord {
    /// From a WebSocket `fill`; `None` when it does not say which side filled.
    pub fn from_ws(f: &ws::Fill, received_at: DateTime<Utc>) -> Option<FillRecord> {
        let side = f.book_side.or_else(|| {
            let outcome = f
                .outcome_side
                .or(f.purchased_side)
                .or_else(|| f.side.as_deref().and_then(OutcomeSide::from_wire))?;
            Some(match outcome {
                OutcomeSide::Yes => BookSide::Bid,
                OutcomeSide::No => BookSide::Ask,
            })
        })?;
        let ts = f
            .ts_ms
            .and_then(DateTime::from_timestamp_millis)
            .or_else(|| f.ts.and_then(|s| DateTime::from_timestamp(s, 0)))
            .unwrap_or(received_at);
        Some(FillRecord {
            trade_id: f.trade_id.clone(),
            order_id: f.order_id.clone(),
            client_order_id: f.client_order_id.clone(),
            ticker: f.market_ticker.clone(),
            side,
            yes_price: f.yes_price_dollars,
            count: f.count_fp,
            fee: f.fee_cost.unwrap_or(Money::ZERO),
            is_taker: f.is_taker,
            ts,
        })
    }

    /// From a `GET /portfolio/fills` item.
    pub fn from_rest(f: &rest::Fill, fallback_ts: DateTime<Utc>) -> FillRecord {
        FillRecord {
            trade_id: f.trade_id.clone(),
            order_id: f.order_id.clone(),
            client_order_id: None,
            ticker: f.ticker.clone(),
            side: f.book_side,
            yes_price: f.yes_price_dollars,
            count: f.count_fp,
            fee: f.fee_cost,
            is_taker: f.is_taker,
            ts: f
                .created_time
                .or_else(|| f.ts.and_then(|s| DateTime::from_timestamp(s, 0)))
                .unwrap_or(fallback_ts),
        }
    }

    /// The dedup key.
    pub fn key(&self) -> (String, String) {
        (self.trade_id.clone(), self.order_id.to_string())
    }

    /// Signed change of the position: + for a bid (YES), − for an ask (NO).
    pub fn signed_count(&self) -> Count {
        match self.side {
            BookSide::Bid => self.count,
            BookSide::Ask => -self.count,
        }
    }
}

/// The price paid per contract of the leg bought: the YES price for a bid, 1 − it for an ask.
pub fn leg_price(side: BookSide, yes_price: Price) -> Price {
    match side {
        BookSide::Bid => yes_price,
        BookSide::Ask => yes_price.complement(),
    }
}

/// `amount × part / whole`, toward zero.
fn scale(amount: Money, part: Count, whole: Count) -> Money {
    if whole.is_zero() {
        return Money::ZERO;
    }
    let v = i128::from(amount.micros()) * i128::from(part.centis()) / i128::from(whole.centis());
    Money::from_micros(i64::try_from(v).unwrap_or(0))
}

/// One market's position.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Position {
    /// Contracts: + YES, − NO.
    pub position: Count,
    /// Cost basis of the open contracts.
    pub exposure: Money,
    /// P&L realised by closing contracts (fees excluded).
    pub realized: Money,
    /// Fees paid.
    pub fees: Money,
    /// YES price of our last fill here.
    pub last_price: Option<Price>,
}

impl Position {
    /// Books a fill; returns the P&L it realised.
    pub fn apply(&mut self, fill: &FillRecord) -> Money {
        let leg = leg_price(fill.side, fill.yes_price);
        let old = self.position;
        let signed = fill.signed_count();
        let closed = if !old.is_zero() && old.is_positive() != signed.is_positive() {
            old.abs().min(fill.count)
        } else {
            Count::ZERO
        };
        let opened = fill.count - closed;
        let basis_closed = scale(self.exposure, closed, old.abs());
        let realized = Price::ONE.notional(closed) - leg.notional(closed) - basis_closed;
        self.realized += realized;
        self.exposure = self.exposure - basis_closed + leg.notional(opened);
        self.position = old + signed;
        self.fees += fill.fee;
        self.last_price = Some(fill.yes_price);
        realized
    }

    /// Open P&L at `mark` (best YES bid, best YES ask), else at the last fill price.
    pub fn unrealized(&self, mark: Option<&Mark>) -> Money {
        if self.position.is_zero() {
            return Money::ZERO;
        }
        let per_contract = if self.position.is_positive() {
            mark.and_then(|m| m.yes_bid).or(self.last_price)
        } else {
            mark.and_then(|m| m.yes_ask)
                .or(self.last_price)
                .map(Price::complement)
        };
        match per_contract {
            Some(p) => p.notional(self.position.abs()) - self.exposure,
            None => Money::ZERO,
        }
    }
}

/// The top of a market's YES book, for marking.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Mark {
    /// Best YES bid.
    pub yes_bid: Option<Price>,
    /// Best YES ask.
    pub yes_ask: Option<Price>,
}

/// What booking a fill did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Booked {
    /// P&L realised.
    pub realized: Money,
    /// Position after it.
    pub position: Count,
}

/// All positions, the fills already booked, and the P&L of each UTC day.
#[derive(Debug, Clone, Default)]
pub struct Positions {
    by_ticker: BTreeMap<Ticker, Position>,
    seen: HashSet<(String, String)>,
    days: BTreeMap<NaiveDate, (Money, Money)>,
    marks: HashMap<Ticker, Mark>,
    last_fill_at: Option<DateTime<Utc>>,
}

impl Positions {
    /// True when this fill was booked already.
    pub fn is_seen(&self, fill: &FillRecord) -> bool {
        self.seen.contains(&fill.key())
    }

    /// Books a fill unless booked already (`None` then).
    pub fn record(&mut self, fill: &FillRecord) -> Option<Booked> {
        if !self.seen.insert(fill.key()) {
            return None;
        }
        let pos = self.by_ticker.entry(fill.ticker.clone()).or_default();
        let realized = pos.apply(fill);
        let day = self.days.entry(fill.ts.date_naive()).or_default();
        day.0 += realized;
        day.1 += fill.fee;
        self.last_fill_at = self.last_fill_at.max(Some(fill.ts));
        Some(Booked {
            realized,
            position: pos.position,
        })
    }

    /// Restores a fill booked in an earlier run (its effect is in the restored positions).
    pub fn restore_fill(&mut self, fill: &FillRecord, realized: Money) {
        if self.seen.insert(fill.key()) {
            let day = self.days.entry(fill.ts.date_naive()).or_default();
            day.0 += realized;
            day.1 += fill.fee;
            self.last_fill_at = self.last_fill_at.max(Some(fill.ts));
        }
    }

    /// Restores a position from the journal.
    pub fn restore(&mut self, ticker: Ticker, position: Position) {
        self.by_ticker.insert(ticker, position);
    }

    /// Takes the exchange's count and cost basis for a market (reconciliation); returns the
    /// position it replaced.
    pub fn adopt(&mut self, ticker: &Ticker, count: Count, exposure: Money) -> Position {
        let pos = self.by_ticker.entry(ticker.clone()).or_default();
        let old = pos.clone();
        pos.position = count;
        pos.exposure = exposure;
        old
    }

    /// A market's position.
    pub fn get(&self, ticker: &str) -> Option<&Position> {
        self.by_ticker.get(ticker)
    }

    /// A market's contracts (0 when none).
    pub fn count(&self, ticker: &str) -> Count {
        self.get(ticker).map_or(Count::ZERO, |p| p.position)
    }

    /// Every market ever traded.
    pub fn iter(&self) -> impl Iterator<Item = (&Ticker, &Position)> {
        self.by_ticker.iter()
    }

    /// Cost basis of every open position.
    pub fn total_exposure(&self) -> Money {
        self.by_ticker.values().map(|p| p.exposure).sum()
    }

    /// Sets a market's mark.
    pub fn set_mark(&mut self, ticker: &Ticker, mark: Mark) {
        self.marks.insert(ticker.clone(), mark);
    }

    /// Open P&L of one market.
    pub fn unrealized(&self, ticker: &str) -> Money {
        self.get(ticker)
            .map_or(Money::ZERO, |p| p.unrealized(self.marks.get(ticker)))
    }

    /// Open P&L of every market.
    pub fn total_unrealized(&self) -> Money {
        self.by_ticker
            .iter()
            .map(|(t, p)| p.unrealized(self.marks.get(t)))
            .sum()
    }

    /// Realised P&L of every market.
    pub fn total_realized(&self) -> Money {
        self.by_ticker.values().map(|p| p.realized).sum()
    }

    /// Realised P&L and fees of fills on `day` (UTC).
    pub fn day_totals(&self, day: NaiveDate) -> (Money, Money) {
        self.days.get(&day).copied().unwrap_or_default()
    }

    /// The day's P&L as the loss limit sees it: realised today − fees today + open P&L.
    pub fn daily_pnl(&self, now: DateTime<Utc>) -> Money {
        let (realized, fees) = self.day_totals(now.date_naive());
        realized - fees + self.total_unrealized()
    }

    /// Time of the newest fill booked.
    pub fn last_fill_at(&self) -> Option<DateTime<Utc>> {
        self.last_fill_at
    }
}

#[cfg(test)]
#[path = "positions_tests.rs"]
mod tests;
