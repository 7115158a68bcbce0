//! [`OpenApi::sample`]: a JSON value for a model of the document — its required fields only,
//! or all of them — with type-appropriate values; and [`OpenApi::sites`], the places in a
//! value where the tolerance checks add an unknown field (every model object) or put an
//! unseen enum value (every string of an enum type).
//!
//! Sample values: fixed-point dollar strings (`"0.5600"`) in `…_dollars` fields, count strings
//! (`"10.00"`) in `…_fp` fields, RFC 3339 (`"2026-02-11T15:00:00Z"`) for date-time `object`s,
//! the first allowed value of an enum, one item per array, `1` for numbers, `true` for
//! booleans. Strings whose format the notation does not state (tickers, ids, prices and
//! counts without a suffix, `"HH:MM"` session times) come from [`NAMED_STRINGS`]; an
//! `Array<Array<string>>` is the document's order-book level list, `[["0.5600","10.00"]]`.

use serde_json::{Map, Value, json};

use super::{OpenApi, Ty, validate::is_time_name};

/// Which fields a sample holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fields {
    /// Only the required ones.
    Required,
    /// Every field of the model.
    All,
    /// Every field, `null` wherever the model allows it.
    Nulls,
}

/// The date-time every sample uses.
pub const SAMPLE_TIME: &str = "2026-02-11T15:00:00Z";
/// The key the tolerance check adds to every model object.
pub const EXTRA_FIELD: &str = "zz_unknown_field";
/// The value the tolerance check puts in place of an enum value.
pub const UNSEEN: &str = "zz_unseen_value";

/// String fields whose format the notation does not state, by name.
pub const NAMED_STRINGS: &[(&str, &str)] = &[
    ("ticker", "KXHIGHNY-26FEB11-B94.5"),
    ("market_ticker", "KXHIGHNY-26FEB11-B94.5"),
    ("event_ticker", "KXHIGHNY-26FEB11"),
    ("series_ticker", "KXHIGHNY"),
    ("order_id", "ee587a1c-8b87-4dcf-b721-9f6f790619fa"),
    ("fill_id", "9b0f6b43-0000-4000-8000-000000000002"),
    ("trade_id", "9b0f6b43-0000-4000-8000-000000000002"),
    ("client_order_id", "tw-1"),
    ("updated_client_order_id", "tw-2"),
    ("price", "0.5600"),
    ("average_fill_price", "0.5600"),
    ("average_fee_paid", "0.0173"),
    ("fee_cost", "0.0173"),
    ("balance", "1000.0000"),
    ("count", "10.00"),
    ("fill_count", "10.00"),
    ("remaining_count", "10.00"),
    ("reduced_by", "10.00"),
    ("reduce_by", "2.00"),
    ("reduce_to", "8.00"),
    ("start", "0.0000"),
    ("end", "1.0000"),
    ("step", "0.0100"),
    ("open_time", "08:00"),
    ("close_time", "17:00"),
    ("price_level_structure", "linear_cent"),
    ("method", "GET"),
    ("path", "/markets"),
    // Event candlesticks and order groups: lists of tickers and order ids.
    ("market_tickers", "KXHIGHNY-26FEB11-B94.5"),
    ("orders", "ee587a1c-8b87-4dcf-b721-9f6f790619fa"),
    // Archived candlesticks: prices and counts without the `_dollars`/`_fp` suffix.
    ("open", "0.5500"),
    ("high", "0.5700"),
    ("low", "0.5400"),
    ("close", "0.5600"),
    ("mean", "0.5583"),
    ("previous", "0.5400"),
    ("volume", "25.00"),
    ("open_interest", "1200.00"),
];

/// Where a tolerance check changes a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Site {
    /// A model object (JSON pointer, readable path).
    Object(String, String),
    /// A string of an enum type.
    Enum(EnumSite),
}

/// A string of an enum type in a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumSite {
    /// JSON pointer.
    pub pointer: String,
    /// Readable path, e.g. `GetFillsResponse.fills[0].book_side`.
    pub path: String,
    /// The model and field holding it, e.g. `Fill.book_side`.
    pub field: String,
}

/// Deeper than this, a sample stops nesting (no model of the document nests this far).
const MAX_DEPTH: usize = 12;

fn string_for(field: &str) -> Value {
    if let Some((_, s)) = NAMED_STRINGS.iter().find(|(name, _)| *name == field) {
        return json!(s);
    }
    if field.ends_with("_dollars") {
        json!("0.5600")
    } else if field.ends_with("_fp") {
        json!("10.00")
    } else {
        json!(format!("sample {field}"))
    }
}

impl OpenApi {
    /// A value of `model` holding `fields`.
    pub fn sample(&self, model: &str, fields: Fields) -> Value {
        self.sample_named(model, "", fields, 0)
    }

    fn sample_named(&self, name: &str, field: &str, fields: Fields, depth: usize) -> Value {
        if let Some(values) = self.enums.get(name) {
            return json!(values.first().cloned().unwrap_or_default());
        }
        if depth > MAX_DEPTH {
            return json!({});
        }
        let Some(model) = self.models.get(name) else {
            return json!(format!("sample {field}"));
        };
        let object: Map<String, Value> = model
            .iter()
            .filter(|(_, f)| fields != Fields::Required || f.required)
            .map(|(fname, f)| {
                let value = if fields == Fields::Nulls && f.ty.allows_null() {
                    Value::Null
                } else {
                    self.sample_ty(&f.ty, fname, fields, depth + 1)
                };
                (fname.clone(), value)
            })
            .collect();
        Value::Object(object)
    }

    fn sample_ty(&self, ty: &Ty, field: &str, fields: Fields, depth: usize) -> Value {
        let Some(first) = ty.non_null().first().copied() else {
            return Value::Null;
        };
        match first {
            Ty::Null => Value::Null,
            Ty::String => string_for(field),
            Ty::Number => json!(1),
            Ty::Boolean => json!(true),
            Ty::Object if is_time_name(field) => json!(SAMPLE_TIME),
            Ty::Object => json!({}),
            Ty::Array(inner) if **inner == Ty::Array(Box::new(Ty::String)) => {
                json!([["0.5600", "10.00"]])
            }
            Ty::Array(inner) => json!([self.sample_ty(inner, field, fields, depth)]),
            Ty::Literal(s) => json!(s),
            Ty::Named(name) => self.sample_named(name, field, fields, depth),
            Ty::Union(_) => self.sample_ty(first, field, fields, depth),
        }
    }

    /// Every model object and every enum-typed string in `value`, an instance of `model`.
    pub fn sites(&self, model: &str, value: &Value) -> Vec<Site> {
        let mut out = Vec::new();
        let at = At {
            ptr: String::new(),
            path: model.to_owned(),
            field: model.to_owned(),
        };
        self.sites_of(&Ty::Named(model.to_owned()), value, &at, &mut out);
        out
    }

    fn sites_of(&self, ty: &Ty, value: &Value, at: &At, out: &mut Vec<Site>) {
        if value.is_null() {
            return;
        }
        let alts = ty.non_null();
        let is_enum = match alts.as_slice() {
            [Ty::Named(name)] => self.enums.contains_key(name),
            _ => ty.literals().is_some(),
        };
        if is_enum && value.is_string() {
            return out.push(Site::Enum(at.enum_site()));
        }
        match alts.as_slice() {
            [Ty::Array(inner)] => {
                for (i, item) in value.as_array().into_iter().flatten().enumerate() {
                    self.sites_of(inner, item, &at.item(i), out);
                }
            }
            [Ty::Named(name)] => {
                let (Some(model), Some(object)) = (self.models.get(name), value.as_object()) else {
                    return;
                };
                out.push(Site::Object(at.ptr.clone(), at.path.clone()));
                for (fname, v) in object {
                    if let Some(f) = model.get(fname) {
                        self.sites_of(&f.ty, v, &at.member(name, fname), out);
                    }
                }
            }
            _ => {}
        }
    }

    /// `value` with [`EXTRA_FIELD`] added to every model object in it.
    pub fn with_unknown_fields(&self, model: &str, value: &Value) -> Value {
        let mut out = value.clone();
        for site in self.sites(model, value) {
            if let Site::Object(ptr, _) = site
                && let Some(obj) = out.pointer_mut(&ptr).and_then(Value::as_object_mut)
            {
                obj.insert(EXTRA_FIELD.to_owned(), json!({"nested": [1, "two", null]}));
            }
        }
        out
    }

    /// The enum-typed strings of `value`, each to be replaced by [`UNSEEN`].
    pub fn enum_sites(&self, model: &str, value: &Value) -> Vec<EnumSite> {
        self.sites(model, value)
            .into_iter()
            .filter_map(|s| match s {
                Site::Enum(e) => Some(e),
                Site::Object(..) => None,
            })
            .collect()
    }
}

/// Where the walk of [`OpenApi::sites`] is: pointer, readable path, and `Model.field`.
struct At {
    ptr: String,
    path: String,
    field: String,
}

impl At {
    fn item(&self, i: usize) -> At {
        At {
            ptr: format!("{}/{i}", self.ptr),
            path: format!("{}[{i}]", self.path),
            field: self.field.clone(),
        }
    }

    fn member(&self, model: &str, field: &str) -> At {
        At {
            ptr: format!("{}/{field}", self.ptr),
            path: format!("{}.{field}", self.path),
            field: format!("{model}.{field}"),
        }
    }

    fn enum_site(&self) -> EnumSite {
        EnumSite {
            pointer: self.ptr.clone(),
            path: self.path.clone(),
            field: self.field.clone(),
        }
    }
}
