//! What the order manager tells its listeners (the strategy, observers): an order changed, or
//! a fill was booked with the position after it.

use actix::Message;
use kalshi::Count;

use super::{positions::FillRecord, state::OrderRecord};

/// Told to listeners (the strategy): an order changed or a fill was booked.
#[derive(Debug, Clone, PartialEq, Eq, Message)]
#[rtype(result = "()")]
pub enum OrderEvent {
    /// The order's new state.
    Updated(Box<OrderRecord>),
    /// A fill was booked; the market's position after it.
    Filled {
        /// The fill.
        fill: Box<FillRecord>,
        /// Position after it (+ YES, − NO).
        position: Count,
    },
}
