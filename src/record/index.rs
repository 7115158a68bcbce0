//! `index.json`: one entry per recording file — its name, first and last receive ns, frames,
//! markets, compressed bytes, and the damage found when it was scanned. Written (to a
//! temporary file, then renamed) whenever a file is closed; refreshed when a recording starts,
//! scanning the files it does not list (a file left open by a killed recorder) or lists with
//! another size; [`rebuild`] makes it anew from the files alone.

use std::{
    io,
    path::{Path, PathBuf},
};

use serde::{Deserialize, Serialize};

use super::{
    files::recording_files,
    reader::{EventRef, Reader},
};

/// The index's file name in a recording directory.
pub const INDEX_FILE: &str = "index.json";

/// One recording file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexEntry {
    /// File name (in the recording directory).
    pub file: String,
    /// Receive time of its first line, Unix ns.
    pub first_ns: u64,
    /// Receive time of its last line, Unix ns.
    pub last_ns: u64,
    /// Frames it holds.
    pub frames: u64,
    /// Markets it holds.
    pub markets: u64,
    /// Forecasts it holds (taken by a trading run's strategy).
    #[serde(default)]
    pub forecasts: u64,
    /// Its size, bytes.
    pub bytes: u64,
    /// Damage found when it was scanned (`offset N: reason`): what is listed comes before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub damage: Option<String>,
}

/// What a line holds, as the index counts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counted {
    /// A frame.
    Frame,
    /// A market.
    Market,
    /// A forecast.
    Forecast,
}

impl Counted {
    /// What `event` is.
    pub fn of(event: &EventRef<'_>) -> Counted {
        match event {
            EventRef::Frame(_) => Counted::Frame,
            EventRef::Market(_) => Counted::Market,
            EventRef::Forecast(_) => Counted::Forecast,
        }
    }
}

impl IndexEntry {
    /// Lines it holds.
    pub fn lines(&self) -> u64 {
        self.frames + self.markets + self.forecasts
    }

    /// Counts one line received at `ns`.
    pub fn count(&mut self, ns: u64, what: Counted) {
        if self.lines() == 0 {
            self.first_ns = ns;
        }
        self.last_ns = ns;
        match what {
            Counted::Frame => self.frames += 1,
            Counted::Market => self.markets += 1,
            Counted::Forecast => self.forecasts += 1,
        }
    }
}

/// The index of a recording directory.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Index {
    /// Format version (1).
    pub version: u32,
    /// Files in name (= time) order.
    pub files: Vec<IndexEntry>,
}

/// Reads one file through to its end or its damage.
pub fn scan(path: &Path) -> IndexEntry {
    let mut entry = IndexEntry {
        file: file_name(path),
        bytes: size(path),
        ..IndexEntry::default()
    };
    let mut reader = Reader::of_files(vec![path.to_path_buf()]);
    while let Some(r) = reader.next_ref() {
        entry.count(r.recv_ns, Counted::of(&r.event));
    }
    entry.damage = reader
        .damage()
        .first()
        .map(|d| format!("offset {}: {}", d.offset, d.reason));
    entry
}

/// The index made anew from the files of `dir` alone, and written.
///
/// # Errors
/// `dir` cannot be listed or the index not written.
pub fn rebuild(dir: &Path) -> io::Result<Index> {
    let index = Index {
        version: 1,
        files: recording_files(dir)?.iter().map(|p| scan(p)).collect(),
    };
    write(dir, &index)?;
    Ok(index)
}

/// The index of `dir` brought up to date with its files (those it does not list, or lists
/// with another size, are scanned), and written.
///
/// # Errors
/// `dir` cannot be listed or the index not written.
pub fn refresh(dir: &Path) -> io::Result<Index> {
    let old = load(dir).unwrap_or_default();
    let files = recording_files(dir)?
        .iter()
        .map(|p| {
            let (name, bytes) = (file_name(p), size(p));
            old.files
                .iter()
                .find(|e| e.file == name && e.bytes == bytes)
                .cloned()
                .unwrap_or_else(|| scan(p))
        })
        .collect();
    let index = Index { version: 1, files };
    write(dir, &index)?;
    Ok(index)
}

/// The index written in `dir`, if there is a readable one.
pub fn load(dir: &Path) -> Option<Index> {
    let text = std::fs::read_to_string(dir.join(INDEX_FILE)).ok()?;
    serde_json::from_str(&text).ok()
}

/// Writes the index (to a temporary file renamed over the old one).
///
/// # Errors
/// The file cannot be written or renamed.
pub fn write(dir: &Path, index: &Index) -> io::Result<()> {
    let tmp: PathBuf = dir.join(format!("{INDEX_FILE}.tmp"));
    let text = serde_json::to_string_pretty(index).map_err(io::Error::other)?;
    std::fs::write(&tmp, text + "\n")?;
    std::fs::rename(&tmp, dir.join(INDEX_FILE))
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn size(path: &Path) -> u64 {
    std::fs::metadata(path).map_or(0, |m| m.len())
}
