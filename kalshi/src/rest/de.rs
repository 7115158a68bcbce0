//! Tolerant field decoders shared by the REST response types, for the ways Kalshi's JSON
//! bends the documented schema: `null` where a list or string was promised (a Go `nil` slice
//! encodes as `null`), and `""` where an optional identifier is absent (orders placed in the
//! web UI carry `"client_order_id":""`).
//!
//! A `client_order_id` that breaks [`ClientOrderId`](crate::ClientOrderId)'s rules cannot
//! be one Tradewind assigned (another tool placed that order), so it reads as `None` instead
//! of failing a whole page of orders: the order is simply not ours. On the way out an absent
//! client id is written as `""` where Kalshi's schema requires the field ([`id_or_empty`]).
//!
//! A value of a closed enum that this crate does not know reads as `None` through
//! [`known_or_none`], for fields whose value nothing depends on (deprecated sides, the
//! taker side of a public trade), so one unseen value cannot make a page undecodable.

use serde::{Deserialize, Deserializer, Serializer, de::value::StrDeserializer};

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

/// Writes an optional identifier as its text, or `""` when absent (the wire form of "none"
/// where the field is required).
pub(crate) fn id_or_empty<S, T>(id: &Option<T>, serializer: S) -> Result<S::Ok, S::Error>
where
    S: Serializer,
    T: AsRef<str>,
{
    serializer.serialize_str(id.as_ref().map_or("", AsRef::as_ref))
}

/// Decodes a string through `T`'s own deserializer; `null`, a missing field (with
/// `#[serde(default)]`) or a string `T` refuses decode as `None`. A non-string is an error.
pub(crate) fn known_or_none<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    let Some(s) = Option::<String>::deserialize(deserializer)? else {
        return Ok(None);
    };
    let text = StrDeserializer::<serde::de::value::Error>::new(&s);
    Ok(T::deserialize(text).ok())
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

    #[derive(Debug, Deserialize)]
    struct Sides {
        #[serde(default, deserialize_with = "super::known_or_none")]
        side: Option<crate::types::BookSide>,
    }

    #[test]
    fn unknown_closed_enum_values_mean_absent() {
        let s: Sides = serde_json::from_str(r#"{"side":"ask"}"#).unwrap();
        assert_eq!(s.side, Some(crate::types::BookSide::Ask));
        let s: Sides = serde_json::from_str(r#"{"side":"middle"}"#).unwrap();
        assert_eq!(s.side, None);
        let s: Sides = serde_json::from_str(r#"{}"#).unwrap();
        assert_eq!(s.side, None);
        assert!(serde_json::from_str::<Sides>(r#"{"side":1}"#).is_err());
    }
}
