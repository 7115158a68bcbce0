//! Market lifecycle (kalshi-api.md §7): `initialized → active` at the open time and
//! `active/inactive → closed` at the close time (both silent, as on Kalshi), pause and unpause
//! (`deactivated`/`activated`; unpausing cancels every resting order), `closed → determined`
//! (`determined`), `determined → finalized` after the settlement timer (`settled`, positions
//! paid out), and expiry of GTC orders with an `expiration_time`.

use chrono::{DateTime, Duration, Utc};
use kalshi::{
    Count, Money, Price,
    types::{LifecycleEventType, MarketResult, MarketStatus},
};

use super::{Exchange, LifecycleNotice, Notice, OrderKey, Reject, SettlementRecord};

impl Exchange {
    /// Advances time-driven state to `now`: opens, closes, finalizes markets and expires
    /// orders. Cheap when nothing is due.
    pub fn tick(&mut self, now: DateTime<Utc>) {
        let mut to_close = Vec::new();
        let mut to_finalize = Vec::new();
        for m in self.markets.values_mut() {
            match m.status {
                MarketStatus::Initialized if now >= m.info.open_time => {
                    m.status = MarketStatus::Active;
                    m.updated_time = now;
                }
                MarketStatus::Active | MarketStatus::Inactive if now >= m.info.close_time => {
                    to_close.push(m.info.ticker.clone());
                }
                MarketStatus::Determined => {
                    let due = m
                        .determined_at
                        .map(|d| d + Duration::seconds(m.info.settlement_timer_seconds) <= now);
                    if due == Some(true) {
                        to_finalize.push(m.info.ticker.clone());
                    }
                }
                _ => {}
            }
        }
        for t in to_close {
            self.close_market(&t, now);
        }
        for t in to_finalize {
            self.finalize(&t, now);
        }
        let expired: Vec<OrderKey> = self
            .orders
            .values()
            .filter(|o| o.is_resting() && o.expiration_ts.is_some_and(|ts| ts <= now.timestamp()))
            .map(|o| o.key)
            .collect();
        for key in expired {
            self.cancel_key(key, now);
        }
    }

    fn resting_keys(&self, ticker: &str) -> Vec<OrderKey> {
        self.markets
            .get(ticker)
            .map(|m| m.book.keys().collect())
            .unwrap_or_default()
    }

    fn lifecycle(&mut self, notice: LifecycleNotice) {
        self.notices.push(Notice::Lifecycle(notice));
    }

    /// Pauses a market: no new orders; resting orders with `cancel_order_on_pause` are
    /// canceled, the others keep resting.
    pub fn pause_market(&mut self, ticker: &str, now: DateTime<Utc>) -> Result<(), Reject> {
        let m = self
            .markets
            .get_mut(ticker)
            .ok_or_else(|| Reject::not_found(ticker))?;
        if m.status != MarketStatus::Active {
            return Err(Reject::invalid(format!("market {ticker} is {}", m.status)));
        }
        m.status = MarketStatus::Inactive;
        m.updated_time = now;
        let t = m.info.ticker.clone();
        let keys: Vec<OrderKey> = self
            .resting_keys(ticker)
            .into_iter()
            .filter(|k| self.orders.get(k).is_some_and(|o| o.cancel_order_on_pause))
            .collect();
        for k in keys {
            self.cancel_key(k, now);
        }
        let mut n = LifecycleNotice::new(LifecycleEventType::Deactivated, t);
        n.is_deactivated = Some(true);
        self.lifecycle(n);
        Ok(())
    }

    /// Unpauses a market. As on Kalshi, unpausing cancels every resting order.
    pub fn unpause_market(&mut self, ticker: &str, now: DateTime<Utc>) -> Result<(), Reject> {
        let m = self
            .markets
            .get_mut(ticker)
            .ok_or_else(|| Reject::not_found(ticker))?;
        if m.status != MarketStatus::Inactive {
            return Err(Reject::invalid(format!("market {ticker} is {}", m.status)));
        }
        m.status = MarketStatus::Active;
        m.updated_time = now;
        let t = m.info.ticker.clone();
        for k in self.resting_keys(ticker) {
            self.cancel_key(k, now);
        }
        let mut n = LifecycleNotice::new(LifecycleEventType::Activated, t);
        n.is_deactivated = Some(false);
        self.lifecycle(n);
        Ok(())
    }

    /// Closes a market now (at its close time, or early from the admin interface, which
    /// announces the moved close time) and cancels its resting orders.
    pub fn close_market(&mut self, ticker: &str, now: DateTime<Utc>) {
        let Some(m) = self.markets.get_mut(ticker) else {
            return;
        };
        if !matches!(m.status, MarketStatus::Active | MarketStatus::Inactive) {
            return;
        }
        let early = now < m.info.close_time;
        if early {
            m.info.close_time = now;
        }
        m.status = MarketStatus::Closed;
        m.updated_time = now;
        let t = m.info.ticker.clone();
        for k in self.resting_keys(ticker) {
            self.cancel_key(k, now);
        }
        if early {
            let mut n = LifecycleNotice::new(LifecycleEventType::CloseDateUpdated, t);
            n.close_ts = Some(now.timestamp());
            self.lifecycle(n);
        }
    }

    /// Records a closed market's result; settlement follows after the settlement timer.
    pub fn determine(
        &mut self,
        ticker: &str,
        result: MarketResult,
        yes_value: Price,
        now: DateTime<Utc>,
    ) -> Result<(), Reject> {
        let m = self
            .markets
            .get_mut(ticker)
            .ok_or_else(|| Reject::not_found(ticker))?;
        if m.status != MarketStatus::Closed {
            return Err(Reject::invalid(format!(
                "market {ticker} is {}, not closed",
                m.status
            )));
        }
        m.status = MarketStatus::Determined;
        m.result = result.clone();
        m.settlement_value = Some(yes_value);
        m.determined_at = Some(now);
        m.updated_time = now;
        let mut n = LifecycleNotice::new(LifecycleEventType::Determined, m.info.ticker.clone());
        n.result = Some(result);
        n.determination_ts = Some(now.timestamp());
        n.settlement_value = Some(yes_value);
        self.lifecycle(n);
        Ok(())
    }

    /// Pays out a determined market: each YES contract gets the YES value, each NO contract
    /// the rest of the dollar.
    pub fn finalize(&mut self, ticker: &str, now: DateTime<Utc>) {
        let Some(m) = self.markets.get_mut(ticker) else {
            return;
        };
        if m.status != MarketStatus::Determined {
            return;
        }
        let yes_value = m.settlement_value.unwrap_or(Price::ZERO);
        m.status = MarketStatus::Finalized;
        m.settled_at = Some(now);
        m.updated_time = now;
        m.open_interest = Count::ZERO;
        let t = m.info.ticker.clone();
        let event_ticker = m.info.event_ticker.clone();
        let result = m.result.clone();
        for (i, acct) in self.accounts.iter_mut().enumerate() {
            let Some(pos) = acct.positions.get_mut(ticker) else {
                continue;
            };
            if pos.position.is_zero() {
                continue;
            }
            let (yes_count, no_count) = if pos.position.is_positive() {
                (pos.position, Count::ZERO)
            } else {
                (Count::ZERO, pos.position.abs())
            };
            let revenue = yes_value.notional(yes_count) + yes_value.complement().notional(no_count);
            let cost = pos.exposure;
            pos.realized_pnl += revenue - cost;
            pos.exposure = Money::ZERO;
            pos.position = Count::ZERO;
            pos.updated = Some(now);
            let snapshot = pos.clone();
            acct.balance += revenue;
            acct.settlements.push(SettlementRecord {
                ticker: t.clone(),
                event_ticker: event_ticker.clone(),
                result: result.clone(),
                yes_count,
                yes_total_cost: if yes_count.is_zero() {
                    Money::ZERO
                } else {
                    cost
                },
                no_count,
                no_total_cost: if no_count.is_zero() {
                    Money::ZERO
                } else {
                    cost
                },
                revenue,
                yes_value,
                ts: now,
            });
            self.notices.push(Notice::PositionUpdate {
                account: super::AccountIdx(i as u32),
                ticker: t.clone(),
                position: snapshot,
            });
        }
        let mut n = LifecycleNotice::new(LifecycleEventType::Settled, t);
        n.settlement_value = Some(yes_value);
        n.settled_ts = Some(now.timestamp());
        self.lifecycle(n);
    }
}
