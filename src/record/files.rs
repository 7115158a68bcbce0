//! Recording files: their names (`rec-<UTC start>.jsonl.zst`, so that names sort in time
//! order), which files of a directory are recordings, and when a file is rotated (at every
//! UTC hour; a new recording always starts a new file).

use std::{
    io,
    path::{Path, PathBuf},
};

use chrono::{DateTime, Utc};

/// Prefix of a recording file's name.
pub const PREFIX: &str = "rec-";
/// Suffix of a recording file's name.
pub const SUFFIX: &str = ".jsonl.zst";
/// A file holds at most one UTC hour.
pub const ROTATE_NS: u64 = 3_600_000_000_000;

/// The name of a file whose first line was received at `ns` (Unix ns):
/// `rec-20261202T124512.123Z.jsonl.zst`.
pub fn file_name(ns: u64) -> String {
    let t = DateTime::<Utc>::from_timestamp_nanos(i64::try_from(ns).unwrap_or(i64::MAX));
    format!("{PREFIX}{}{SUFFIX}", t.format("%Y%m%dT%H%M%S%.3fZ"))
}

/// A name for a new file in `dir` whose first line was received at `ns`, not taken yet: one
/// millisecond later per name already taken (a restart within the same millisecond).
pub fn free_name(dir: &Path, ns: u64) -> String {
    let mut at = ns;
    loop {
        let name = file_name(at);
        if !dir.join(&name).exists() {
            return name;
        }
        at = at.saturating_add(1_000_000);
    }
}

/// Whether a file that started at `first_ns` must be closed before a line received at `ns`:
/// the UTC hour changed.
pub fn rotates(first_ns: u64, ns: u64) -> bool {
    ns / ROTATE_NS != first_ns / ROTATE_NS
}

/// Whether `name` is a recording file's.
pub fn is_recording(name: &str) -> bool {
    name.starts_with(PREFIX) && name.ends_with(SUFFIX)
}

/// The recording files in `dir`, in name (= time) order.
///
/// # Errors
/// `dir` cannot be listed.
pub fn recording_files(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_str().is_some_and(is_recording))
        .map(|e| e.path())
        .collect();
    files.sort();
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_sort_in_time_order_and_are_recognised() {
        let a = file_name(1_796_212_800_123_456_789);
        assert_eq!(a, "rec-20261202T120000.123Z.jsonl.zst");
        let b = file_name(1_796_212_800_124_000_000);
        let c = file_name(1_796_216_400_000_000_000);
        assert!(a < b && b < c, "{a} {b} {c}");
        assert!(is_recording(&a));
        assert!(!is_recording("index.json") && !is_recording("rec-x.jsonl"));
    }

    #[test]
    fn files_rotate_at_each_utc_hour() {
        let hour = 1_796_212_800_000_000_000;
        let table = [
            (hour, hour + ROTATE_NS - 1, false),
            (hour, hour + ROTATE_NS, true),
            (hour + 5, hour + 10, false),
            (hour - 1, hour, true),
        ];
        for (first, ns, want) in table {
            assert_eq!(rotates(first, ns), want, "{first} {ns}");
        }
    }
}
