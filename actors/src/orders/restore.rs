//! What the order manager restores from its journal at a start or a restart: the orders open
//! or changed within `history_days`, every position with its recent fills, and the next intent
//! sequence number.

use chrono::{DateTime, Utc};
use tracing::info;

use super::{
    config::OrdersConfig,
    journal::{Journal, JournalError},
    positions::Positions,
    state::Ledger,
};

/// What the journal holds: orders open or changed within `history_days`, every position with
/// its recent fills, and the next intent sequence number.
pub(super) struct Book {
    pub(super) ledger: Ledger,
    pub(super) positions: Positions,
    pub(super) next_seq: u64,
}

impl Book {
    /// Reads it from `journal`.
    pub(super) fn load(
        journal: &Journal,
        cfg: &OrdersConfig,
        now: DateTime<Utc>,
    ) -> Result<Book, JournalError> {
        let since = now - chrono::Duration::days(i64::from(cfg.history_days));
        let loaded = journal.load(since)?;
        let mut ledger = Ledger::default();
        loaded.orders.into_iter().for_each(|o| ledger.insert(o));
        let mut positions = Positions::default();
        for (t, p) in loaded.positions {
            positions.restore(t, p);
        }
        for (f, realized) in &loaded.fills {
            positions.restore_fill(f, *realized);
        }
        info!(
            orders = ledger.len(),
            open = ledger.open().count(),
            next_seq = loaded.max_seq + 1,
            "journal loaded"
        );
        Ok(Book {
            ledger,
            positions,
            next_seq: loaded.max_seq + 1,
        })
    }
}
