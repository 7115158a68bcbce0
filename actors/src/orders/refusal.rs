//! [`Refusal`]: why the order manager did not do what an intent asked, with a short
//! [`Refusal::reason`] for metrics (`risk:max_open_orders`, `blackout`, …).

use kalshi::Ticker;

use super::risk::LimitBreach;
use crate::gateway::GatewayError;

/// An intent refused (or a placement the exchange refused).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// Start-up reconciliation has not finished: nothing is accepted before it.
    #[error("not ready: start-up reconciliation has not finished")]
    NotReady,
    /// The kill switch (a `Halt`, or the daily loss limit) is on.
    #[error("halted: {0}")]
    Halted(String),
    /// A blackout is active: only cancels, decreases and reduce-only orders pass.
    #[error("blackout: {0}")]
    Blackout(String),
    /// A field of the intent is invalid; nothing was recorded or sent.
    #[error("invalid {field}: {reason}")]
    Invalid {
        /// The field (`count`, `price`, `reduce_only`, …).
        field: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// The exchange does not list the market.
    #[error("unknown market {0}")]
    UnknownMarket(Ticker),
    /// The market does not accept orders now.
    #[error("market {ticker} is not open ({status})")]
    MarketClosed {
        /// Market.
        ticker: Ticker,
        /// Its status.
        status: String,
    },
    /// The book the intent was priced on went stale since: the price may be wrong.
    #[error("the book of {ticker} went stale after the intent was priced (epoch {epoch})")]
    StaleBook {
        /// Market.
        ticker: Ticker,
        /// The epoch that went stale.
        epoch: u64,
    },
    /// The market paused (or ended) since the intent was decided.
    #[error("market {0} paused or ended since the intent was decided")]
    MarketPaused(Ticker),
    /// An order on this market has an unknown outcome; new orders wait until it is settled.
    #[error("market {ticker} is blocked until order {key} (outcome unknown) is settled")]
    Blocked {
        /// Market.
        ticker: Ticker,
        /// The unknown order.
        key: String,
    },
    /// A risk limit would be broken.
    #[error(transparent)]
    Risk(#[from] LimitBreach),
    /// The exchange refused the order (it is journaled as rejected).
    #[error("order {key} refused by the exchange: {error}")]
    Exchange {
        /// The order.
        key: String,
        /// What the gateway answered (boxed: it carries the exchange's whole error body).
        error: Box<GatewayError>,
    },
    /// The order never reached the exchange (it is journaled as not sent).
    #[error("order {key} was not sent: {error}")]
    NotSent {
        /// The order.
        key: String,
        /// What the gateway answered (boxed: it carries the exchange's whole error body).
        error: Box<GatewayError>,
    },
    /// No order has this key.
    #[error("no such order {0}")]
    NoSuchOrder(String),
    /// The order is finished (or in a state the request does not apply to).
    #[error("order {key} is {state}")]
    WrongState {
        /// The order.
        key: String,
        /// Its state.
        state: &'static str,
    },
    /// The market's metadata could not be read.
    #[error("market metadata unavailable: {0}")]
    Metadata(String),
    /// The journal write failed: nothing was sent.
    #[error("journal write failed: {0}")]
    Journal(String),
    /// Too many journal batches wait for the disk (`journal_queue_max`): nothing was sent.
    #[error("journal backlog: {queued} batches wait for the disk (limit {limit}); not sent")]
    JournalBacklog {
        /// Batches waiting.
        queued: usize,
        /// `journal_queue_max`.
        limit: usize,
    },
}

impl Refusal {
    /// A short, stable reason for metrics: the variant, with the field or limit.
    pub fn reason(&self) -> String {
        match self {
            Refusal::NotReady => "not_ready".into(),
            Refusal::Halted(_) => "halted".into(),
            Refusal::Blackout(_) => "blackout".into(),
            Refusal::Invalid { field, .. } => format!("invalid:{field}"),
            Refusal::UnknownMarket(_) => "unknown_market".into(),
            Refusal::MarketClosed { .. } => "market_closed".into(),
            Refusal::Blocked { .. } => "blocked_by_unknown".into(),
            Refusal::StaleBook { .. } => "stale_book".into(),
            Refusal::MarketPaused(_) => "market_paused".into(),
            Refusal::Risk(b) => format!("risk:{}", b.limit),
            Refusal::Exchange { .. } => "exchange_rejected".into(),
            Refusal::NotSent { .. } => "not_sent".into(),
            Refusal::NoSuchOrder(_) => "no_such_order".into(),
            Refusal::WrongState { .. } => "wrong_state".into(),
            Refusal::Metadata(_) => "metadata".into(),
            Refusal::Journal(_) => "journal".into(),
            Refusal::JournalBacklog { .. } => "journal_backlog".into(),
        }
    }

    /// Whether trying again later may succeed.
    pub fn is_retryable(&self) -> bool {
        match self {
            Refusal::NotReady
            | Refusal::Blackout(_)
            | Refusal::Blocked { .. }
            | Refusal::StaleBook { .. }
            | Refusal::MarketPaused(_)
            | Refusal::Metadata(_)
            | Refusal::Journal(_)
            | Refusal::JournalBacklog { .. }
            | Refusal::Risk(_) => true,
            Refusal::NotSent { error, .. } | Refusal::Exchange { error, .. } => {
                error.is_retryable()
            }
            _ => false,
        }
    }
}
