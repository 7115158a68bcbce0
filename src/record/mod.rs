//! Recording what the engine receives, and reading it back (`tradewind record`; the input of
//! a backtest).
//!
//! A [`Recorder`] runs beside the engine: the feed offers it every WebSocket text frame as
//! received and the metadata cache every market it gets from REST, each stamped with its
//! receive time (wall-clock Unix ns), through a bounded channel to a writer thread that never
//! slows the feed — when it falls behind, items are counted as dropped
//! (`tradewind_recorder_dropped`), never silently lost.
//!
//! # Format
//! A recording directory holds `rec-<UTC start>.jsonl.zst` files and `index.json`. Each file
//! is zstd-compressed JSON lines (schema in [`mod@line`]), written as a sequence of independent
//! zstd frames ("blocks", each with a checksum) of whole lines, flushed every 1,000 lines,
//! 256 KiB or second; a file per UTC hour and per start. Any zstd tool reads a file
//! (`zstd -dc rec-….jsonl.zst | head`); a file cut by a kill loses at most its last block.
//! [`index`] lists the files with their first and last receive times and counts.
//!
//! # Layout
//! - [`mod@line`]: one line, written and read (pure).
//! - [`files`]: file names, which files are recordings, hourly rotation (pure).
//! - [`blocks`]: zstd blocks, written and read with damage detection.
//! - [`writer`]: lines into blocks into files, index on close; [`recorder`]: its thread.
//! - [`reader`]: a directory's records in order, stopping a file at damage with a warning.
//! - [`index`]: `index.json`, refreshed at start, rebuilt from the files on demand.

pub mod blocks;
pub mod files;
pub mod index;
pub mod line;
pub mod reader;
pub mod recorder;
pub mod writer;

pub use self::{
    index::{Index, IndexEntry, rebuild as rebuild_index},
    reader::{Damage, Event, EventRef, Reader, Record, RecordRef},
    recorder::Recorder,
    writer::{FileWriter, FlushPolicy},
};

#[cfg(test)]
mod tests;
