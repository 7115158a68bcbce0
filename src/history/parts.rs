//! Files of a download directory: Parquet part files (zstd pages) and the JSON checkpoint,
//! each written to a temporary name in the same directory and renamed into place, so a file
//! under its final name is always whole.
//!
//! Layout of `DIR`: `markets/<SERIES>.parquet`, `trades/<TICKER>/<source>-<page>.parquet`,
//! `candlesticks/<TICKER>/<source>-<window>.parquet` (`source` is `live` or `historical`,
//! page and window numbered from 0; a catch-up list's pages are
//! `trades/<TICKER>/historical-catchup<k>-<page>.parquet`), `checkpoint.json`.

use std::{
    fs::{self, File},
    io::Write,
    path::{Path, PathBuf},
};

use arrow_array::RecordBatch;
use parquet::{
    arrow::ArrowWriter,
    basic::{Compression, ZstdLevel},
    file::properties::WriterProperties,
};

use super::plan::Source;

/// The file of a market's trade page or candle window `n` read from `source`.
pub fn part_path(table: &str, ticker: &str, source: Source, n: u32) -> PathBuf {
    Path::new(table)
        .join(ticker)
        .join(format!("{}-{n:05}.parquet", source.as_str()))
}

/// The file of a market's trade page `n` of the list named `list` (`live`, `historical`,
/// `historical-catchup<k>`).
pub fn trade_part(ticker: &str, list: &str, n: u32) -> PathBuf {
    Path::new("trades")
        .join(ticker)
        .join(format!("{list}-{n:05}.parquet"))
}

/// Writes `bytes` to `path` through a temporary file and a rename (and syncs it first).
///
/// # Errors
/// Any I/O failure, naming the file.
pub fn write_atomic(
    path: &Path,
    bytes: impl FnOnce(&mut File) -> Result<(), String>,
) -> Result<(), String> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let tmp = path.with_extension("tmp");
    let mut file =
        File::create(&tmp).map_err(|e| format!("cannot create {}: {e}", tmp.display()))?;
    bytes(&mut file)?;
    file.sync_all()
        .map_err(|e| format!("cannot sync {}: {e}", tmp.display()))?;
    fs::rename(&tmp, path).map_err(|e| format!("cannot rename {} into place: {e}", tmp.display()))
}

/// Writes one record batch as the Parquet file `out/rel`.
///
/// # Errors
/// An I/O or encoding failure, naming the file.
pub fn write_parquet(out: &Path, rel: &Path, batch: &RecordBatch) -> Result<(), String> {
    let path = out.join(rel);
    let props = WriterProperties::builder()
        .set_compression(Compression::ZSTD(ZstdLevel::default()))
        .build();
    write_atomic(&path, |file| {
        let fail = |e: parquet::errors::ParquetError| format!("{}: {e}", path.display());
        let mut w = ArrowWriter::try_new(file, batch.schema(), Some(props)).map_err(fail)?;
        w.write(batch).map_err(fail)?;
        w.close().map(drop).map_err(fail)
    })
}

/// Writes `text` as the file `path`, atomically.
///
/// # Errors
/// An I/O failure, naming the file.
pub fn write_text(path: &Path, text: &str) -> Result<(), String> {
    write_atomic(path, |f| {
        f.write_all(text.as_bytes())
            .map_err(|e| format!("cannot write {}: {e}", path.display()))
    })
}
