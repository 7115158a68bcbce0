//! Intent sequence numbers handed out from blocks reserved in the journal, pure.
//!
//! [`IdSeq`] hands out the numbers of the block reserved last; when it is used up the order
//! manager reserves [`IdSeq::next_block`] — durably, before any of its ids is sent — and
//! installs it with [`IdSeq::reserved`]. A new block starts at or above the *high-water mark*
//! (the highest end ever reserved), so no number is ever handed out twice, whatever was
//! journaled. [`recovery`] says, at start, which reserved numbers may belong to orders sent
//! but never journaled before a crash, and since when the exchange must be searched for them.

use chrono::{DateTime, Utc};

use super::journal::IdBlock;

/// The numbers of the current block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IdSeq {
    next: u64,
    end: u64,
    high_water: u64,
    size: u64,
}

impl IdSeq {
    /// No block yet; the first will start at `high_water` or above; blocks of `size`.
    pub fn new(high_water: u64, size: u64) -> IdSeq {
        IdSeq {
            next: high_water,
            end: high_water,
            high_water,
            size: size.max(1),
        }
    }

    /// The next number of the current block, if one is left.
    pub fn take(&mut self) -> Option<u64> {
        (self.next < self.end).then(|| {
            self.next += 1;
            self.next - 1
        })
    }

    /// The number [`IdSeq::take`] would answer (or the next block would start at).
    pub fn peek(&self) -> u64 {
        if self.next < self.end {
            self.next
        } else {
            self.next.max(self.high_water)
        }
    }

    /// The block to reserve when this one is used up.
    pub fn next_block(&self, now: DateTime<Utc>) -> IdBlock {
        let start = self.next.max(self.high_water);
        IdBlock {
            start,
            end: start.saturating_add(self.size),
            reserved_at: now,
        }
    }

    /// `block` is durably reserved: its numbers are handed out next.
    pub fn reserved(&mut self, block: &IdBlock) {
        self.next = block.start;
        self.end = block.end;
        self.high_water = self.high_water.max(block.end);
    }

    /// No number below `floor` (one the exchange has seen) may be handed out.
    pub fn raise(&mut self, floor: u64) {
        self.next = self.next.max(floor);
        self.end = self.end.max(self.next);
        self.high_water = self.high_water.max(floor);
    }

    /// Gives up the rest of the current block (after a restart, whose ledger comes from the
    /// journal): the next number comes from a new block.
    pub fn burn(&mut self) {
        self.next = self.next.max(self.end).max(self.high_water);
        self.end = self.next;
    }
}

/// The numbers to search the exchange for at start: reserved, above every journaled intent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recovery {
    /// The lowest (one above the highest journaled intent).
    pub from: u64,
    /// One past the highest reserved.
    pub below: u64,
    /// No order of these numbers was created before this.
    pub since: DateTime<Utc>,
}

impl Recovery {
    /// Whether `seq` is one of them.
    pub fn holds(&self, seq: u64) -> bool {
        (self.from..self.below).contains(&seq)
    }
}

/// The high-water mark: one past the highest number reserved or journaled.
pub fn high_water(blocks: &[IdBlock], max_journaled: u64) -> u64 {
    blocks
        .iter()
        .map(|b| b.end)
        .max()
        .unwrap_or(0)
        .max(max_journaled + 1)
}

/// Which reserved numbers may belong to orders sent and not journaled, given the blocks and
/// the highest journaled intent; `None` when every reserved number lies at or below it.
///
/// Within one life intents are journaled in the order of their numbers, and a life journals
/// everything it adopted before it sends anything; so whatever was sent and not journaled
/// lies above the highest journaled number. Blocks are reserved in increasing order, each
/// before its numbers are used: no such order is older than the earliest reservation of a
/// block reaching above that number.
pub fn recovery(blocks: &[IdBlock], max_journaled: u64) -> Option<Recovery> {
    let from = max_journaled + 1;
    let below = blocks.iter().map(|b| b.end).max()?;
    let since = blocks
        .iter()
        .filter(|b| b.end > from)
        .map(|b| b.reserved_at)
        .min()?;
    (from < below).then_some(Recovery { from, below, since })
}

#[cfg(test)]
#[path = "id_blocks_tests.rs"]
mod tests;
