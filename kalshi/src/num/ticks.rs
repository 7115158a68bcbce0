//! A market's price grid: `price_level_structure` and `price_ranges`, and the checks and
//! roundings the order path needs ("is this price on a tick?", "the nearest tick below").
//!
//! Kalshi's documented structures ([fixed-point migration guide]):
//!
//! | structure | ranges and steps |
//! |---|---|
//! | `linear_cent` | 0–1 step 0.01 |
//! | `tapered_deci_cent` | 0–0.10 step 0.001, 0.10–0.90 step 0.01, 0.90–1 step 0.001 |
//! | `deci_cent` | 0–1 step 0.001 |
//! | `center_deci_edge_centi_cent` | 0–0.01 step 0.0001, 0.01–0.99 step 0.001, 0.99–1 step 0.0001 |
//!
//! A market's own `price_ranges` are authoritative; the structure name only supplies a default
//! grid when the ranges are missing. An order price must lie strictly between 0 and 1.
//!
//! [fixed-point migration guide]: https://docs.kalshi.com/getting_started/fixed_point_migration

use serde::{Deserialize, Serialize};

use super::Price;

/// The named price grid of a market. Unknown names are kept, not refused.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PriceLevelStructure {
    /// `linear_cent`: one-cent ticks everywhere.
    LinearCent,
    /// `tapered_deci_cent`: tenth-of-a-cent ticks below 0.10 and above 0.90.
    TaperedDeciCent,
    /// `deci_cent`: tenth-of-a-cent ticks everywhere.
    DeciCent,
    /// `center_deci_edge_centi_cent`: hundredth-of-a-cent ticks at the edges, tenth in between.
    CenterDeciEdgeCentiCent,
    /// A structure this crate does not know; its `price_ranges` still apply.
    Other(String),
}

impl PriceLevelStructure {
    /// The wire name.
    pub fn as_str(&self) -> &str {
        match self {
            Self::LinearCent => "linear_cent",
            Self::TaperedDeciCent => "tapered_deci_cent",
            Self::DeciCent => "deci_cent",
            Self::CenterDeciEdgeCentiCent => "center_deci_edge_centi_cent",
            Self::Other(s) => s,
        }
    }

    /// Reads a wire name; never fails.
    pub fn from_wire(s: &str) -> Self {
        match s {
            "linear_cent" => Self::LinearCent,
            "tapered_deci_cent" => Self::TaperedDeciCent,
            "deci_cent" => Self::DeciCent,
            "center_deci_edge_centi_cent" => Self::CenterDeciEdgeCentiCent,
            other => Self::Other(other.to_owned()),
        }
    }

    /// The documented grid of a known structure; `None` for [`PriceLevelStructure::Other`].
    pub fn default_ranges(&self) -> Option<PriceRanges> {
        let r = |start: u32, end: u32, step: u32| PriceRange {
            start: Price::from_micros(start).unwrap_or(Price::ZERO),
            end: Price::from_micros(end).unwrap_or(Price::ONE),
            step: Price::from_micros(step).unwrap_or(Price::ONE),
        };
        let ranges = match self {
            Self::LinearCent => vec![r(0, 1_000_000, 10_000)],
            Self::TaperedDeciCent => vec![
                r(0, 100_000, 1_000),
                r(100_000, 900_000, 10_000),
                r(900_000, 1_000_000, 1_000),
            ],
            Self::DeciCent => vec![r(0, 1_000_000, 1_000)],
            Self::CenterDeciEdgeCentiCent => vec![
                r(0, 10_000, 100),
                r(10_000, 990_000, 1_000),
                r(990_000, 1_000_000, 100),
            ],
            Self::Other(_) => return None,
        };
        Some(PriceRanges(ranges))
    }
}

impl Serialize for PriceLevelStructure {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for PriceLevelStructure {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Ok(Self::from_wire(&s))
    }
}

/// One interval of a market's price grid: prices `start..=end` in multiples of `step` from
/// `start` (`{"start":"0.1000","end":"0.9000","step":"0.0100"}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceRange {
    /// First price of the interval.
    pub start: Price,
    /// Last price of the interval (inclusive).
    pub end: Price,
    /// Tick size within the interval.
    pub step: Price,
}

impl PriceRange {
    fn contains_tick(&self, p: Price) -> bool {
        let step = self.step.micros();
        step > 0
            && self.start <= p
            && p <= self.end
            && (p.micros() - self.start.micros()).is_multiple_of(step)
    }
}

/// Why a price is not a valid order price for a market.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TickError {
    /// Order prices must be strictly between 0 and 1.
    #[error("price {0} is outside the open interval (0, 1)")]
    OutOfBounds(Price),
    /// The price lies in the grid's span but not on one of its ticks.
    #[error("price {price} is not on a tick of this market's price grid{nearest}")]
    OffTick {
        /// The refused price.
        price: Price,
        /// A hint naming the nearest valid ticks, already formatted.
        nearest: String,
    },
    /// The market has no usable grid (no ranges, or a zero step).
    #[error("market has no usable price grid")]
    NoGrid,
}

/// A market's whole price grid, as the ordered list of its `price_ranges`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PriceRanges(pub Vec<PriceRange>);

impl PriceRanges {
    /// The grid of a `linear_cent` market.
    pub fn linear_cent() -> PriceRanges {
        PriceLevelStructure::LinearCent
            .default_ranges()
            .unwrap_or_default()
    }

    /// Checks that `price` is a valid order price: strictly inside (0, 1) and on a tick.
    pub fn validate(&self, price: Price) -> Result<(), TickError> {
        if price == Price::ZERO || price >= Price::ONE {
            return Err(TickError::OutOfBounds(price));
        }
        if self.0.is_empty() || self.0.iter().any(|r| r.step == Price::ZERO) {
            return Err(TickError::NoGrid);
        }
        if self.0.iter().any(|r| r.contains_tick(price)) {
            return Ok(());
        }
        let nearest = match (self.tick_at_or_below(price), self.tick_at_or_above(price)) {
            (Some(lo), Some(hi)) => format!(" (nearest ticks {lo} and {hi})"),
            (Some(t), None) | (None, Some(t)) => format!(" (nearest tick {t})"),
            (None, None) => String::new(),
        };
        Err(TickError::OffTick { price, nearest })
    }

    /// True when `price` is a valid order price.
    pub fn is_valid(&self, price: Price) -> bool {
        self.validate(price).is_ok()
    }

    /// The highest valid order price at or below `price`, if any.
    pub fn tick_at_or_below(&self, price: Price) -> Option<Price> {
        self.0
            .iter()
            .filter(|r| r.step > Price::ZERO && r.start <= r.end && r.start <= price)
            .map(|r| {
                let top = price.min(r.end).micros();
                let step = r.step.micros();
                let k = (top - r.start.micros()) / step;
                r.start.micros() + k * step
            })
            .filter_map(Price::from_micros)
            .filter(|p| *p > Price::ZERO && *p < Price::ONE)
            .max()
    }

    /// The lowest valid order price at or above `price`, if any.
    pub fn tick_at_or_above(&self, price: Price) -> Option<Price> {
        self.0
            .iter()
            .filter(|r| r.step > Price::ZERO && r.start <= r.end && r.end >= price)
            .map(|r| {
                let bottom = price.max(r.start).micros();
                let step = r.step.micros();
                let k = (bottom - r.start.micros()).div_ceil(step);
                r.start.micros() + k * step
            })
            .filter_map(Price::from_micros)
            .filter(|p| *p > Price::ZERO && *p < Price::ONE)
            .filter(|p| self.0.iter().any(|r| r.contains_tick(*p)))
            .min()
    }

    /// The next valid order price strictly above `price`.
    pub fn tick_above(&self, price: Price) -> Option<Price> {
        let next = Price::from_micros(price.micros().checked_add(1)?)?;
        self.tick_at_or_above(next)
    }

    /// The next valid order price strictly below `price`.
    pub fn tick_below(&self, price: Price) -> Option<Price> {
        let prev = Price::from_micros(price.micros().checked_sub(1)?)?;
        self.tick_at_or_below(prev)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Price {
        Price::parse(s).unwrap()
    }

    #[test]
    fn validates_each_documented_structure() {
        use PriceLevelStructure::*;
        let cases: &[(PriceLevelStructure, &str, bool)] = &[
            (LinearCent, "0.01", true),
            (LinearCent, "0.56", true),
            (LinearCent, "0.99", true),
            (LinearCent, "0.565", false),
            (LinearCent, "0", false),
            (LinearCent, "1", false),
            (TaperedDeciCent, "0.005", true),
            (TaperedDeciCent, "0.095", true),
            (TaperedDeciCent, "0.10", true),
            (TaperedDeciCent, "0.105", false),
            (TaperedDeciCent, "0.55", true),
            (TaperedDeciCent, "0.555", false),
            (TaperedDeciCent, "0.90", true),
            (TaperedDeciCent, "0.995", true),
            (TaperedDeciCent, "0.0005", false),
            (DeciCent, "0.001", true),
            (DeciCent, "0.555", true),
            (DeciCent, "0.5555", false),
            (CenterDeciEdgeCentiCent, "0.0001", true),
            (CenterDeciEdgeCentiCent, "0.0101", false),
            (CenterDeciEdgeCentiCent, "0.011", true),
            (CenterDeciEdgeCentiCent, "0.9999", true),
        ];
        for (structure, price, valid) in cases {
            let grid = structure.default_ranges().unwrap();
            assert_eq!(
                grid.is_valid(p(price)),
                *valid,
                "{} {price}",
                structure.as_str()
            );
        }
    }

    #[test]
    fn off_tick_error_names_nearest_ticks() {
        let err = PriceRanges::linear_cent().validate(p("0.565")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "price 0.5650 is not on a tick of this market's price grid \
             (nearest ticks 0.5600 and 0.5700)"
        );
    }

    #[test]
    fn rounds_to_ticks_across_range_boundaries() {
        let grid = PriceLevelStructure::TaperedDeciCent
            .default_ranges()
            .unwrap();
        assert_eq!(grid.tick_at_or_below(p("0.1055")), Some(p("0.10")));
        assert_eq!(grid.tick_at_or_above(p("0.1055")), Some(p("0.11")));
        assert_eq!(grid.tick_at_or_above(p("0.0995")), Some(p("0.10")));
        assert_eq!(grid.tick_above(p("0.90")), Some(p("0.901")));
        assert_eq!(grid.tick_below(p("0.90")), Some(p("0.89")));
        assert_eq!(grid.tick_above(p("0.999")), None);
        assert_eq!(grid.tick_below(p("0.001")), None);
    }

    #[test]
    fn unknown_structure_is_kept() {
        let s: PriceLevelStructure = serde_json::from_str("\"quarter_cent\"").unwrap();
        assert_eq!(s, PriceLevelStructure::Other("quarter_cent".into()));
        assert_eq!(serde_json::to_string(&s).unwrap(), "\"quarter_cent\"");
        assert_eq!(s.default_ranges(), None);
    }

    #[test]
    fn market_price_ranges_decode() {
        let json = r#"[{"start":"0.0000","end":"0.1000","step":"0.0010"},
                       {"start":"0.1000","end":"0.9000","step":"0.0100"},
                       {"start":"0.9000","end":"1.0000","step":"0.0010"}]"#;
        let grid: PriceRanges = serde_json::from_str(json).unwrap();
        assert_eq!(
            grid,
            PriceLevelStructure::TaperedDeciCent
                .default_ranges()
                .unwrap()
        );
    }
}
