//! Serde helpers that borrow from the frame being decoded, so the hot messages
//! (`orderbook_delta`) decode without touching the heap.
//!
//! serde's own `Cow<str>` impl always allocates unless the field carries `#[serde(borrow)]`,
//! and `#[serde(borrow)]` does nothing for `Option<Cow<str>>`; the crate's wire enums
//! (`OutcomeSide`, ...) also decode through an owned string. These visitors take `&str`
//! directly: a string without escapes is borrowed, one with escapes is copied (never fails).

use std::{borrow::Cow, fmt};

use serde::{
    Deserialize, Deserializer,
    de::{self, Visitor},
};

use crate::types::OutcomeSide;

/// A string borrowed from the input when it has no escapes, owned otherwise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CowStr<'a>(pub(crate) Cow<'a, str>);

struct CowStrVisitor;

impl<'de> Visitor<'de> for CowStrVisitor {
    type Value = CowStr<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<CowStr<'de>, E> {
        Ok(CowStr(Cow::Borrowed(v)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<CowStr<'de>, E> {
        Ok(CowStr(Cow::Owned(v.to_owned())))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<CowStr<'de>, E> {
        Ok(CowStr(Cow::Owned(v)))
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for CowStr<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(CowStrVisitor)
    }
}

/// `deserialize_with` for `Option<Cow<'a, str>>` fields; pair it with `#[serde(default)]`.
pub(crate) fn opt_cow<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Cow<'de, str>>, D::Error> {
    Option::<CowStr<'de>>::deserialize(d).map(|o| o.map(|s| s.0))
}

/// `deserialize_with` for an [`OutcomeSide`] read without allocating.
pub(crate) fn outcome_side<'de, D: Deserializer<'de>>(d: D) -> Result<OutcomeSide, D::Error> {
    struct SideVisitor;
    impl Visitor<'_> for SideVisitor {
        type Value = OutcomeSide;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("\"yes\" or \"no\"")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<OutcomeSide, E> {
            OutcomeSide::from_wire(v).ok_or_else(|| E::unknown_variant(v, &["yes", "no"]))
        }
    }
    d.deserialize_str(SideVisitor)
}

/// Turns a `Cow` borrowed from a frame into an owned one, for messages that outlive it.
pub(crate) fn own(s: Cow<'_, str>) -> Cow<'static, str> {
    Cow::Owned(s.into_owned())
}

/// The first 200 characters of `s` (199 and `…` when cut), for error payloads and logs.
pub(crate) fn truncate(s: &str) -> String {
    const MAX: usize = 200;
    match s.char_indices().nth(MAX) {
        None => s.to_owned(),
        Some(_) => {
            let cut = s.char_indices().nth(MAX - 1).map_or(s.len(), |(i, _)| i);
            format!("{}…", &s[..cut])
        }
    }
}
