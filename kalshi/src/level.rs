//! [`PriceLevel`]: one price level of an order book, as Kalshi sends it in REST order books
//! (`orderbook_fp.yes_dollars`) and WebSocket snapshots (`yes_dollars_fp`): a two-element JSON
//! array `["0.0800","300.00"]` of a dollar price string and a fixed-point count string.

use serde::{Deserialize, Deserializer, Serialize, Serializer, ser::SerializeTuple};

use crate::num::{Count, Price};

/// One bid level: `count` contracts bid at `price`. Serialized as `[price, count]`, e.g.
/// `["0.0800","300.00"]`. Decoding borrows the strings, so it does not allocate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PriceLevel {
    /// The price of the level (YES-leg price on the YES side, NO-leg price on the NO side).
    pub price: Price,
    /// The resting size at that price.
    pub count: Count,
}

impl PriceLevel {
    /// A level of `count` at `price`.
    pub const fn new(price: Price, count: Count) -> PriceLevel {
        PriceLevel { price, count }
    }
}

impl Serialize for PriceLevel {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut t = serializer.serialize_tuple(2)?;
        t.serialize_element(&self.price)?;
        t.serialize_element(&self.count)?;
        t.end()
    }
}

impl<'de> Deserialize<'de> for PriceLevel {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let (price, count) = <(Price, Count)>::deserialize(deserializer)?;
        Ok(PriceLevel { price, count })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_as_a_two_string_array() {
        let level: PriceLevel = serde_json::from_str(r#"["0.0800","300.00"]"#).unwrap();
        assert_eq!(level.price, Price::parse("0.08").unwrap());
        assert_eq!(level.count, Count::from_whole(300));
        assert_eq!(
            serde_json::to_string(&level).unwrap(),
            r#"["0.0800","300.00"]"#
        );
        assert!(serde_json::from_str::<PriceLevel>(r#"["0.08"]"#).is_err());
        assert!(serde_json::from_str::<PriceLevel>(r#"["0.08","1.00","2"]"#).is_err());
    }
}
