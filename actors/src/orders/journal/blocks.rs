//! The `id_blocks` table: the blocks of intent sequence numbers reserved so far, each written
//! (and, with `synchronous=FULL`, fsynced) before any id of it is sent.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};

use super::{error::JournalError, rows::ts};

/// A block of intent sequence numbers, `start..end`, reserved at `reserved_at`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IdBlock {
    /// The first number.
    pub start: u64,
    /// One past the last.
    pub end: u64,
    /// When it was reserved: no order of the block was created before.
    pub reserved_at: DateTime<Utc>,
}

/// Writes `block` in a transaction of its own.
pub(super) fn insert(conn: &mut Connection, block: &IdBlock) -> Result<(), JournalError> {
    let tx = conn.transaction()?;
    tx.execute(
        "INSERT INTO id_blocks (start, end, reserved_at) VALUES (?1, ?2, ?3)",
        params![block.start as i64, block.end as i64, ts(block.reserved_at)],
    )?;
    tx.commit()?;
    Ok(())
}

/// Every block, lowest first.
pub(super) fn all(conn: &Connection) -> Result<Vec<IdBlock>, JournalError> {
    let mut stmt = conn.prepare("SELECT start, end, reserved_at FROM id_blocks ORDER BY start")?;
    let mut rows = stmt.query([])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let start = r.get::<_, i64>(0)? as u64;
        let at: String = r.get(2)?;
        let reserved_at = DateTime::parse_from_rfc3339(&at)
            .map_err(|e| JournalError::Corrupt {
                table: "id_blocks",
                key: start.to_string(),
                detail: format!("reserved_at {at:?}: {e}"),
            })?
            .with_timezone(&Utc);
        out.push(IdBlock {
            start,
            end: r.get::<_, i64>(1)? as u64,
            reserved_at,
        });
    }
    Ok(out)
}
