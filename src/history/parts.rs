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

/// The number of the part file `name` of the list `list` (`<list>-<n>.parquet`), if it is one.
pub fn part_number(name: &str, list: &str) -> Option<u32> {
    let rest = name.strip_prefix(list)?.strip_prefix('-')?;
    let n = rest.strip_suffix(".parquet")?;
    if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    n.parse().ok()
}

/// Removes the part files of the list `list` in `out/table/ticker` numbered `from` or
/// above: written by a run that stopped before the checkpoint counted them, they would be
/// read as rows beside the same trades written again. Answers how many it removed.
///
/// # Errors
/// The directory cannot be read or a file removed, naming it.
pub fn remove_uncounted(
    out: &Path,
    table: &str,
    ticker: &str,
    list: &str,
    from: u32,
) -> Result<usize, String> {
    let dir = out.join(table).join(ticker);
    let entries = match fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(format!("cannot read {}: {e}", dir.display())),
    };
    let mut removed = 0;
    for entry in entries {
        let entry = entry.map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
        let name = entry.file_name();
        let stale = name
            .to_str()
            .and_then(|n| part_number(n, list))
            .is_some_and(|n| n >= from);
        if stale {
            remove_file(&entry.path())?;
            removed += 1;
        }
    }
    Ok(removed)
}

/// Removes the file `out/rel` if there is one (a page that kept no row leaves none).
///
/// # Errors
/// It exists and cannot be removed, naming it.
pub fn remove_part(out: &Path, rel: &Path) -> Result<(), String> {
    remove_file(&out.join(rel))
}

fn remove_file(path: &Path) -> Result<(), String> {
    match fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(format!("cannot remove {}: {e}", path.display())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn part_numbers_are_read_from_the_list_s_own_names_only() {
        assert_eq!(part_number("live-00003.parquet", "live"), Some(3));
        assert_eq!(
            part_number("historical-00012.parquet", "historical"),
            Some(12)
        );
        assert_eq!(
            part_number("historical-catchup0-00001.parquet", "historical"),
            None
        );
        assert_eq!(
            part_number("historical-catchup0-00001.parquet", "historical-catchup0"),
            Some(1)
        );
        assert_eq!(part_number("live-00003.tmp", "live"), None);
        assert_eq!(part_number("live-.parquet", "live"), None);
        assert_eq!(part_number("live-+3.parquet", "live"), None);
    }

    #[test]
    fn uncounted_parts_of_a_list_are_removed_and_nothing_else() {
        let out = std::env::temp_dir().join(format!("tw-parts-{}", std::process::id()));
        let dir = out.join("trades").join("T");
        fs::create_dir_all(&dir).unwrap();
        let names = [
            "live-00000.parquet",
            "live-00001.parquet",
            "live-00002.parquet",
            "historical-00005.parquet",
            "historical-catchup0-00003.parquet",
        ];
        for n in names {
            fs::write(dir.join(n), b"x").unwrap();
        }
        assert_eq!(remove_uncounted(&out, "trades", "T", "live", 1), Ok(2));
        assert_eq!(remove_uncounted(&out, "trades", "U", "live", 0), Ok(0));
        remove_part(&out, &trade_part("T", "historical", 5)).unwrap();
        remove_part(&out, &trade_part("T", "historical", 6)).unwrap();
        let mut left: Vec<String> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        left.sort();
        assert_eq!(
            left,
            ["historical-catchup0-00003.parquet", "live-00000.parquet"]
        );
        fs::remove_dir_all(out).unwrap();
    }
}
