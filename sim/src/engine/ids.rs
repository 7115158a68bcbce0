//! The engine's internal handles: [`AccountIdx`] (an account's place in the account table) and
//! [`OrderKey`] (an order's key in the order table). Every other engine file names them, so
//! they live apart from both accounts and orders.

/// Index of an account in the exchange's table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AccountIdx(pub u32);

/// Internal handle of an order: its index in the exchange's order table.
pub type OrderKey = u64;
