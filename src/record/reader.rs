//! [`Reader`]: a recording directory's files in order, line by line, as
//! `(recv_ns, Event::Frame(text) | Event::Market(json))`.
//!
//! Damage (a torn last block after a kill, a corrupted block, a line that does not read) ends
//! the file it is in: everything before it is returned, a warning names the file and the
//! block's offset, the damage is kept in [`Reader::damage`], and reading goes on with the next
//! file. Nothing panics on bad input.
//!
//! [`Reader::next_ref`] lends each record from the block in memory, with no allocation per
//! line (but a `frame_text` line, unescaped into a string of its own); the [`Iterator`] answers
//! owned records, one allocation each.

use std::{
    collections::VecDeque,
    fs::File,
    io,
    path::{Path, PathBuf},
};

use tracing::warn;

use super::{
    blocks::{BlockDamage, BlockReader},
    files::recording_files,
    line::{self, Kind, Parsed},
};

/// What a recorded line holds, borrowed from the reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventRef<'a> {
    /// A WebSocket text frame, exactly as received.
    Frame(&'a str),
    /// A market as the metadata cache got it from REST (JSON).
    Market(&'a str),
    /// A forecast the strategy took, in the forecast file's JSON format.
    Forecast(&'a str),
}

/// One record, borrowed from the reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordRef<'a> {
    /// Receive time, wall-clock Unix ns.
    pub recv_ns: u64,
    /// What was received.
    pub event: EventRef<'a>,
}

/// What a recorded line holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// A WebSocket text frame, exactly as received.
    Frame(String),
    /// A market as the metadata cache got it from REST (JSON).
    Market(String),
    /// A forecast the strategy took, in the forecast file's JSON format.
    Forecast(String),
}

/// One record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// Receive time, wall-clock Unix ns.
    pub recv_ns: u64,
    /// What was received.
    pub event: Event,
}

impl RecordRef<'_> {
    /// An owned copy.
    pub fn to_owned(self) -> Record {
        let event = match self.event {
            EventRef::Frame(t) => Event::Frame(t.to_owned()),
            EventRef::Market(m) => Event::Market(m.to_owned()),
            EventRef::Forecast(f) => Event::Forecast(f.to_owned()),
        };
        Record {
            recv_ns: self.recv_ns,
            event,
        }
    }
}

/// Where a recording is damaged: the rest of that file was not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Damage {
    /// The file.
    pub file: PathBuf,
    /// Byte offset of the damaged block in the file.
    pub offset: u64,
    /// What is wrong.
    pub reason: String,
}

/// Reads a recording's files in order.
#[derive(Debug)]
pub struct Reader {
    files: VecDeque<PathBuf>,
    current: Option<(PathBuf, BlockReader<File>)>,
    /// The block in memory: whole lines, UTF-8 checked once per block.
    block: String,
    block_offset: u64,
    pos: usize,
    /// The last `frame_text` line, unescaped.
    text: String,
    damage: Vec<Damage>,
}

impl Reader {
    /// A reader of every recording file in `dir` (`rec-*.jsonl.zst`), oldest first.
    ///
    /// # Errors
    /// `dir` cannot be listed.
    pub fn open(dir: &Path) -> io::Result<Reader> {
        Ok(Reader::of_files(recording_files(dir)?))
    }

    /// A reader of these files, in this order.
    pub fn of_files(files: Vec<PathBuf>) -> Reader {
        Reader {
            files: files.into(),
            current: None,
            block: String::new(),
            block_offset: 0,
            pos: 0,
            text: String::new(),
            damage: Vec::new(),
        }
    }

    /// The damage met so far.
    pub fn damage(&self) -> &[Damage] {
        &self.damage
    }

    /// The next record, lent until the next call; `None` at the end of the last file.
    pub fn next_ref(&mut self) -> Option<RecordRef<'_>> {
        let (parsed, line_start) = self.next_parsed()?;
        let payload = parsed.payload.start + line_start..parsed.payload.end + line_start;
        let event = match parsed.kind {
            Kind::Frame => EventRef::Frame(&self.block[payload]),
            Kind::FrameText => EventRef::Frame(&self.text),
            Kind::Market => EventRef::Market(&self.block[payload]),
            Kind::Forecast => EventRef::Forecast(&self.block[payload]),
        };
        Some(RecordRef {
            recv_ns: parsed.recv_ns,
            event,
        })
    }

    /// The next good line: its parse and where it starts in the block.
    fn next_parsed(&mut self) -> Option<(Parsed, usize)> {
        loop {
            if self.pos >= self.block.len() {
                if !self.next_block() {
                    return None;
                }
                continue;
            }
            let start = self.pos;
            let Some(len) = self.block[start..].find('\n') else {
                self.damaged(
                    self.block_offset,
                    "a block whose last line has no end".into(),
                );
                continue;
            };
            self.pos = start + len + 1;
            let line = &self.block[start..start + len];
            let read = match line::parse(line) {
                Ok(p) if p.kind == Kind::FrameText => {
                    serde_json::from_str::<String>(&line[p.payload.clone()])
                        .map(|text| (p, Some(text)))
                        .map_err(|e| format!("bad frame_text: {e}"))
                }
                Ok(p) => Ok((p, None)),
                Err(why) => Err(format!("a line of the block does not read: {why}")),
            };
            match read {
                Ok((p, text)) => {
                    if let Some(text) = text {
                        self.text = text;
                    }
                    return Some((p, start));
                }
                Err(reason) => self.damaged(self.block_offset, reason),
            }
        }
    }

    /// Loads the next block, opening the next file when one ends; false when none is left.
    fn next_block(&mut self) -> bool {
        loop {
            let Some((path, reader)) = self.current.as_mut() else {
                let Some(path) = self.files.pop_front() else {
                    return false;
                };
                match File::open(&path).and_then(BlockReader::new) {
                    Ok(r) => self.current = Some((path, r)),
                    Err(e) => self.note(path, 0, format!("cannot open: {e}")),
                }
                continue;
            };
            let mut bytes = std::mem::take(&mut self.block).into_bytes();
            match reader.next_block(&mut bytes) {
                Ok(Some(offset)) => match String::from_utf8(bytes) {
                    Ok(block) => {
                        (self.block, self.block_offset, self.pos) = (block, offset, 0);
                        return true;
                    }
                    Err(_) => self.damaged(offset, "a block that is not UTF-8".into()),
                },
                Ok(None) => self.current = None,
                Err(BlockDamage { offset, reason }) => {
                    let path = path.clone();
                    self.current = None;
                    self.note(path, offset, reason);
                }
            }
        }
    }

    /// The current file is damaged at `offset`: the rest of it is skipped.
    fn damaged(&mut self, offset: u64, reason: String) {
        self.block.clear();
        self.pos = 0;
        if let Some((path, _)) = self.current.take() {
            self.note(path, offset, reason);
        }
    }

    fn note(&mut self, file: PathBuf, offset: u64, reason: String) {
        warn!(file = %file.display(), offset, %reason,
            "recording damaged: the rest of this file is skipped");
        self.damage.push(Damage {
            file,
            offset,
            reason,
        });
    }
}

impl Iterator for Reader {
    type Item = Record;

    fn next(&mut self) -> Option<Record> {
        self.next_ref().map(RecordRef::to_owned)
    }
}
