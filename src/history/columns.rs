//! Arrow columns of the history tables, one helper per kind of value: text, flags, whole
//! numbers, UTC timestamps (µs) and the exchange's fixed-point numbers as exact decimals —
//! prices `Decimal128(10, 6)` (dollars, the `Price` type's micro-dollar scale), contract
//! counts `Decimal128(18, 2)` (`Count`'s centi-contracts), money `Decimal128(18, 6)`
//! (`Money`'s micro-dollars). No value passes through a float.

use std::sync::Arc;

use arrow_array::{
    Array, ArrayRef, BooleanArray, Decimal128Array, Int32Array, RecordBatch, StringArray,
    TimestampMicrosecondArray,
};
use arrow_schema::{ArrowError, Field, Schema};
use chrono::{DateTime, Utc};
use kalshi::{Count, Money, Price};

/// Precision and scale of prices.
pub const PRICE: (u8, i8) = (10, 6);
/// Precision and scale of contract counts.
pub const COUNT: (u8, i8) = (18, 2);
/// Precision and scale of dollar amounts.
pub const MONEY: (u8, i8) = (18, 6);

/// A table under construction: its fields and columns, in order.
#[derive(Debug, Default)]
pub struct Columns {
    fields: Vec<Field>,
    arrays: Vec<ArrayRef>,
}

impl Columns {
    fn push(&mut self, name: &str, nullable: bool, array: ArrayRef) {
        self.fields
            .push(Field::new(name, array.data_type().clone(), nullable));
        self.arrays.push(array);
    }

    /// A text column.
    pub fn text<S: AsRef<str>>(&mut self, name: &str, v: impl IntoIterator<Item = Option<S>>) {
        let a: StringArray = v.into_iter().collect();
        self.push(name, true, Arc::new(a));
    }

    /// A flag column (never null).
    pub fn flag(&mut self, name: &str, v: impl IntoIterator<Item = bool>) {
        let a: BooleanArray = v.into_iter().map(Some).collect();
        self.push(name, false, Arc::new(a));
    }

    /// A 32-bit whole-number column (never null).
    pub fn int(&mut self, name: &str, v: impl IntoIterator<Item = i32>) {
        self.push(name, false, Arc::new(Int32Array::from_iter_values(v)));
    }

    /// A UTC timestamp column, microseconds.
    pub fn time(&mut self, name: &str, v: impl IntoIterator<Item = Option<DateTime<Utc>>>) {
        let a: TimestampMicrosecondArray = v
            .into_iter()
            .map(|t| t.map(|t| t.timestamp_micros()))
            .collect();
        self.push(name, true, Arc::new(a.with_timezone("UTC")));
    }

    fn decimal(
        &mut self,
        name: &str,
        (precision, scale): (u8, i8),
        v: Vec<Option<i128>>,
    ) -> Result<(), ArrowError> {
        let a = Decimal128Array::from(v).with_precision_and_scale(precision, scale)?;
        self.push(name, true, Arc::new(a));
        Ok(())
    }

    /// A price column (dollars).
    ///
    /// # Errors
    /// Never for valid prices; Arrow's error otherwise.
    pub fn price(
        &mut self,
        name: &str,
        v: impl IntoIterator<Item = Option<Price>>,
    ) -> Result<(), ArrowError> {
        let raw = v.into_iter().map(|p| p.map(|p| i128::from(p.micros())));
        self.decimal(name, PRICE, raw.collect())
    }

    /// A contract-count column.
    ///
    /// # Errors
    /// Arrow's error (a count beyond 18 digits).
    pub fn count(
        &mut self,
        name: &str,
        v: impl IntoIterator<Item = Option<Count>>,
    ) -> Result<(), ArrowError> {
        let raw = v.into_iter().map(|c| c.map(|c| i128::from(c.centis())));
        self.decimal(name, COUNT, raw.collect())
    }

    /// A dollar-amount column.
    ///
    /// # Errors
    /// Arrow's error (an amount beyond 18 digits).
    pub fn money(
        &mut self,
        name: &str,
        v: impl IntoIterator<Item = Option<Money>>,
    ) -> Result<(), ArrowError> {
        let raw = v.into_iter().map(|m| m.map(|m| i128::from(m.micros())));
        self.decimal(name, MONEY, raw.collect())
    }

    /// The record batch.
    ///
    /// # Errors
    /// Columns of different lengths (a bug).
    pub fn finish(self) -> Result<RecordBatch, ArrowError> {
        RecordBatch::try_new(Arc::new(Schema::new(self.fields)), self.arrays)
    }
}
