//! Order groups: a contracts limit shared by the orders placed with the group's id. The
//! contracts those orders fill within a rolling [`WINDOW_S`]-second window count against the
//! limit; when they reach it the group triggers — its resting orders are canceled and new
//! orders in it are refused (`exceeded_order_group_risk_limit`) until it is reset. A trigger
//! can also be asked for; a reset clears the trigger and starts a fresh window; deleting a
//! group cancels its resting orders. Every group belongs to one account: another account's
//! group is unknown to it. Auto-cancel is always on (the only behaviour Kalshi documents).

use chrono::{DateTime, Duration, Utc};
use kalshi::{Count, error::codes};

use super::{
    AccountIdx, Exchange, OrderKey, Reject,
    order::{OrderGroup, WINDOW_S},
};

fn unknown(id: &str) -> Reject {
    Reject::new(
        404,
        codes::ORDER_GROUP_NOT_FOUND,
        format!("order group {id} not found"),
    )
}

impl Exchange {
    /// Opens a group for `account` with `limit`; returns its id.
    pub fn create_group(&mut self, account: AccountIdx, limit: Count) -> String {
        let id = self.new_uuid();
        let counts_from = self.fill_count(account);
        let group = OrderGroup {
            id: id.clone(),
            account,
            limit,
            triggered: false,
            orders: Vec::new(),
            counts_from,
        };
        self.groups.insert(id.clone(), group);
        id
    }

    /// `account`'s group `id`.
    pub fn group(&self, account: AccountIdx, id: &str) -> Result<&OrderGroup, Reject> {
        self.groups
            .get(id)
            .filter(|g| g.account == account)
            .ok_or_else(|| unknown(id))
    }

    /// Every group of `account`, by id.
    pub fn groups_of(&self, account: AccountIdx) -> impl Iterator<Item = &OrderGroup> {
        self.groups.values().filter(move |g| g.account == account)
    }

    /// The group an order was placed in.
    pub fn group_of(&self, key: OrderKey) -> Option<&str> {
        self.order_group.get(&key).map(String::as_str)
    }

    fn fill_count(&self, account: AccountIdx) -> usize {
        self.account(account).map_or(0, |a| a.fills.len())
    }

    fn group_mut(&mut self, account: AccountIdx, id: &str) -> Result<&mut OrderGroup, Reject> {
        self.groups
            .get_mut(id)
            .filter(|g| g.account == account)
            .ok_or_else(|| unknown(id))
    }

    /// Whether `account` may place an order in group `id` now.
    pub(super) fn check_group(&self, account: AccountIdx, id: &str) -> Result<(), Reject> {
        if self.group(account, id)?.triggered {
            return Err(Reject::new(
                400,
                codes::EXCEEDED_ORDER_GROUP_RISK_LIMIT,
                format!("order group {id} reached its contracts limit; reset it first"),
            ));
        }
        Ok(())
    }

    /// Records that order `key` was placed in group `id`.
    pub(super) fn join_group(&mut self, key: OrderKey, id: &str) {
        if let Some(g) = self.groups.get_mut(id) {
            g.orders.push(key);
            self.order_group.insert(key, id.to_owned());
        }
    }

    /// Sets a group's limit; a limit already reached by the window's fills triggers it.
    pub fn set_group_limit(
        &mut self,
        account: AccountIdx,
        id: &str,
        limit: Count,
        now: DateTime<Utc>,
    ) -> Result<(), Reject> {
        self.group_mut(account, id)?.limit = limit;
        self.enforce_groups(now);
        Ok(())
    }

    /// Triggers a group: cancels its resting orders and refuses new ones until a reset.
    pub fn trigger_group(
        &mut self,
        account: AccountIdx,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<(), Reject> {
        self.group_mut(account, id)?.triggered = true;
        self.cancel_group_orders(id, now);
        Ok(())
    }

    /// Resets a group: clears the trigger and counts only fills made from now on.
    pub fn reset_group(&mut self, account: AccountIdx, id: &str) -> Result<(), Reject> {
        let counts_from = self.fill_count(account);
        let g = self.group_mut(account, id)?;
        g.triggered = false;
        g.counts_from = counts_from;
        Ok(())
    }

    /// Deletes a group after canceling its resting orders.
    pub fn delete_group(
        &mut self,
        account: AccountIdx,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<(), Reject> {
        self.group(account, id)?;
        self.cancel_group_orders(id, now);
        self.groups.remove(id);
        Ok(())
    }

    fn cancel_group_orders(&mut self, id: &str, now: DateTime<Utc>) {
        let keys = self.groups.get(id).map(|g| g.orders.clone());
        for key in keys.unwrap_or_default() {
            self.cancel_key(key, now);
        }
    }

    /// Contracts the orders of group `g` filled within the window ending at `now`.
    fn window_fills(&self, g: &OrderGroup, now: DateTime<Utc>) -> Count {
        let from = now - Duration::seconds(WINDOW_S);
        self.account(g.account).map_or(Count::ZERO, |a| {
            a.fills
                .get(g.counts_from..)
                .unwrap_or_default()
                .iter()
                .rev()
                .take_while(|f| f.ts >= from)
                .filter(|f| g.orders.contains(&f.order_key))
                .map(|f| f.count)
                .sum()
        })
    }

    /// Triggers every group whose window's fills reached its limit.
    pub(super) fn enforce_groups(&mut self, now: DateTime<Utc>) {
        let reached: Vec<String> = self
            .groups
            .values()
            .filter(|g| !g.triggered && self.window_fills(g, now) >= g.limit)
            .map(|g| g.id.clone())
            .collect();
        for id in reached {
            if let Some(g) = self.groups.get_mut(&id) {
                g.triggered = true;
            }
            self.cancel_group_orders(&id, now);
        }
    }
}
