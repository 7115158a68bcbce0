//! Why the journal failed: it could not be opened, it was written by a newer build, SQLite
//! refused, or a stored value does not read back.

use std::path::PathBuf;

/// Why the journal failed.
#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    /// The file could not be opened or set up.
    #[error("cannot open journal {path}: {source}")]
    Open {
        /// The file.
        path: PathBuf,
        /// Why.
        source: rusqlite::Error,
    },
    /// The journal was written by a newer Tradewind.
    #[error("journal schema version {found} is newer than this build's {known}")]
    TooNew {
        /// Its version.
        found: u32,
        /// Ours.
        known: u32,
    },
    /// A SQLite error.
    #[error("journal: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// A stored value does not read back.
    #[error("journal row {table}/{key}: {detail}")]
    Corrupt {
        /// Table.
        table: &'static str,
        /// Row key.
        key: String,
        /// What is wrong.
        detail: String,
    },
}
