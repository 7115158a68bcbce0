//! Reading the Parquet part files of a `tradewind history fetch` download: a table's files in
//! name order, their record batches, and typed columns looked up by name — text, UTC
//! timestamps (µs) and exact decimals rescaled to the scale asked for (whatever scale the
//! file was written at; no value passes through a float). Every error names the file and the
//! column.

use std::{
    fs::File,
    path::{Path, PathBuf},
};

use arrow_array::{
    Array, BooleanArray, Decimal128Array, RecordBatch, StringArray, TimestampMicrosecondArray,
};
use arrow_schema::DataType;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

/// Every `*.parquet` file under `dir` (recursively), sorted by path; none when `dir` does not
/// exist.
///
/// # Errors
/// A directory that exists cannot be listed.
pub fn parquet_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    if !dir.is_dir() {
        return Ok(out);
    }
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries = std::fs::read_dir(&d).map_err(|e| format!("{}: {e}", d.display()))?;
        for entry in entries {
            let path = entry.map_err(|e| format!("{}: {e}", d.display()))?.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|x| x == "parquet") {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Every record batch of `file`.
///
/// # Errors
/// The file cannot be opened or is not valid Parquet.
pub fn batches(file: &Path) -> Result<Vec<RecordBatch>, String> {
    let fail = |e: &dyn std::fmt::Display| format!("{}: {e}", file.display());
    let f = File::open(file).map_err(|e| fail(&e))?;
    let reader = ParquetRecordBatchReaderBuilder::try_new(f)
        .and_then(|b| b.build())
        .map_err(|e| fail(&e))?;
    reader.map(|b| b.map_err(|e| fail(&e))).collect()
}

/// One batch of one file, its columns looked up by name.
#[derive(Debug, Clone, Copy)]
pub struct Batch<'a> {
    /// The file it was read from (for errors).
    pub file: &'a Path,
    /// The batch.
    pub batch: &'a RecordBatch,
}

impl<'a> Batch<'a> {
    /// Rows in the batch.
    pub fn rows(&self) -> usize {
        self.batch.num_rows()
    }

    fn column<T: Array + 'static>(&self, name: &str, kind: &str) -> Result<&'a T, String> {
        let col = self.batch.column_by_name(name).ok_or_else(|| {
            format!(
                "{}: no column {name:?} (downloaded by an older tradewind? fetch it again)",
                self.file.display()
            )
        })?;
        col.as_any().downcast_ref::<T>().ok_or_else(|| {
            format!(
                "{}: column {name:?} is {}, not {kind}",
                self.file.display(),
                col.data_type()
            )
        })
    }

    /// A text column's values.
    ///
    /// # Errors
    /// The column is missing or not text.
    pub fn text(&self, name: &str) -> Result<Vec<Option<&'a str>>, String> {
        let a: &StringArray = self.column(name, "text")?;
        Ok(a.iter().collect())
    }

    /// A flag column's values.
    ///
    /// # Errors
    /// The column is missing or not a flag.
    pub fn flag(&self, name: &str) -> Result<Vec<Option<bool>>, String> {
        let a: &BooleanArray = self.column(name, "a flag")?;
        Ok(a.iter().collect())
    }

    /// A timestamp column's values, Unix µs.
    ///
    /// # Errors
    /// The column is missing or not a microsecond timestamp.
    pub fn micros(&self, name: &str) -> Result<Vec<Option<i64>>, String> {
        let a: &TimestampMicrosecondArray = self.column(name, "a timestamp (µs)")?;
        Ok(a.iter().collect())
    }

    /// A decimal column's values at `scale` decimal places (a value written with more places
    /// than `scale` is refused, never rounded).
    ///
    /// # Errors
    /// The column is missing, not a decimal, or holds a value finer than `scale`.
    pub fn decimal(&self, name: &str, scale: i8) -> Result<Vec<Option<i128>>, String> {
        let a: &Decimal128Array = self.column(name, "a decimal")?;
        let DataType::Decimal128(_, from) = a.data_type() else {
            return Err(format!(
                "{}: column {name:?} is not a decimal",
                self.file.display()
            ));
        };
        let shift = i32::from(scale) - i32::from(*from);
        let factor = 10_i128.checked_pow(shift.unsigned_abs()).ok_or_else(|| {
            format!(
                "{}: column {name:?}: scale {from} cannot be read at scale {scale}",
                self.file.display()
            )
        })?;
        let rescale = |v: i128| match shift {
            0 => Some(v),
            s if s > 0 => v.checked_mul(factor),
            _ => (v % factor == 0).then_some(v / factor),
        };
        a.iter()
            .map(|v| match v {
                None => Ok(None),
                Some(v) => rescale(v).map(Some).ok_or_else(|| {
                    format!(
                        "{}: column {name:?}: {v} (scale {from}) does not fit scale {scale}",
                        self.file.display()
                    )
                }),
            })
            .collect()
    }
}
