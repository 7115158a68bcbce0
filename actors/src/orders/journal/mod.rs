//! The order journal: a SQLite database (WAL mode) of intents, orders and their state
//! changes, fills, positions, reconciliations, halts and the blocks of intent sequence numbers
//! reserved — a plain struct, written by the journal writer thread (`orders::writer`), never
//! on the arbiter thread.
//!
//! # Durability
//! A batch of rows (an intent with its order and event, an acknowledgement, a fill with its
//! position and order) is one logical event; the writer commits whatever batches are queued
//! in one transaction (group commit), in the order they were queued. With `synchronous=FULL`
//! (the default) a commit returns after the WAL is fsynced, so neither a process kill nor a
//! power loss loses it; with `synchronous=NORMAL` after the WAL `write()`, so a SIGKILL still
//! loses nothing the writer committed, a power loss may lose the last commits. Rows are
//! written **after** the order manager acted on them (an intent is sent before its rows are
//! committed); only a block of sequence numbers is committed — synchronously, with the
//! configured `synchronous` — before any id of it is sent. Why that loses nothing sent and
//! sends nothing twice is argued in `orders::durability`.
//!
//! # Reading it
//! `sqlite3 tradewind-journal.sqlite 'SELECT * FROM intent_outcomes ORDER BY seq DESC LIMIT 20'`
//! works while the bot runs (WAL readers do not block the writer). Tables: `intents`,
//! `orders`, `order_events`, `fills`, `positions`, `reconciliations`, `differences`, `halts`
//! ([`schema`]); the schema version is `PRAGMA user_version`.

mod blocks;
mod error;
mod rows;
pub mod schema;

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use kalshi::{Money, Ticker};
use rusqlite::{Connection, OpenFlags, Transaction, params};
use serde::{Deserialize, Serialize};

use self::rows::ts;
pub use self::{
    blocks::IdBlock,
    error::JournalError,
    rows::{IntentOutcome, Loaded},
};
use crate::orders::{
    positions::{FillRecord, Position},
    reconcile::Difference,
    state::{Change, OrderRecord},
};

/// How hard the journal syncs a commit to disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Synchronous {
    /// `synchronous=FULL`: every commit is fsynced; survives a process kill and a power loss.
    Full,
    /// `synchronous=NORMAL` in WAL mode: a commit reaches the OS before returning, so a
    /// process kill loses nothing; a power loss may lose the last commits.
    Normal,
}

/// One row to write; [`Journal::commit`] writes a batch in one transaction.
#[derive(Debug, Clone, Copy)]
pub enum Write<'a> {
    /// A new intent (before its first send), with its readable name.
    Intent {
        /// The order it became.
        order: &'a OrderRecord,
        /// `{strategy}:{ticker}:{seq}`.
        label: &'a str,
    },
    /// An order's current state.
    Order(&'a OrderRecord),
    /// A state change of an order (`None`: it was just created or adopted).
    Event(&'a OrderRecord, Option<&'a Change>),
    /// A fill, where it came from and the P&L it realised.
    Fill(&'a FillRecord, &'a str, Money),
    /// A market's position.
    Position(&'a Ticker, &'a Position),
    /// A reconciliation of this kind and its differences.
    Reconciliation(&'a str, &'a [Difference]),
    /// The kill switch set or lifted, and why.
    KillSwitch {
        /// Set (new orders halted) or lifted.
        halted: bool,
        /// Why.
        reason: &'a str,
    },
}

/// The journal.
#[derive(Debug)]
pub struct Journal {
    conn: Connection,
    path: PathBuf,
}

impl Journal {
    /// Opens (creating if needed) the journal at `path`, in WAL mode with `sync`, and
    /// migrates it to the current schema.
    pub fn open(path: &Path, sync: Synchronous) -> Result<Journal, JournalError> {
        let open_err = |source| JournalError::Open {
            path: path.to_owned(),
            source,
        };
        let conn = Connection::open(path).map_err(open_err)?;
        let mode: String = conn
            .query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))
            .map_err(open_err)?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(open_err(rusqlite::Error::InvalidParameterName(format!(
                "journal_mode is {mode}, WAL needed"
            ))));
        }
        let sync = match sync {
            Synchronous::Full => "FULL",
            Synchronous::Normal => "NORMAL",
        };
        conn.pragma_update(None, "synchronous", sync)
            .and_then(|()| conn.pragma_update(None, "foreign_keys", "ON"))
            .and_then(|()| conn.busy_timeout(std::time::Duration::from_secs(5)))
            .map_err(open_err)?;
        let mut journal = Journal {
            conn,
            path: path.to_owned(),
        };
        journal.migrate()?;
        Ok(journal)
    }

    /// Opens an existing journal read-only (tools, tests, a second process).
    pub fn open_read_only(path: &Path) -> Result<Journal, JournalError> {
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|source| JournalError::Open {
            path: path.to_owned(),
            source,
        })?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        Ok(Journal {
            conn,
            path: path.to_owned(),
        })
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The schema version (`PRAGMA user_version`).
    pub fn schema_version(&self) -> Result<u32, JournalError> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    fn migrate(&mut self) -> Result<(), JournalError> {
        let found = self.schema_version()?;
        if found > schema::CURRENT_VERSION {
            return Err(JournalError::TooNew {
                found,
                known: schema::CURRENT_VERSION,
            });
        }
        for (i, sql) in schema::MIGRATIONS.iter().enumerate().skip(found as usize) {
            let tx = self.conn.transaction()?;
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", i + 1)?;
            tx.commit()?;
        }
        Ok(())
    }

    /// Writes `writes` in one transaction, stamped `now` where a row needs a time of its
    /// own; returns once it is committed (durable per the configured `synchronous`).
    pub fn commit(&mut self, now: DateTime<Utc>, writes: &[Write<'_>]) -> Result<(), JournalError> {
        let now = ts(now);
        let tx = self.conn.transaction()?;
        for w in writes {
            write(&tx, w, &now)?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Writes every batch of `group` (each stamped with its own time) in one transaction.
    pub fn commit_group(
        &mut self,
        group: &[(DateTime<Utc>, Vec<Write<'_>>)],
    ) -> Result<(), JournalError> {
        let tx = self.conn.transaction()?;
        for (at, writes) in group {
            let now = ts(*at);
            for w in writes {
                write(&tx, w, &now)?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Reserves `block` in a transaction of its own; returns once it is committed.
    pub fn reserve(&mut self, block: &IdBlock) -> Result<(), JournalError> {
        blocks::insert(&mut self.conn, block)
    }

    /// Every block of sequence numbers reserved, lowest first.
    pub fn id_blocks(&self) -> Result<Vec<IdBlock>, JournalError> {
        blocks::all(&self.conn)
    }

    /// Orders open or changed since `since`, every position, fills since `since` with the
    /// P&L each realised, and the highest intent sequence number.
    pub fn load(&self, since: DateTime<Utc>) -> Result<Loaded, JournalError> {
        rows::load(&self.conn, since)
    }

    /// Every intent with its order's state (`None` if its order row is missing).
    pub fn intent_outcomes(&self) -> Result<Vec<IntentOutcome>, JournalError> {
        rows::intent_outcomes(&self.conn)
    }

    /// Every position row.
    pub fn positions(&self) -> Result<Vec<(Ticker, Position)>, JournalError> {
        rows::positions(&self.conn)
    }

    /// Number of rows in a table (for tests and status lines).
    pub fn count(&self, table: &str) -> Result<u64, JournalError> {
        const TABLES: &[&str] = &[
            "intents",
            "orders",
            "order_events",
            "fills",
            "positions",
            "reconciliations",
            "differences",
            "halts",
            "id_blocks",
        ];
        if !TABLES.contains(&table) {
            return Err(JournalError::Corrupt {
                table: "-",
                key: table.to_owned(),
                detail: "no such table".into(),
            });
        }
        Ok(self
            .conn
            .query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))?)
    }
}

fn write(tx: &Transaction<'_>, w: &Write<'_>, now: &str) -> Result<(), JournalError> {
    match *w {
        Write::Intent { order, label } => rows::insert_intent(tx, order, label)?,
        Write::Order(o) => rows::upsert_order(tx, o)?,
        Write::Event(o, change) => rows::insert_event(tx, o, change)?,
        Write::Fill(f, source, realized) => rows::insert_fill(tx, f, source, realized)?,
        Write::Position(t, p) => rows::upsert_position(tx, t, p, now)?,
        Write::Reconciliation(kind, diffs) => {
            tx.execute(
                "INSERT INTO reconciliations (at, kind, differences) VALUES (?1, ?2, ?3)",
                params![now, kind, diffs.len() as i64],
            )?;
            let id = tx.last_insert_rowid();
            for d in diffs {
                tx.execute(
                    "INSERT INTO differences (reconciliation_id, kind, subject, detail)
                     VALUES (?1, ?2, ?3, ?4)",
                    params![id, d.kind, d.subject, d.detail],
                )?;
            }
        }
        Write::KillSwitch { halted, reason } => {
            tx.execute(
                "INSERT INTO halts (at, halted, reason) VALUES (?1, ?2, ?3)",
                params![now, halted, reason],
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
