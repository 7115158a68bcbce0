//! The type notation of the schema document (`kalshi-openapi.json`), parsed: `string`,
//! `number`, `boolean`, `object` (date-times and free objects), `Array<T>`, a model or enum
//! name, a quoted literal `'a'` for validated values, `null`, and unions of these written
//! `A | B`. The document repeats an alternative when the SDK accepts two Python types for it
//! (`number | number` for `float | int`); that is harmless here.

use std::fmt;

/// One parsed type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ty {
    /// `null`.
    Null,
    /// `string`.
    String,
    /// `number` (integer or not).
    Number,
    /// `boolean`.
    Boolean,
    /// `object`: a date-time (an RFC 3339 string on the wire) or a free JSON object.
    Object,
    /// `Array<T>`.
    Array(Box<Ty>),
    /// `'value'`: one allowed string.
    Literal(String),
    /// A model or enum of the document.
    Named(String),
    /// `A | B | …`.
    Union(Vec<Ty>),
}

impl Ty {
    /// Parses the notation; anything unrecognised is a name, checked against the document
    /// when used.
    pub fn parse(text: &str) -> Ty {
        let alternatives = split_top_level(text);
        if alternatives.len() > 1 {
            return Ty::Union(alternatives.into_iter().map(Ty::one).collect());
        }
        Ty::one(text.trim())
    }

    fn one(text: &str) -> Ty {
        match text {
            "null" => Ty::Null,
            "string" => Ty::String,
            "number" => Ty::Number,
            "boolean" => Ty::Boolean,
            "object" => Ty::Object,
            _ => {
                if let Some(inner) = text
                    .strip_prefix("Array<")
                    .and_then(|t| t.strip_suffix('>'))
                {
                    Ty::Array(Box::new(Ty::parse(inner)))
                } else if let Some(lit) = text.strip_prefix('\'').and_then(|t| t.strip_suffix('\''))
                {
                    Ty::Literal(lit.to_owned())
                } else {
                    Ty::Named(text.to_owned())
                }
            }
        }
    }

    /// The alternatives of a union, or the type itself.
    pub fn alternatives(&self) -> Vec<&Ty> {
        match self {
            Ty::Union(alts) => alts.iter().collect(),
            other => vec![other],
        }
    }

    /// The alternatives other than `null`.
    pub fn non_null(&self) -> Vec<&Ty> {
        self.alternatives()
            .into_iter()
            .filter(|t| **t != Ty::Null)
            .collect()
    }

    /// Whether `null` is one of the alternatives.
    pub fn allows_null(&self) -> bool {
        self.alternatives().contains(&&Ty::Null)
    }

    /// The literals, when every non-null alternative is one (`'a' | 'b' | null`).
    pub fn literals(&self) -> Option<Vec<&str>> {
        let alts = self.non_null();
        let lits: Vec<&str> = alts
            .iter()
            .filter_map(|t| match t {
                Ty::Literal(s) => Some(s.as_str()),
                _ => None,
            })
            .collect();
        (!lits.is_empty() && lits.len() == alts.len()).then_some(lits)
    }
}

impl fmt::Display for Ty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Ty::Null => f.write_str("null"),
            Ty::String => f.write_str("string"),
            Ty::Number => f.write_str("number"),
            Ty::Boolean => f.write_str("boolean"),
            Ty::Object => f.write_str("object"),
            Ty::Array(inner) => write!(f, "Array<{inner}>"),
            Ty::Literal(s) => write!(f, "'{s}'"),
            Ty::Named(n) => f.write_str(n),
            Ty::Union(alts) => {
                let parts: Vec<String> = alts.iter().map(ToString::to_string).collect();
                f.write_str(&parts.join(" | "))
            }
        }
    }
}

/// Splits on `|` outside `<…>` and outside quotes.
fn split_top_level(text: &str) -> Vec<&str> {
    let (mut depth, mut quoted, mut start) = (0usize, false, 0usize);
    let mut parts = Vec::new();
    for (i, c) in text.char_indices() {
        match c {
            '\'' => quoted = !quoted,
            '<' if !quoted => depth += 1,
            '>' if !quoted => depth = depth.saturating_sub(1),
            '|' if !quoted && depth == 0 => {
                parts.push(text[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(text[start..].trim());
    parts
}
