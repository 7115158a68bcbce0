//! The strategy's intents in the replay, as the strategy actor and the order manager take
//! them: a placement admitted (or refused, told back at once) and put on its way to the
//! venue; cancels and amends checked and sent after it. Every change of an order is told to
//! the strategy, whose new intents are taken in turn.

use kalshi::Ticker;
use tradewind_actors::{
    orders::{OrderRecord, refusal::Refusal, state::Event},
    strategy::{AmendIntent, Intent, PlaceIntent},
};

use super::{Due, Op, Replay};

/// How deep intents may beget intents within one instant (a strategy answering every
/// refusal with a new intent must not loop for ever).
const MAX_DEPTH: usize = 16;

impl Replay {
    /// Takes the strategy's intents.
    pub(super) fn dispatch(&mut self, intents: Vec<Intent>) {
        self.dispatch_at(intents, 0);
    }

    fn dispatch_at(&mut self, intents: Vec<Intent>, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        for intent in intents {
            self.tally.intents += 1;
            let result = match &intent {
                Intent::Place(p) => self.place(p),
                Intent::Cancel(key) => self.cancel(key).map(|o| o.into_iter().collect()),
                Intent::CancelMarket(t) => Ok(self.cancel_market(t)),
                Intent::Amend(a) => self.amend(a).map(|()| Vec::new()),
            };
            let more = match result {
                Ok(changed) => self.told(&changed),
                Err(r) => {
                    self.tally.refused += 1;
                    self.strategy.on_refused(&intent, &r.to_string())
                }
            };
            self.dispatch_at(more, depth + 1);
        }
    }

    /// Tells the strategy of changed orders (and of those that ended); its answers.
    pub(super) fn told(&mut self, changed: &[OrderRecord]) -> Vec<Intent> {
        let mut more = Vec::new();
        for o in changed {
            more.extend(self.strategy.on_order(o));
            if o.state.is_terminal() {
                more.extend(self.strategy.on_order_done(&o.spec.ticker));
            }
        }
        more
    }

    fn place(&mut self, p: &PlaceIntent) -> Result<Vec<OrderRecord>, Refusal> {
        if let Some(why) = &self.halted {
            return Err(Refusal::Halted(why.clone()));
        }
        let ticker = &p.spec.ticker;
        let market = self
            .markets
            .get(ticker)
            .map(|m| &m.market)
            .ok_or_else(|| Refusal::UnknownMarket(ticker.clone()))?;
        let priced = Some((p.book_epoch, self.stale_epoch.get(ticker).copied()));
        let now = self.now();
        let order = self.desk.admit(
            &p.spec,
            market,
            priced,
            self.blackout.as_deref(),
            now,
            u128::from(self.now_ns),
        )?;
        self.send(Op::Place(order.key.clone()));
        Ok(vec![order])
    }

    fn cancel(&mut self, key: &str) -> Result<Option<OrderRecord>, Refusal> {
        let open = self.desk.order(key).is_some_and(|o| o.state.is_open());
        if !open {
            return Err(Refusal::NoSuchOrder(key.to_owned()));
        }
        let now = self.now();
        let changed = self.desk.apply(key, &Event::CancelSent, now);
        self.send(Op::Cancel(key.to_owned()));
        Ok(changed)
    }

    /// Cancels every open order (a halt, a blackout with `orders.cancel_on_blackout`); the
    /// strategy is told of each.
    pub(super) fn cancel_everything(&mut self) {
        let changed: Vec<OrderRecord> = self
            .desk
            .open_keys(None)
            .iter()
            .filter_map(|k| self.cancel(k).ok().flatten())
            .collect();
        let more = self.told(&changed);
        self.dispatch(more);
    }

    fn cancel_market(&mut self, ticker: &Ticker) -> Vec<OrderRecord> {
        let keys = self.desk.open_keys(Some(ticker.as_str()));
        keys.iter()
            .filter_map(|k| self.cancel(k).ok().flatten())
            .collect()
    }

    fn amend(&mut self, a: &AmendIntent) -> Result<(), Refusal> {
        if let Some(why) = &self.halted {
            return Err(Refusal::Halted(why.clone()));
        }
        let ticker = self
            .desk
            .order(&a.key)
            .map(|o| o.spec.ticker.clone())
            .ok_or_else(|| Refusal::NoSuchOrder(a.key.clone()))?;
        let market = self
            .markets
            .get(&ticker)
            .map(|m| &m.market)
            .ok_or_else(|| Refusal::UnknownMarket(ticker.clone()))?;
        let total = self.desk.check_amend(
            &a.key,
            a.price,
            a.remaining,
            market,
            self.blackout.as_deref(),
            self.now(),
        )?;
        self.send(Op::Amend {
            key: a.key.clone(),
            price: a.price,
            total,
        });
        Ok(())
    }

    /// Puts `op` on its way: it reaches the venue one order latency from now.
    fn send(&mut self, op: Op) {
        let at = self.now_ns + self.order_latency_ns();
        self.agenda.at(at, Due::Arrive(op));
    }
}
