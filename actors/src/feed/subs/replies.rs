//! How [`Subs`] takes the exchange's replies to its commands: `subscribed`, `ok`,
//! `unsubscribed` and `error`.
//!
//! A `subscribe` is normally answered `subscribed` with a new sid. A third-party recorder of
//! Kalshi's stream reports that a second `orderbook_delta` subscribe on a connection is merged
//! into the existing subscription and answered `ok` instead (the simulator's
//! `ws_merge_subscribes`). The feed needs no guess to tell the two apart: the reply's `id`
//! names the command, so an `ok` answering one of its subscribes *is* a merge, into the
//! subscription the `ok`'s `sid` names. Then:
//!
//! - a sid the feed holds: the markets join that subscription (its `seq` goes on; the
//!   snapshots of the new markets follow on it);
//! - a sid this connection unsubscribed meanwhile: the markets went with it, and are
//!   subscribed again;
//! - a sid the feed does not know: the subscription is adopted, its `seq` followed from the
//!   `ok`'s;
//! - no sid: nothing says where the markets went; the subscription is left unconfirmed, like
//!   a subscribe never answered, and the snapshot deadline re-creates it (a slow retry).
//!
//! An `ok` answering the account subscribe counts as one of its channels answered.
//! `unsubscribed` for a sid the feed still holds (the exchange ended it unasked) loses its
//! markets until they are subscribed again.

use kalshi::ws::{Channel, ErrorResponse, OkResponse, SubscriptionInfo, WsErrorCode};

use super::{Pending, Plan, Subs};

impl Subs {
    /// A `subscribed` reply. One that answers a command given up since (its subscription was
    /// dropped before it was confirmed) is unsubscribed at once, so nothing streams twice.
    pub fn on_subscribed(&mut self, id: Option<u64>, info: &SubscriptionInfo) -> Plan {
        let mut plan = Plan::default();
        let Some(c) = self.conn.as_mut() else {
            return plan;
        };
        let Some(id) = id else { return plan };
        match c.pending.get_mut(&id) {
            Some(Pending::Subscribe(key)) if info.channel == Channel::OrderbookDelta => {
                let key = *key;
                c.pending.remove(&id);
                if let Some(sub) = c.books.get_mut(&key) {
                    sub.sid = Some(info.sid);
                    sub.busy = None;
                    plan.opened.push((info.sid, 0));
                }
            }
            Some(Pending::User { remaining }) => {
                c.user_sids.push(info.sid);
                *remaining = remaining.saturating_sub(1);
                if *remaining > 0 {
                    return plan;
                }
                c.pending.remove(&id);
            }
            Some(_) => return plan,
            None => {
                c.unsubscribe(vec![info.sid], &mut plan);
                return plan;
            }
        }
        self.answered(id, &mut plan);
        self.reconcile(&mut plan);
        plan
    }

    /// An `ok` reply: to `update_subscription`, or to a `subscribe` the exchange merged into
    /// a subscription already open (see the module notes).
    pub fn on_ok(&mut self, ok: &OkResponse) -> Plan {
        let mut plan = Plan::default();
        let Some(c) = self.conn.as_mut() else {
            return plan;
        };
        let Some(id) = ok.id else { return plan };
        let Some(pending) = c.pending.remove(&id) else {
            return plan;
        };
        match pending {
            Pending::Add(key, _) | Pending::Delete(key) => {
                if let Some(sub) = c.books.get_mut(&key) {
                    sub.busy = None;
                }
            }
            Pending::Subscribe(key) => self.merged(key, ok, &mut plan),
            Pending::User { remaining } => {
                if let Some(sid) = ok.sid.filter(|s| !c.user_sids.contains(s)) {
                    c.user_sids.push(sid);
                }
                if remaining > 1 {
                    let remaining = remaining - 1;
                    c.pending.insert(id, Pending::User { remaining });
                    return plan;
                }
            }
            Pending::Snapshot(_) | Pending::Unsubscribe => {}
        }
        self.answered(id, &mut plan);
        self.reconcile(&mut plan);
        plan
    }

    /// The book subscribe `key` was answered `ok`: merged into the subscription `ok.sid`.
    fn merged(&mut self, key: u64, ok: &OkResponse, plan: &mut Plan) {
        let Some(c) = self.conn.as_mut() else { return };
        // No sid: left unconfirmed (still busy), for the snapshot deadline to re-create.
        let Some(sid) = ok.sid else { return };
        let Some(mut sub) = c.books.remove(&key) else {
            return;
        };
        if c.closed.contains(&sid) {
            let watched = &self.watched;
            plan.lost
                .extend(sub.tickers.into_iter().filter(|t| watched.contains(t)));
        } else if let Some(into) = c.books.values_mut().find(|s| s.sid == Some(sid)) {
            into.tickers.append(&mut sub.tickers);
            plan.merged += 1;
        } else {
            sub.sid = Some(sid);
            sub.busy = None;
            c.books.insert(key, sub);
            plan.opened.push((sid, ok.seq.unwrap_or(0)));
        }
    }

    /// An `unsubscribed` reply: the sid is closed. A book subscription the feed still holds
    /// under it (one it did not give up) loses its markets until they are subscribed again.
    pub fn on_unsubscribed(&mut self, sid: u64) -> Plan {
        let mut plan = Plan {
            closed: vec![sid],
            ..Plan::default()
        };
        let Some(c) = self.conn.as_mut() else {
            return plan;
        };
        c.closed.insert(sid);
        let held = c.books.iter().find(|(_, s)| s.sid == Some(sid));
        if let Some(key) = held.map(|(k, _)| *k) {
            self.forget_sub(key, &mut plan);
            self.reconcile(&mut plan);
        }
        plan
    }

    /// An `error` frame.
    pub fn on_error(&mut self, err: &ErrorResponse) -> Plan {
        let mut plan = Plan::default();
        let Some(c) = self.conn.as_mut() else {
            return plan;
        };
        let pending = err.id.and_then(|id| c.pending.remove(&id));
        let dead = err.code.is_subscription_dead();
        match pending {
            None if dead => self.resubscribe_all(&mut plan),
            None | Some(Pending::Unsubscribe) => {}
            Some(Pending::User { .. }) if dead => self.subscribe_user(&mut plan),
            Some(Pending::User { .. }) => {}
            Some(Pending::Subscribe(key)) => {
                let tickers = self.remove_sub(key);
                self.reject(err, &tickers);
            }
            Some(Pending::Add(key, tickers)) => {
                if let Some(sub) = self.conn.as_mut().and_then(|c| c.books.get_mut(&key)) {
                    sub.busy = None;
                    for t in &tickers {
                        sub.tickers.remove(t);
                    }
                }
                if dead || err.code == WsErrorCode::UNKNOWN_SID {
                    self.drop_sub(key, &mut plan);
                } else {
                    self.reject(err, &tickers);
                }
            }
            Some(Pending::Delete(key)) => {
                if let Some(sub) = self.conn.as_mut().and_then(|c| c.books.get_mut(&key)) {
                    sub.busy = None;
                }
                if dead || err.code == WsErrorCode::UNKNOWN_SID {
                    self.drop_sub(key, &mut plan);
                }
            }
            Some(Pending::Snapshot(key)) => self.drop_sub(key, &mut plan),
        }
        if let Some(id) = err.id {
            self.answered(id, &mut plan);
        }
        self.reconcile(&mut plan);
        plan
    }
}
