//! Tolerant field decoders shared by the REST response types, for the ways Kalshi's JSON
//! bends the documented schema: `null` where a list or string was promised (a Go `nil` slice
//! encodes as `null`), and `""` where an optional identifier is absent (orders placed in the
//! web UI carry `"client_order_id":""`).
//!
//! A `client_order_id` that breaks [`ClientOrderId`](crate::ClientOrderId)'s rules cannot
//! be one Tradewind assigned (another tool placed that order), so it reads as `None` instead
//! of failing a whole page of orders: the order is simply not ours.

use serde::{Deserialize, Deserializer};

/// Decodes `null` (or, with `#[serde(default)]`, a missing field) as `T::default()`.
pub(crate) fn null_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

/// Decodes a string through `T`'s checked constructor; `null`, `""`, a string `T` refuses
/// (or, with `#[serde(default)]`, a missing field) decode as `None`. A non-string is an error.
pub(crate) fn id_or_none<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: TryFrom<String>,
{
    Ok(Option::<String>::deserialize(deserializer)?.and_then(|s| T::try_from(s).ok()))
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use crate::ClientOrderId;

    #[derive(Debug, Deserialize)]
    struct Probe {
        #[serde(default, deserialize_with = "super::null_default")]
        list: Vec<u32>,
        #[serde(default, deserialize_with = "super::id_or_none")]
        id: Option<ClientOrderId>,
    }

    #[test]
    fn null_empty_and_foreign_ids_mean_absent() {
        let p: Probe = serde_json::from_str(r#"{"list":null,"id":""}"#).unwrap();
        assert!(p.list.is_empty() && p.id.is_none());
        let p: Probe = serde_json::from_str(r#"{}"#).unwrap();
        assert!(p.list.is_empty() && p.id.is_none());
        let p: Probe = serde_json::from_str(r#"{"list":[1],"id":"c-1"}"#).unwrap();
        assert_eq!((p.list, p.id.unwrap().as_str()), (vec![1], "c-1"));
        let p: Probe = serde_json::from_str(r#"{"id":"not ours/1"}"#).unwrap();
        assert!(p.id.is_none());
        assert!(serde_json::from_str::<Probe>(r#"{"id":5}"#).is_err());
    }
}
