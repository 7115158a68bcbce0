//! [`FileWriter`]: lines into blocks, blocks into files, files into the index.
//!
//! Lines gather in a block in memory; the block is compressed into one independent zstd frame
//! and written (`write` + flush to the OS) when it holds [`FlushPolicy::max_lines`] lines or
//! [`FlushPolicy::max_bytes`] bytes, when its first line is [`FlushPolicy::max_age`] old, and
//! before a rotation or the end. A kill loses at most the block in memory and leaves at most a
//! torn last block, which readers skip. A file is opened for the first block after a start or
//! a rotation (named after that block's first receive time), rotated at every UTC hour, synced
//! (`fsync`) and listed in the index when closed. A failed write is logged, its lines counted
//! in `write_failed`, and the file closed: the next block goes to a new file, so a half-written
//! block is only ever the last of its file.

use std::{
    fs::File,
    io::{self, Write},
    path::{Path, PathBuf},
    sync::Arc,
    time::{Duration, Instant},
};

use tracing::{error, info};
use tradewind_actors::recording::{RecorderCounters, Tapped};

use super::{
    blocks::BlockCompressor,
    files::{free_name, rotates},
    index::{self, Counted, Index, IndexEntry},
    line,
};

/// When a block is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FlushPolicy {
    /// At most this many lines in a block.
    pub max_lines: u64,
    /// At most about this many uncompressed bytes in a block.
    pub max_bytes: usize,
    /// A block is written at the latest this long after its first line.
    pub max_age: Duration,
}

impl Default for FlushPolicy {
    fn default() -> FlushPolicy {
        FlushPolicy {
            max_lines: 1000,
            max_bytes: 256 << 10,
            max_age: Duration::from_secs(1),
        }
    }
}

/// zstd level of the blocks: fast, and most of the ratio of higher levels on JSON lines.
pub const ZSTD_LEVEL: i32 = 3;

#[derive(Debug)]
struct OpenFile {
    file: File,
    entry: IndexEntry,
}

/// Writes a recording directory's files and index.
#[derive(Debug)]
pub struct FileWriter {
    dir: PathBuf,
    policy: FlushPolicy,
    compressor: BlockCompressor,
    counters: Arc<RecorderCounters>,
    index: Index,
    file: Option<OpenFile>,
    block: Vec<u8>,
    /// What the block in memory holds.
    pending: IndexEntry,
    block_since: Option<Instant>,
    json: Vec<u8>,
}

impl FileWriter {
    /// A writer into `dir` (created if missing; its index refreshed).
    ///
    /// # Errors
    /// The directory cannot be created or listed, or its index not written.
    pub fn new(
        dir: &Path,
        policy: FlushPolicy,
        counters: Arc<RecorderCounters>,
    ) -> io::Result<FileWriter> {
        std::fs::create_dir_all(dir)?;
        let index = index::refresh(dir)?;
        Ok(FileWriter {
            dir: dir.to_path_buf(),
            policy,
            compressor: BlockCompressor::new(ZSTD_LEVEL)?,
            counters,
            index,
            file: None,
            block: Vec::with_capacity(policy.max_bytes + 4096),
            pending: IndexEntry::default(),
            block_since: None,
            json: Vec::new(),
        })
    }

    /// Adds one item (a `Close` does nothing here: see [`FileWriter::close`]).
    pub fn push(&mut self, item: Tapped) {
        let (ns, what) = match &item {
            Tapped::Frame { recv_ns, .. } => (*recv_ns, Counted::Frame),
            Tapped::Market { recv_ns, .. } => (*recv_ns, Counted::Market),
            Tapped::Forecast { recv_ns, .. } => (*recv_ns, Counted::Forecast),
            Tapped::Close => return,
        };
        let started = self.file.as_ref().map(|f| f.entry.first_ns);
        let started = started.or((self.pending.lines() > 0).then_some(self.pending.first_ns));
        if started.is_some_and(|first| rotates(first, ns)) {
            self.flush();
            self.close_file();
        }
        match item {
            Tapped::Frame { text, .. } => line::encode_frame(ns, &text, &mut self.block),
            Tapped::Market { market, .. } => {
                self.json.clear();
                if let Err(e) = serde_json::to_writer(&mut self.json, &market) {
                    error!(error = %e, ticker = %market.ticker, "recording: market not serialised");
                    RecorderCounters::add(&self.counters.write_failed, 1);
                    return;
                }
                line::encode_market(ns, &self.json, &mut self.block);
            }
            Tapped::Forecast { json, .. } => {
                line::encode_forecast(ns, json.as_bytes(), &mut self.block)
            }
            Tapped::Close => return,
        }
        self.pending.count(ns, what);
        self.block_since.get_or_insert_with(Instant::now);
        let lines = self.pending.lines();
        if lines >= self.policy.max_lines || self.block.len() >= self.policy.max_bytes {
            self.flush();
        }
    }

    /// How long until the block in memory is due (`None`: the block is empty).
    pub fn due_in(&self) -> Option<Duration> {
        self.block_since
            .map(|t| self.policy.max_age.saturating_sub(t.elapsed()))
    }

    /// Writes the block in memory if it is due.
    pub fn tick(&mut self) {
        if self.due_in().is_some_and(|d| d.is_zero()) {
            self.flush();
        }
    }

    /// Writes the block in memory now.
    pub fn flush(&mut self) {
        let lines = self.pending.lines();
        if lines == 0 {
            return;
        }
        match self.write_block() {
            Ok(written) => {
                let c = &self.counters;
                RecorderCounters::add(&c.blocks, 1);
                RecorderCounters::add(&c.frames_written, self.pending.frames);
                RecorderCounters::add(&c.markets_written, self.pending.markets);
                RecorderCounters::add(&c.raw_bytes, self.block.len() as u64);
                RecorderCounters::add(&c.compressed_bytes, written);
            }
            Err(e) => {
                error!(error = %e, lines, dir = %self.dir.display(),
                    "recording: a block could not be written; its lines are lost");
                RecorderCounters::add(&self.counters.write_failed, lines);
                if let Some(f) = self.file.as_mut() {
                    f.entry.damage = Some(format!(
                        "a write failed after offset {}: {e}",
                        f.entry.bytes
                    ));
                }
                self.close_file();
            }
        }
        self.block.clear();
        self.pending = IndexEntry::default();
        self.block_since = None;
    }

    /// Compresses and writes the block; answers the bytes written.
    fn write_block(&mut self) -> io::Result<u64> {
        let frame = self.compressor.compress(&self.block)?;
        if self.file.is_none() {
            self.file = Some(self.open_file()?);
        }
        let Some(f) = self.file.as_mut() else {
            return Err(io::Error::other("no file open"));
        };
        f.file.write_all(&frame)?;
        f.file.flush()?;
        let p = &self.pending;
        let e = &mut f.entry;
        if e.lines() == 0 {
            e.first_ns = p.first_ns;
        }
        e.last_ns = p.last_ns;
        e.frames += p.frames;
        e.markets += p.markets;
        e.forecasts += p.forecasts;
        e.bytes += frame.len() as u64;
        Ok(frame.len() as u64)
    }

    fn open_file(&mut self) -> io::Result<OpenFile> {
        let name = free_name(&self.dir, self.pending.first_ns);
        let file = File::options()
            .create_new(true)
            .append(true)
            .open(self.dir.join(&name))?;
        RecorderCounters::add(&self.counters.files, 1);
        info!(file = %name, "recording into a new file");
        Ok(OpenFile {
            file,
            entry: IndexEntry {
                file: name,
                ..IndexEntry::default()
            },
        })
    }

    /// Closes the open file (synced) and lists it in the index.
    fn close_file(&mut self) {
        let Some(f) = self.file.take() else { return };
        if let Err(e) = f.file.sync_all() {
            error!(error = %e, file = %f.entry.file, "recording: the file could not be synced");
        }
        self.index.files.push(f.entry);
        if let Err(e) = index::write(&self.dir, &self.index) {
            error!(error = %e, dir = %self.dir.display(), "recording: the index could not be written");
        }
    }

    /// Writes what is in memory, closes the file and writes the index.
    pub fn close(&mut self) {
        self.flush();
        self.close_file();
    }

    /// The index as written so far (files closed).
    pub fn index(&self) -> &Index {
        &self.index
    }
}
