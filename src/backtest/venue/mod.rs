//! The backtest's venue: the simulator's exchange core ([`kalshi_sim::engine::Exchange`]) with
//! three accounts — the strategy's, the recorded book's ([`mirror`]) and the recorded
//! takers' (the tape). Orders of the strategy match by the simulator's own price-time rules
//! against the recorded book as it stands at their arrival; resting ones fill when recorded
//! trades reach them in their queue; fees are the simulator's (Kalshi's formulas).
//!
//! The strategy's trades leave no mark on the recorded book: a level it took is whole again
//! at the next synchronisation (the recording goes on as it happened).

pub mod listing;
pub mod mirror;

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::{DateTime, Utc};
use kalshi::{
    ClientOrderId, Count, Money, OrderId, Price, Ticker,
    book::OrderBook,
    fees::FeeType,
    rest::Market,
    types::{BookSide, MarketResult, OrderStatus, SelfTradePrevention, TimeInForce},
};
use kalshi_sim::engine::{AccountIdx, Exchange, Notice, OrderRequest, modify::Decrease};
use tradewind_actors::orders::OrderSpec;

use self::mirror::{Queued, shrink_plan, target_levels};
use crate::config::backtest::{BacktestConfig, QueueModel};

/// Effectively unlimited cash for the book and the tape (they must never be refused).
const DEEP: Money = Money::from_micros(1_000_000_000 * Money::UNIT);

/// A fill of one of the strategy's orders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VenueFill {
    /// The trade's id.
    pub trade_id: String,
    /// The order's exchange id.
    pub order_id: OrderId,
    /// Market.
    pub ticker: Ticker,
    /// The order's side.
    pub side: BookSide,
    /// YES price of the trade.
    pub price: Price,
    /// Contracts.
    pub count: Count,
    /// Fee charged.
    pub fee: Money,
    /// Whether the order was resting (maker).
    pub maker: bool,
}

/// The state of one of the strategy's orders after an operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VenueOrder {
    /// Exchange id.
    pub order_id: OrderId,
    /// The strategy's client order id.
    pub client_order_id: Option<ClientOrderId>,
    /// Status.
    pub status: OrderStatus,
    /// Filled so far.
    pub filled: Count,
    /// Still resting.
    pub remaining: Count,
}

/// What the venue tells the strategy's side after an operation.
#[derive(Debug, Default)]
pub struct Reports {
    /// Fills of the strategy's orders.
    pub fills: Vec<VenueFill>,
    /// Orders of the strategy that changed.
    pub orders: Vec<VenueOrder>,
}

/// The venue.
#[derive(Debug)]
pub struct Venue {
    ex: Exchange,
    me: AccountIdx,
    book: AccountIdx,
    tape: AccountIdx,
    conservative: bool,
    fee_type: FeeType,
    /// Levels where the book has (had) orders, per market (`true`: bids).
    levels: HashMap<Ticker, BTreeSet<(bool, Price)>>,
    /// Markets where the strategy has an order resting (kept after every operation: asked
    /// at every recorded delta).
    resting: HashSet<String>,
}

impl Venue {
    /// An empty venue under `cfg`, its ids drawn from `cfg.seed`.
    pub fn new(cfg: &BacktestConfig) -> Venue {
        let mut ex = Exchange::new(cfg.seed);
        let balance = cfg.balance().unwrap_or(Money::ZERO);
        let me = ex.add_account("basic", balance, false);
        let book = ex.add_account("book", DEEP, true);
        let tape = ex.add_account("tape", DEEP, true);
        Venue {
            ex,
            me,
            book,
            tape,
            conservative: cfg.queue == QueueModel::Conservative,
            fee_type: cfg.fee_type,
            levels: HashMap::new(),
            resting: HashSet::new(),
        }
    }

    /// Lists `m` (once) and opens it, as its metadata says, at `now`.
    pub fn list(&mut self, m: &Market, now: DateTime<Utc>) {
        if self.ex.market(m.ticker.as_str()).is_none()
            && let Some(info) = listing::market_info(m, self.fee_type)
        {
            self.ex.add_market(info);
            self.ex.tick(now);
            self.ex.drain_notices();
        }
    }

    /// Whether the strategy has an order resting in `ticker`.
    pub fn resting(&self, ticker: &str) -> bool {
        self.resting.contains(ticker)
    }

    /// Looks again at whether the strategy rests in `ticker`.
    fn refresh_resting(&mut self, ticker: &str) {
        let rests = self.ex.market(ticker).is_some_and(|m| {
            m.book
                .keys()
                .filter_map(|k| self.ex.order(k))
                .any(|o| o.account == self.me)
        });
        if rests {
            self.resting.insert(ticker.to_owned());
        } else {
            self.resting.remove(ticker);
        }
    }

    /// Places the strategy's order against the recorded `book` as it stands `now`.
    ///
    /// # Errors
    /// The exchange's refusal, in words.
    pub fn place(
        &mut self,
        spec: &OrderSpec,
        cid: ClientOrderId,
        book: &OrderBook,
        now: DateTime<Utc>,
    ) -> Result<Reports, String> {
        self.sync(&spec.ticker, book, now);
        let req = OrderRequest {
            time_in_force: spec.time_in_force,
            post_only: spec.post_only,
            reduce_only: spec.reduce_only,
            self_trade_prevention: SelfTradePrevention::TakerAtCross,
            client_order_id: Some(cid),
            ..OrderRequest::limit(spec.ticker.clone(), spec.side, spec.price, spec.count)
        };
        match self.ex.create_order(self.me, req, now) {
            Ok(_) => Ok(self.reports(&spec.ticker)),
            Err(r) => {
                self.ex.drain_notices();
                Err(r.describe())
            }
        }
    }

    /// The exchange id of the strategy's order `cid`.
    fn order_id(&self, cid: &ClientOrderId) -> Result<OrderId, String> {
        self.ex
            .account(self.me)
            .and_then(|a| a.client_ids.get(cid))
            .and_then(|k| self.ex.order(*k))
            .map(|o| o.order_id.clone())
            .ok_or_else(|| format!("no order {cid}"))
    }

    /// Cancels one of the strategy's orders.
    ///
    /// # Errors
    /// The exchange's refusal (not found, already over), in words.
    pub fn cancel(&mut self, cid: &ClientOrderId, now: DateTime<Utc>) -> Result<Reports, String> {
        let order_id = self.order_id(cid)?;
        match self.ex.cancel_order(self.me, order_id.as_str(), now) {
            Ok((o, _)) => Ok(self.reports(&o.ticker)),
            Err(r) => Err(r.describe()),
        }
    }

    /// Amends one of the strategy's orders to `price` and `total` (filled + resting).
    ///
    /// # Errors
    /// The exchange's refusal, in words.
    pub fn amend(
        &mut self,
        cid: &ClientOrderId,
        spec: &OrderSpec,
        total: Count,
        book: &OrderBook,
        now: DateTime<Utc>,
    ) -> Result<Reports, String> {
        let order_id = self.order_id(cid)?;
        self.sync(&spec.ticker, book, now);
        let req = kalshi_sim::engine::modify::AmendRequest {
            ticker: spec.ticker.clone(),
            side: spec.side,
            price: spec.price,
            count: total,
            updated_client_order_id: None,
        };
        match self.ex.amend_order(self.me, order_id.as_str(), req, now) {
            Ok(_) => Ok(self.reports(&spec.ticker)),
            Err(r) => {
                self.ex.drain_notices();
                Err(r.describe())
            }
        }
    }

    /// A recorded trade: the tape takes `count` at `price` on `taker` side, after the book
    /// is brought to the recording's (so the strategy's resting orders meet it in their
    /// queue). Only worth calling where the strategy rests.
    pub fn trade(
        &mut self,
        ticker: &Ticker,
        taker: BookSide,
        price: Price,
        count: Count,
        book: &OrderBook,
        now: DateTime<Utc>,
    ) -> Reports {
        self.sync(ticker, book, now);
        let req = OrderRequest {
            time_in_force: TimeInForce::ImmediateOrCancel,
            ..OrderRequest::limit(ticker.clone(), taker, price, count)
        };
        // A refusal (the market closed) means the trade reaches nothing of ours.
        let _ = self.ex.create_order(self.tape, req, now);
        self.reports(ticker)
    }

    /// Settles `ticker` on `result` at `value` a YES contract: the strategy's orders there end.
    pub fn settle(&mut self, ticker: &str, result: MarketResult, value: Price, now: DateTime<Utc>) {
        self.ex.close_market(ticker, now);
        // Already determined or unknown: nothing more to do here.
        let _ = self.ex.determine(ticker, result, value, now);
        self.ex.finalize(ticker, now);
        self.ex.drain_notices();
        self.refresh_resting(ticker);
    }

    /// Cancels every order of the strategy in `ticker` (the market paused or ended).
    pub fn cancel_market(&mut self, ticker: &str, now: DateTime<Utc>) -> Reports {
        self.ex.cancel_all(self.me, Some(ticker), now);
        self.reports(ticker)
    }

    /// Brings the book's orders in `ticker` to the recorded `book`, and answers what that did
    /// to the strategy's orders (a recorded order crossing one of them trades with it).
    pub fn sync_reports(
        &mut self,
        ticker: &Ticker,
        book: &OrderBook,
        now: DateTime<Utc>,
    ) -> Reports {
        self.sync(ticker, book, now);
        self.reports(ticker)
    }

    /// Brings the book's orders in `ticker` to the recorded `book`: shrinks first, then grows.
    fn sync(&mut self, ticker: &Ticker, book: &OrderBook, now: DateTime<Utc>) {
        let target = target_levels(book);
        let levels = self.levels.entry(ticker.clone()).or_default();
        levels.extend(target.iter().map(|(s, p, _)| (*s == BookSide::Bid, *p)));
        let keys: Vec<(BookSide, Price)> = levels
            .iter()
            .map(|(bid, p)| (if *bid { BookSide::Bid } else { BookSide::Ask }, *p))
            .collect();
        let want = |side, price| {
            target
                .iter()
                .find(|(s, p, _)| *s == side && *p == price)
                .map_or(Count::ZERO, |t| t.2)
        };
        let mut grow = Vec::new();
        for (side, price) in keys {
            let have = self.mirror_size(ticker, side, price);
            let want = want(side, price);
            if want < have {
                self.shrink(ticker, side, price, have - want, now);
            } else if want > have {
                grow.push((side, price, want - have));
            }
        }
        for (side, price, n) in grow {
            let req = OrderRequest::limit(ticker.clone(), side, price, n);
            // Refused (a closed market): the level stays as it is.
            let _ = self.ex.create_order(self.book, req, now);
        }
    }

    fn queue(&self, ticker: &str, side: BookSide, price: Price) -> Vec<(OrderId, Queued)> {
        let Some(q) = self
            .ex
            .market(ticker)
            .and_then(|m| m.book.queue(side, price))
        else {
            return Vec::new();
        };
        q.iter()
            .filter_map(|k| self.ex.order(*k))
            .map(|o| {
                let queued = Queued {
                    mirror: o.account == self.book,
                    remaining: o.remaining_count,
                };
                (o.order_id.clone(), queued)
            })
            .collect()
    }

    fn mirror_size(&self, ticker: &str, side: BookSide, price: Price) -> Count {
        self.queue(ticker, side, price)
            .iter()
            .filter(|(_, q)| q.mirror)
            .map(|(_, q)| q.remaining)
            .sum()
    }

    fn shrink(
        &mut self,
        ticker: &str,
        side: BookSide,
        price: Price,
        by: Count,
        now: DateTime<Utc>,
    ) {
        let queue = self.queue(ticker, side, price);
        let plain: Vec<Queued> = queue.iter().map(|(_, q)| *q).collect();
        for (i, n) in shrink_plan(&plain, by, self.conservative) {
            let (id, q) = &queue[i];
            // The book's own orders: a refusal would mean the order is gone already.
            let _ = if n >= q.remaining {
                self.ex
                    .cancel_order(self.book, id.as_str(), now)
                    .map(|_| ())
            } else {
                self.ex
                    .decrease_order(self.book, id.as_str(), Decrease::By(n), now)
                    .map(|_| ())
            };
        }
    }

    /// What the operations since the last call (on `ticker`) did to the strategy's orders.
    fn reports(&mut self, ticker: &str) -> Reports {
        self.refresh_resting(ticker);
        let mut out = Reports::default();
        for n in self.ex.drain_notices() {
            match n {
                Notice::Fill { account, fill, .. } if account == self.me => {
                    out.fills.push(VenueFill {
                        trade_id: fill.fill_id,
                        order_id: fill.order_id,
                        ticker: fill.ticker,
                        side: fill.side,
                        price: fill.yes_price,
                        count: fill.count,
                        fee: fill.fee,
                        maker: !fill.is_taker,
                    });
                }
                Notice::OrderUpdate { account, order } if account == self.me => {
                    out.orders.push(VenueOrder {
                        order_id: order.order_id.clone(),
                        client_order_id: order.client_order_id.clone(),
                        status: order.status,
                        filled: order.fill_count,
                        remaining: order.remaining_count,
                    });
                }
                _ => {}
            }
        }
        out
    }
}

#[cfg(test)]
mod tests;
