//! Orders reaching the venue (against the recorded book as it stands then) and the venue's
//! answers reaching the engine one order latency later: the desk applies them as the live
//! order manager applies the exchange's, fills are booked and reported, the strategy told.

use kalshi::ClientOrderId;
use tradewind_actors::{
    orders::{
        OrderRecord,
        state::{Event, Failure},
    },
    strategy::{AmendIntent, Intent},
};

use super::{Answer, Due, Op, Replay, ledger_fill};
use crate::backtest::venue::Reports;

impl Replay {
    /// `op` reaches the venue now.
    pub(super) fn arrive(&mut self, op: Op) {
        let key = match &op {
            Op::Place(k) | Op::Cancel(k) | Op::Amend { key: k, .. } => k.clone(),
        };
        let Some(order) = self.desk.order(&key).cloned() else {
            return;
        };
        let Some(cid) = order.client_order_id.clone() else {
            return;
        };
        let book = self
            .books
            .by_ticker(order.spec.ticker.as_str())
            .map(|e| e.book.clone())
            .unwrap_or_default();
        let now = self.now();
        let result = match &op {
            Op::Place(_) => self.venue.place(&order.spec, cid, &book, now),
            Op::Cancel(_) => self.venue.cancel(&cid, now),
            Op::Amend { price, total, .. } => {
                let mut spec = order.spec.clone();
                spec.price = *price;
                self.venue.amend(&cid, &spec, *total, &book, now)
            }
        };
        self.answer_later(Some(op), result);
    }

    /// The venue's answer reaches the engine now.
    pub(super) fn answer(&mut self, a: Answer) {
        let now = self.now();
        let mut changed: Vec<OrderRecord> = Vec::new();
        match (&a.op, a.result) {
            (Some(Op::Place(key)), Err(why)) => {
                self.tally.rejected += 1;
                let ev = Event::Failed(Failure::Rejected(why));
                changed.extend(self.desk.apply(key, &ev, now));
            }
            (Some(Op::Cancel(key)), Err(why)) => {
                changed.extend(self.desk.apply(key, &Event::CancelFailed(why), now));
            }
            (Some(Op::Amend { key, price, total }), Err(why)) => {
                self.tally.rejected += 1;
                let remaining = self.desk.order(key).map_or(*total, |o| *total - o.filled());
                let intent = Intent::Amend(AmendIntent {
                    key: key.clone(),
                    price: *price,
                    remaining,
                });
                let more = self.strategy.on_refused(&intent, &why);
                self.dispatch(more);
            }
            (None, Err(_)) => {}
            (op, Ok(reports)) => {
                changed.extend(self.acknowledged(op.as_ref(), &reports));
                changed.extend(self.booked(&reports, a.at_ns));
            }
        }
        let more = self.told(&changed);
        self.dispatch(more);
        self.check_loss();
    }

    /// Sends the venue's `result` (to `op`, or news of its own) back to the engine, one order
    /// latency from now.
    pub(super) fn answer_later(&mut self, op: Option<Op>, result: Result<Reports, String>) {
        if let Ok(r) = &result
            && op.is_none()
            && r.fills.is_empty()
            && r.orders.is_empty()
        {
            return;
        }
        let at_ns = self.now_ns;
        let answer = Answer { op, at_ns, result };
        self.agenda
            .at(self.now_ns + self.order_latency_ns(), Due::Answer(answer));
    }

    /// What a successful placement or amend says of its own order.
    fn acknowledged(&mut self, op: Option<&Op>, reports: &Reports) -> Option<OrderRecord> {
        let now = self.now();
        match op? {
            Op::Place(key) => {
                let cid = ClientOrderId::new(key.as_str()).ok()?;
                let last = reports
                    .orders
                    .iter()
                    .rev()
                    .find(|o| o.client_order_id.as_ref() == Some(&cid))?;
                self.desk.placed(key, last, now)
            }
            Op::Amend { key, price, total } => {
                let ev = Event::Amended {
                    price: *price,
                    count: *total,
                };
                self.desk.apply(key, &ev, now)
            }
            Op::Cancel(_) => None,
        }
    }

    /// Fills booked and order changes applied; fills reported at the venue's instant and
    /// told to the strategy.
    fn booked(&mut self, reports: &Reports, at_ns: u64) -> Vec<OrderRecord> {
        let now = self.now();
        let changed = self.desk.report(&reports.orders, &reports.fills, now);
        for f in &changed.fills {
            self.tally.fills += 1;
            let held = self.desk.position(f.ticker.as_str());
            if let Some(p) = self.markets.get_mut(&f.ticker) {
                p.position = held;
            }
            self.out.push(ledger_fill(at_ns, f));
            let more = self
                .strategy
                .on_fill(&f.ticker, f.side, f.yes_price, f.count);
            self.dispatch(more);
        }
        changed.orders
    }
}
