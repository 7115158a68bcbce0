//! The backtest's venue: the simulator's exchange core ([`kalshi_sim::engine::Exchange`]) with
//! three accounts — the strategy's, the recorded book's ([`mirror`]) and the recorded
//! takers' (the tape). Orders of the strategy match by the simulator's own price-time rules
//! against the recorded book as it stands at their arrival; resting ones fill when recorded
//! trades reach them in their queue; fees are the simulator's (Kalshi's formulas).
//!
//! The strategy's trades leave no mark on the recorded book: a level it took is whole again
//! at the next synchronisation (the recording goes on as it happened).

mod book_sync;
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
use kalshi_sim::engine::{AccountIdx, Exchange, Notice, OrderRequest};
use tradewind_actors::orders::OrderSpec;

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
    /// `[orders] self_trade_prevention` of the strategy's orders.
    stp: SelfTradePrevention,
    /// Markets where the strategy has an order resting (kept after every operation: asked
    /// at every recorded delta).
    resting: HashSet<String>,
    /// Resting orders fill only by recorded trades ([`Venue::fill_by_trades_only`]).
    trades_only: bool,
}

impl Venue {
    /// An empty venue under `cfg`, its ids drawn from `cfg.seed`; the strategy's orders carry
    /// `stp` (`[orders] self_trade_prevention`).
    pub fn new(cfg: &BacktestConfig, stp: SelfTradePrevention) -> Venue {
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
            stp,
            resting: HashSet::new(),
            trades_only: false,
        }
    }

    /// From now on the strategy's resting orders fill only by recorded trades: the book's
    /// levels never cross them (a history download's one-level books, sampled once a period,
    /// say where the quote stood, not who traded with whom).
    pub fn fill_by_trades_only(&mut self) {
        self.trades_only = true;
    }

    /// Whether the book growing at `price` on `side` in `ticker` would cross a resting order
    /// of the strategy.
    fn crosses_strategy(&self, ticker: &str, side: BookSide, price: Price) -> bool {
        let Some(m) = self.ex.market(ticker) else {
            return false;
        };
        m.book
            .keys()
            .filter_map(|k| self.ex.order(k))
            .filter(|o| o.account == self.me && o.side != side)
            .any(|o| match side {
                BookSide::Bid => price >= o.price,
                BookSide::Ask => price <= o.price,
            })
    }

    /// Lists `m` (once) and brings the venue's clock to `now` ([`Venue::tick`]).
    pub fn list(&mut self, m: &Market, now: DateTime<Utc>) -> Reports {
        if self.ex.market(m.ticker.as_str()).is_none()
            && let Some(info) = listing::market_info(m, self.fee_type)
        {
            self.ex.add_market(info);
        }
        self.tick(now)
    }

    /// Brings the venue's clock to `now`: markets open at their open time and close at their
    /// close time (the strategy's orders there are cancelled, as Kalshi does).
    pub fn tick(&mut self, now: DateTime<Utc>) -> Reports {
        self.ex.tick(now);
        self.reports(None)
    }

    /// Pauses (`true`) or reactivates `ticker`, as a recorded lifecycle event says.
    pub fn pause(&mut self, ticker: &str, paused: bool, now: DateTime<Utc>) -> Reports {
        // Refused when the market is not in a state to change: nothing to do then.
        let _ = if paused {
            self.ex.pause_market(ticker, now)
        } else {
            self.ex.unpause_market(ticker, now)
        };
        self.reports(Some(ticker))
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
            self_trade_prevention: self.stp.clone(),
            client_order_id: Some(cid),
            ..OrderRequest::limit(spec.ticker.clone(), spec.side, spec.price, spec.count)
        };
        match self.ex.create_order(self.me, req, now) {
            Ok(_) => Ok(self.reports(Some(&spec.ticker))),
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
            Ok((o, _)) => Ok(self.reports(Some(&o.ticker))),
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
            Ok(_) => Ok(self.reports(Some(&spec.ticker))),
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
        self.reports(Some(ticker))
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
        self.reports(Some(ticker))
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
        self.reports(Some(ticker))
    }

    /// What the operations since the last call (on `ticker`, and wherever the strategy's
    /// orders changed) did to the strategy's orders.
    fn reports(&mut self, ticker: Option<&str>) -> Reports {
        let mut touched: BTreeSet<String> = ticker.map(str::to_owned).into_iter().collect();
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
                    touched.insert(order.ticker.to_string());
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
        for t in touched {
            self.refresh_resting(&t);
        }
        out
    }
}

#[cfg(test)]
mod tests;
