//! How [`Subs`] converges: the reconcile step that turns the difference between the watched
//! set and the connection's subscriptions into commands, and the repairs (drop, re-create,
//! reject) that replies call for.

use std::collections::BTreeSet;

use kalshi::{
    Ticker,
    ws::{Channel, Command, ErrorResponse, MarketFilter, UpdateAction, WsErrorCode},
};

use super::{BookSub, Conn, Pending, Plan, Subs};

impl Subs {
    /// Records refused markets: the one named by a 16, else all of the command's.
    pub(super) fn reject(&mut self, err: &ErrorResponse, tickers: &[Ticker]) {
        let named = err
            .market_ticker
            .as_deref()
            .and_then(|t| tickers.iter().find(|x| x.as_str() == t));
        match named {
            Some(t) if err.code == WsErrorCode::MARKET_NOT_FOUND => {
                self.rejected.insert(t.clone(), err.code);
            }
            _ => {
                for t in tickers {
                    self.rejected.insert(t.clone(), err.code);
                }
            }
        }
    }

    /// Subscribes the account and lifecycle channels (and public trades, when asked).
    pub(super) fn subscribe_user(&mut self, plan: &mut Plan) {
        let Some(c) = self.conn.as_mut() else { return };
        let id = c.id();
        plan.commands
            .push(Command::subscribe(id, self.user.clone(), MarketFilter::All));
        c.pending.insert(
            id,
            Pending::User {
                remaining: self.user.len(),
            },
        );
    }

    /// Every subscription is dead (an untraceable 10/17/25): unsubscribe what is left and
    /// subscribe everything again — once, until the new subscriptions answer.
    pub(super) fn resubscribe_all(&mut self, plan: &mut Plan) {
        let Some(c) = self.conn.as_mut() else { return };
        if !c.resubscribing.is_empty() {
            return;
        }
        let mut sids = std::mem::take(&mut c.user_sids);
        for (_, sub) in std::mem::take(&mut c.books) {
            sids.extend(sub.sid);
            plan.lost.extend(sub.tickers);
        }
        c.pending.retain(|_, p| matches!(p, Pending::Unsubscribe));
        if !sids.is_empty() {
            c.unsubscribe(sids, plan);
        }
        let from = plan.commands.len();
        self.subscribe_user(plan);
        self.reconcile(plan);
        if let Some(c) = self.conn.as_mut() {
            c.resubscribing = plan.commands[from..].iter().map(|c| c.id).collect();
        }
    }

    /// Forgets a subscription; returns its markets.
    pub(super) fn remove_sub(&mut self, key: u64) -> Vec<Ticker> {
        self.conn
            .as_mut()
            .and_then(|c| c.books.remove(&key))
            .map(|s| s.tickers.into_iter().collect())
            .unwrap_or_default()
    }

    /// Drops a subscription (unsubscribing it if it has a sid); its watched markets are lost
    /// until the next reconcile subscribes them again.
    pub(super) fn drop_sub(&mut self, key: u64, plan: &mut Plan) {
        if let Some(sid) = self.forget_sub(key, plan)
            && let Some(c) = self.conn.as_mut()
        {
            c.unsubscribe(vec![sid], plan);
        }
    }

    /// Forgets a subscription and the commands about it; its watched markets are lost until
    /// the next reconcile subscribes them again. Returns its sid, if it had one.
    pub(super) fn forget_sub(&mut self, key: u64, plan: &mut Plan) -> Option<u64> {
        let c = self.conn.as_mut()?;
        let sub = c.books.remove(&key)?;
        c.pending.retain(|_, p| {
            !matches!(p, Pending::Add(k, _) | Pending::Delete(k) | Pending::Snapshot(k) | Pending::Subscribe(k) if *k == key)
        });
        plan.lost
            .extend(sub.tickers.into_iter().filter(|t| self.watched.contains(t)));
        sub.sid
    }

    /// Command `id` was answered: reports readiness once every initial command was.
    pub(super) fn answered(&mut self, id: u64, plan: &mut Plan) {
        let Some(c) = self.conn.as_mut() else { return };
        c.resubscribing.remove(&id);
        if let Some(initial) = c.initial.as_mut() {
            initial.remove(&id);
            if initial.is_empty() {
                c.initial = None;
                plan.ready = true;
            }
        }
    }

    /// Brings the subscriptions towards the watched set: deletes markets no longer watched,
    /// adds missing ones to subscriptions with room, subscribes the rest in chunks.
    pub(super) fn reconcile(&mut self, plan: &mut Plan) {
        let Some(c) = self.conn.as_mut() else { return };
        let present = c.drop_unwatched(&self.watched, plan);
        let mut missing = self
            .watched
            .iter()
            .filter(|t| !present.contains(*t) && !self.rejected.contains_key(*t))
            .cloned()
            .peekable();
        c.add_to_open(&mut missing, self.cap, plan);
        let rest: Vec<Ticker> = missing.collect();
        c.subscribe_new(&rest, self.cap, plan);
    }
}

impl Conn {
    /// Deletes unwatched markets from settled subscriptions (unsubscribing those left empty);
    /// answers the markets still subscribed.
    fn drop_unwatched(&mut self, watched: &BTreeSet<Ticker>, plan: &mut Plan) -> BTreeSet<Ticker> {
        let mut present = BTreeSet::new();
        let mut emptied = Vec::new();
        for (key, sub) in &mut self.books {
            if sub.sid.is_some() && sub.busy.is_none() {
                let extra: Vec<Ticker> = sub
                    .tickers
                    .iter()
                    .filter(|t| !watched.contains(*t))
                    .cloned()
                    .collect();
                if extra.len() == sub.tickers.len() && !extra.is_empty() {
                    emptied.push(*key);
                    continue;
                }
                if !extra.is_empty() {
                    let id = next(&mut self.next_id);
                    let sid = sub.sid.unwrap_or_default();
                    for t in &extra {
                        sub.tickers.remove(t);
                    }
                    plan.commands.push(Command::update(
                        id,
                        sid,
                        UpdateAction::DeleteMarkets,
                        extra,
                    ));
                    sub.busy = Some(id);
                    self.pending.insert(id, Pending::Delete(*key));
                }
            }
            present.extend(sub.tickers.iter().cloned());
        }
        for key in emptied {
            if let Some(sub) = self.books.remove(&key)
                && let Some(sid) = sub.sid
            {
                self.unsubscribe(vec![sid], plan);
            }
        }
        present
    }

    /// Adds missing markets to settled subscriptions with room (at most `cap` each).
    fn add_to_open(
        &mut self,
        missing: &mut std::iter::Peekable<impl Iterator<Item = Ticker>>,
        cap: usize,
        plan: &mut Plan,
    ) {
        for (key, sub) in &mut self.books {
            let room = cap.saturating_sub(sub.tickers.len());
            if sub.busy.is_some() || room == 0 || missing.peek().is_none() {
                continue;
            }
            let Some(sid) = sub.sid else { continue };
            let add: Vec<Ticker> = missing.by_ref().take(room).collect();
            let id = next(&mut self.next_id);
            plan.commands.push(Command::update(
                id,
                sid,
                UpdateAction::AddMarkets,
                add.clone(),
            ));
            sub.tickers.extend(add.iter().cloned());
            sub.busy = Some(id);
            plan.requested.extend(add.iter().cloned());
            self.pending.insert(id, Pending::Add(*key, add));
        }
    }

    /// Subscribes `rest` in new subscriptions of at most `cap` markets.
    fn subscribe_new(&mut self, rest: &[Ticker], cap: usize, plan: &mut Plan) {
        for chunk in rest.chunks(cap) {
            let id = next(&mut self.next_id);
            let key = next(&mut self.next_key);
            plan.commands.push(Command::subscribe(
                id,
                vec![Channel::OrderbookDelta],
                MarketFilter::Tickers(chunk.to_vec()),
            ));
            plan.requested.extend(chunk.iter().cloned());
            self.books.insert(
                key,
                BookSub {
                    sid: None,
                    tickers: chunk.iter().cloned().collect(),
                    busy: Some(id),
                },
            );
            self.pending.insert(id, Pending::Subscribe(key));
        }
    }

    /// Unsubscribes `sids`: the command, its reply awaited, the sids closed.
    pub(super) fn unsubscribe(&mut self, sids: Vec<u64>, plan: &mut Plan) {
        let id = self.id();
        plan.commands.push(Command::unsubscribe(id, sids.clone()));
        self.pending.insert(id, Pending::Unsubscribe);
        self.closed.extend(sids.iter().copied());
        plan.closed.extend(sids);
    }

    /// The next command id.
    pub(super) fn id(&mut self) -> u64 {
        next(&mut self.next_id)
    }
}

/// Takes the counter's value and moves it on.
pub(super) fn next(counter: &mut u64) -> u64 {
    let v = *counter;
    *counter += 1;
    v
}
