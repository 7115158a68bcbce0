//! The backtest's order manager: the live order manager's ledger ([`Ledger`], its state
//! machine), positions ([`Positions`]) and admission checks ([`admission`]) on the virtual
//! clock. Placements and amends are admitted or refused by the live checks; an admitted one gets a client id from the same scheme and is
//! `PendingNew` until the venue's answer comes back. The kill switch is modelled by the
//! daily loss limit alone (`[orders] max_daily_loss_dollars`, with marks from the books).

use chrono::{DateTime, Utc};
use kalshi::{ClientOrderId, Count, rest::Market};
use tradewind_actors::orders::{
    OrderRecord, OrderSpec, OrdersConfig,
    admission::{self, AmendKind, OpenState},
    ids,
    positions::{FillRecord, Mark, Positions},
    refusal::Refusal,
    risk::{RateWindow, RiskLimits},
    state::{Event, Ledger},
};

use super::venue::{VenueFill, VenueOrder};

/// The backtest's order manager.
#[derive(Debug)]
pub struct Desk {
    strategy_id: String,
    limits: RiskLimits,
    ledger: Ledger,
    positions: Positions,
    rate: RateWindow,
    next_seq: u64,
}

/// What a venue report changed: the orders (their records after the change) and the fills.
#[derive(Debug, Default)]
pub struct Changed {
    /// Orders whose record changed.
    pub orders: Vec<OrderRecord>,
    /// Fills booked (first time seen).
    pub fills: Vec<FillRecord>,
}

impl Desk {
    /// A desk under `[orders]`.
    pub fn new(cfg: &OrdersConfig) -> Desk {
        Desk {
            strategy_id: cfg.strategy_id.clone(),
            limits: RiskLimits::from_config(cfg),
            ledger: Ledger::default(),
            positions: Positions::default(),
            rate: RateWindow::default(),
            next_seq: 1,
        }
    }

    /// The position held in `ticker`.
    pub fn position(&self, ticker: &str) -> Count {
        self.positions.count(ticker)
    }

    /// `ticker` settled: nothing is held there any more (live, reconciliation adopts the
    /// exchange's empty position).
    pub fn settle(&mut self, ticker: &kalshi::Ticker) {
        self.positions
            .adopt(ticker, Count::ZERO, kalshi::Money::ZERO);
    }

    /// The market's best bid and ask now (for unrealised P&L, as live).
    pub fn set_mark(&mut self, ticker: &kalshi::Ticker, mark: Mark) {
        self.positions.set_mark(ticker, mark);
    }

    /// Whether today's P&L (realised − fees + unrealised) reached `−max_daily_loss` at
    /// `now`: the live kill switch's condition.
    pub fn loss_limit_hit(&self, now: DateTime<Utc>) -> bool {
        self.positions.daily_pnl(now) <= -self.limits.max_daily_loss
    }

    /// An order by key.
    pub fn order(&self, key: &str) -> Option<&OrderRecord> {
        self.ledger.get(key)
    }

    /// Keys of the open orders in `ticker` (every market: `None`).
    pub fn open_keys(&self, ticker: Option<&str>) -> Vec<String> {
        self.ledger
            .open()
            .filter(|o| ticker.is_none_or(|t| o.spec.ticker.as_str() == t))
            .map(|o| o.key.clone())
            .collect()
    }

    /// Runs the live admission checks on `spec` (priced on a book of `epoch`; `stale`: the
    /// last epoch of its market that went stale; `blackout`: the gate's verdict) and records
    /// the order `PendingNew`: its record, with its client order id.
    ///
    /// # Errors
    /// The refusal, as the live order manager words it.
    pub fn admit(
        &mut self,
        spec: &OrderSpec,
        market: &Market,
        priced: Option<(u64, Option<u64>)>,
        blackout: Option<&str>,
        now: DateTime<Utc>,
        now_ns: u128,
    ) -> Result<OrderRecord, Refusal> {
        admission::check_fields(spec, self.positions.count(&spec.ticker))?;
        admission::check_market(spec, market)?;
        if let Some((epoch, Some(stale))) = priced
            && epoch <= stale
        {
            return Err(Refusal::StaleBook {
                ticker: spec.ticker.clone(),
                epoch: stale,
            });
        }
        let open = OpenState {
            ledger: &self.ledger,
            positions: &self.positions,
            limits: &self.limits,
            blackout,
            orders_last_minute: self.rate.count(now_ns),
            now,
        };
        admission::check_open(spec, &open)?;
        let order = self.record_intent(spec, priced.map(|p| p.0), now)?;
        self.rate.record(now_ns);
        Ok(order)
    }

    fn record_intent(
        &mut self,
        spec: &OrderSpec,
        epoch: Option<u64>,
        now: DateTime<Utc>,
    ) -> Result<OrderRecord, Refusal> {
        let seq = self.next_seq;
        let cid: ClientOrderId = ids::client_order_id(&self.strategy_id, &spec.ticker, seq)
            .map_err(|e| Refusal::Invalid {
                field: "ticker",
                reason: e.to_string(),
            })?;
        self.next_seq += 1;
        let order = OrderRecord::intent(cid, seq, spec.clone(), epoch, now);
        self.ledger.insert(order.clone());
        Ok(order)
    }

    /// The live amend checks ([`admission::amend_kind`], [`admission::check_amend_open`]) for
    /// order `key` to `price` and `remaining` resting: answers the new total (filled +
    /// resting). A decrease at the same price always passes.
    ///
    /// # Errors
    /// The refusal, as the live order manager words it.
    pub fn check_amend(
        &self,
        key: &str,
        price: kalshi::Price,
        remaining: Count,
        market: &Market,
        blackout: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<Count, Refusal> {
        let o = self
            .ledger
            .get(key)
            .ok_or_else(|| Refusal::NoSuchOrder(key.to_owned()))?;
        let total = match admission::amend_kind(o, price, remaining)? {
            (_, AmendKind::Decrease { .. }) => return Ok(o.filled() + remaining),
            (_, AmendKind::Amend { total }) => total,
        };
        let open = OpenState {
            ledger: &self.ledger,
            positions: &self.positions,
            limits: &self.limits,
            blackout,
            orders_last_minute: 0,
            now,
        };
        admission::check_amend_open(o, price, remaining, market, &open)?;
        Ok(total)
    }

    /// Applies `ev` to order `key`; its record when it changed.
    pub fn apply(&mut self, key: &str, ev: &Event, now: DateTime<Utc>) -> Option<OrderRecord> {
        self.ledger.apply(key, ev, now)?;
        self.ledger.get(key).cloned()
    }

    /// The venue's answer to a placement of `key`: its state after matching (`Acked`).
    pub fn placed(&mut self, key: &str, o: &VenueOrder, now: DateTime<Utc>) -> Option<OrderRecord> {
        let ev = Event::Acked {
            order_id: o.order_id.clone(),
            filled: o.filled,
            remaining: o.remaining,
        };
        self.apply(key, &ev, now)
    }

    /// What the venue reported: order changes (by client id) and fills (booked once).
    pub fn report(
        &mut self,
        orders: &[VenueOrder],
        fills: &[VenueFill],
        now: DateTime<Utc>,
    ) -> Changed {
        let mut out = Changed::default();
        for f in fills {
            let Some(key) = self.ledger.key_of_order_id(f.order_id.as_str()) else {
                continue;
            };
            let key = key.to_owned();
            let fill = fill_record(f, &key, now);
            if self.positions.record(&fill).is_some() {
                out.orders
                    .extend(self.apply(&key, &Event::Filled(f.count), now));
                out.fills.push(fill);
            }
        }
        for o in orders {
            let Some(key) = o.client_order_id.as_ref().map(|c| c.to_string()) else {
                continue;
            };
            let ev = Event::Exchange {
                order_id: o.order_id.clone(),
                status: o.status.clone(),
                filled: o.filled,
                remaining: o.remaining,
            };
            out.orders.extend(self.apply(&key, &ev, now));
        }
        out
    }
}

fn fill_record(f: &VenueFill, key: &str, now: DateTime<Utc>) -> FillRecord {
    FillRecord {
        trade_id: f.trade_id.clone(),
        order_id: f.order_id.clone(),
        client_order_id: Some(key.to_owned()),
        ticker: f.ticker.clone(),
        side: f.side,
        yes_price: f.price,
        count: f.count,
        fee: f.fee,
        is_taker: !f.maker,
        ts: now,
    }
}
