//! [`OpenApi::validate`]: checks a JSON value against a model of the document, recursively,
//! and names the path of every problem, e.g.
//! `GetMarketsResponse.markets[3].settlement_bounds_type: required field missing`.
//!
//! What is checked: every required field is present; `null` only where the type allows it;
//! the JSON type fits the declared one; strings of `'a' | 'b'` types and of named enums are
//! among the allowed values; nested models and array items are checked the same way. Two
//! readings of the notation: an `object` holds a date-time (an RFC 3339 string; required
//! when the field's name says it is a time: `…_time`, `…_ts`, `…_date`, `…datetime`) or a
//! free JSON object; a string in a `…_dollars` or `…_fp` field must be a fixed-point decimal
//! (`"0.5600"`, `"-10.00"`). [`OpenApi::validate_strict`] also reports fields the model does
//! not declare.

use serde_json::Value;

use super::{OpenApi, Ty};

/// Whether a field's name marks an `object` as a date-time.
pub fn is_time_name(name: &str) -> bool {
    ["_time", "_ts", "_date", "datetime"]
        .iter()
        .any(|s| name.ends_with(s))
}

/// Whether a field's name marks its strings as fixed-point decimals.
pub fn is_fixed_point_name(name: &str) -> bool {
    name.ends_with("_dollars") || name.ends_with("_fp")
}

fn is_decimal(s: &str) -> bool {
    let digits = s.strip_prefix('-').unwrap_or(s);
    let (int, frac) = digits.split_once('.').unwrap_or((digits, "0"));
    !int.is_empty()
        && !frac.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
}

fn is_rfc3339(s: &str) -> bool {
    chrono::DateTime::parse_from_rfc3339(s).is_ok()
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// One walk over a value.
struct Walk<'d> {
    doc: &'d OpenApi,
    strict: bool,
    problems: Vec<String>,
}

impl OpenApi {
    /// Every problem of `value` as an instance of `model`; empty when it conforms.
    pub fn validate(&self, model: &str, value: &Value) -> Vec<String> {
        self.walk(model, value, false)
    }

    /// [`OpenApi::validate`], plus every field the model does not declare.
    pub fn validate_strict(&self, model: &str, value: &Value) -> Vec<String> {
        self.walk(model, value, true)
    }

    fn walk(&self, model: &str, value: &Value, strict: bool) -> Vec<String> {
        let mut w = Walk {
            doc: self,
            strict,
            problems: Vec::new(),
        };
        w.named(model, value, model);
        w.problems
    }
}

impl Walk<'_> {
    fn problem(&mut self, path: &str, what: impl AsRef<str>) {
        self.problems.push(format!("{path}: {}", what.as_ref()));
    }

    /// `value` at `path` against `ty`; `field` is the nearest field name (for the name rules).
    fn check(&mut self, ty: &Ty, value: &Value, path: &str, field: &str) {
        if value.is_null() {
            if !ty.allows_null() {
                self.problem(path, format!("null, but the type is {ty}"));
            }
            return;
        }
        let alts = ty.non_null();
        if let Some(lits) = ty.literals() {
            return self.literal(&lits, value, path);
        }
        if let [only] = alts.as_slice() {
            return self.one(only, value, path, field);
        }
        // A union of several non-null types: fine if any alternative takes the value.
        let fits = alts.iter().any(|alt| {
            let mut trial = Walk {
                doc: self.doc,
                strict: self.strict,
                problems: Vec::new(),
            };
            trial.one(alt, value, path, field);
            trial.problems.is_empty()
        });
        if !fits {
            self.problem(path, format!("{} does not fit {ty}", kind(value)));
        }
    }

    fn literal(&mut self, allowed: &[&str], value: &Value, path: &str) {
        match value.as_str() {
            Some(s) if allowed.contains(&s) => {}
            Some(s) => self.problem(path, format!("{s:?} is not one of {allowed:?}")),
            None => self.problem(
                path,
                format!("{}, expected one of {allowed:?}", kind(value)),
            ),
        }
    }

    fn one(&mut self, ty: &Ty, value: &Value, path: &str, field: &str) {
        match ty {
            Ty::Null => self.problem(path, format!("{}, expected null", kind(value))),
            Ty::String => self.string(value, path, field),
            Ty::Number if value.is_number() => {}
            Ty::Boolean if value.is_boolean() => {}
            Ty::Number | Ty::Boolean => {
                self.problem(path, format!("{}, expected {ty}", kind(value)));
            }
            Ty::Object => self.object(value, path, field),
            Ty::Array(inner) => match value.as_array() {
                Some(items) => {
                    for (i, item) in items.iter().enumerate() {
                        self.check(inner, item, &format!("{path}[{i}]"), field);
                    }
                }
                None => self.problem(path, format!("{}, expected {ty}", kind(value))),
            },
            Ty::Literal(s) => self.literal(&[s.as_str()], value, path),
            Ty::Named(name) => self.named(name, value, path),
            Ty::Union(_) => self.check(ty, value, path, field),
        }
    }

    fn string(&mut self, value: &Value, path: &str, field: &str) {
        match value.as_str() {
            Some(s) if is_fixed_point_name(field) && !is_decimal(s) => {
                self.problem(path, format!("{s:?} is not a fixed-point decimal"));
            }
            Some(_) => {}
            None => self.problem(path, format!("{}, expected string", kind(value))),
        }
    }

    fn object(&mut self, value: &Value, path: &str, field: &str) {
        match value {
            Value::String(s) if is_rfc3339(s) => {}
            Value::String(s) => self.problem(path, format!("{s:?} is not an RFC 3339 date-time")),
            Value::Object(_) if is_time_name(field) => {
                self.problem(path, "an object, expected an RFC 3339 date-time");
            }
            Value::Object(_) => {}
            other => self.problem(path, format!("{}, expected object", kind(other))),
        }
    }

    fn named(&mut self, name: &str, value: &Value, path: &str) {
        let doc = self.doc;
        if let Some(values) = doc.enums.get(name) {
            let allowed: Vec<&str> = values.iter().map(String::as_str).collect();
            return self.literal(&allowed, value, path);
        }
        let Some(fields) = doc.models.get(name) else {
            return self.problem(path, format!("type {name} is not in the document"));
        };
        let Some(object) = value.as_object() else {
            return self.problem(path, format!("{}, expected a {name}", kind(value)));
        };
        for (fname, f) in fields {
            let at = format!("{path}.{fname}");
            match object.get(fname) {
                None if f.required => self.problem(&at, "required field missing"),
                None => {}
                Some(v) => self.check(&f.ty, v, &at, fname),
            }
        }
        if self.strict {
            for key in object.keys().filter(|k| !fields.contains_key(*k)) {
                self.problem(&format!("{path}.{key}"), format!("not a field of {name}"));
            }
        }
    }
}
