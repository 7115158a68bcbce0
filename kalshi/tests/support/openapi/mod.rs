//! Kalshi's published schema as a test oracle. [`OpenApi::load`] reads the facts of Kalshi's
//! OpenAPI document as its official Python SDK states them — every model with its fields,
//! every enum, every endpoint — from `kalshi/tests/fixtures/kalshi-openapi.json`, or from the
//! file named by the `KALSHI_OPENAPI` environment variable so a newer SDK's facts can be
//! dropped in. Included by the `kalshi` and `kalshi-sim` conformance tests with
//! `#[path = "…/support/openapi/mod.rs"]`.
//!
//! # Layout
//! - this file: the document ([`OpenApi`], [`Field`], [`EndpointDoc`]) and its loading.
//! - `ty`: the type notation ([`Ty`]).
//! - `validate`: [`OpenApi::validate`] — a JSON value against a model, naming the path of
//!   every problem.
//! - `sample`: [`OpenApi::sample`] — a JSON value for a model, with type-appropriate values,
//!   and the mutations of the tolerance checks.

#![allow(dead_code, unused_imports)]

mod sample;
mod ty;
mod validate;

use std::{
    collections::BTreeMap,
    path::{Path, PathBuf},
};

use serde_json::Value;

pub use sample::{EXTRA_FIELD, EnumSite, Fields, SAMPLE_TIME, UNSEEN};
pub use ty::Ty;

/// The environment variable naming another schema file.
pub const ENV_VAR: &str = "KALSHI_OPENAPI";

/// One field of a model.
#[derive(Debug, Clone)]
pub struct Field {
    /// Its type.
    pub ty: Ty,
    /// Whether it must be present.
    pub required: bool,
    /// Whether it may be `null`.
    pub nullable: bool,
}

/// One endpoint: method, path relative to `/trade-api/v2`, parameters, body and answer.
#[derive(Debug, Clone)]
pub struct EndpointDoc {
    /// `GET`, `POST`, …
    pub method: String,
    /// The path template, e.g. `/markets/{ticker}`.
    pub path: String,
    /// The SDK's operation name.
    pub operation: String,
    /// Path parameter names.
    pub path_params: Vec<String>,
    /// Query parameter names.
    pub query_params: Vec<String>,
    /// The request body's model.
    pub request: Option<String>,
    /// The response's model (`None` for an empty answer; `object` for a free one).
    pub response: Option<String>,
}

/// The whole document.
#[derive(Debug, Clone)]
pub struct OpenApi {
    /// Where it was read from.
    pub source: PathBuf,
    /// Models by name, fields by name.
    pub models: BTreeMap<String, BTreeMap<String, Field>>,
    /// Enums by name.
    pub enums: BTreeMap<String, Vec<String>>,
    /// Every endpoint.
    pub endpoints: Vec<EndpointDoc>,
}

/// The vendored document, next to this module's crate (`kalshi/tests/fixtures`). Both the
/// `kalshi` and the `kalshi-sim` manifests sit one level below the workspace root.
fn default_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../kalshi/tests/fixtures/kalshi-openapi.json")
}

impl OpenApi {
    /// Reads the document named by `KALSHI_OPENAPI`, else the vendored one. Panics with the
    /// path on any failure: a test cannot go on without it.
    pub fn load() -> OpenApi {
        let path = std::env::var_os(ENV_VAR).map_or_else(default_path, PathBuf::from);
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let doc: Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        OpenApi::from_value(path, &doc)
    }

    fn from_value(source: PathBuf, doc: &Value) -> OpenApi {
        let models = doc["models"]
            .as_object()
            .expect("`models` is an object")
            .iter()
            .map(|(name, m)| (name.clone(), fields_of(&m["fields"])))
            .collect();
        let enums = doc["enums"]
            .as_object()
            .expect("`enums` is an object")
            .iter()
            .map(|(name, values)| (name.clone(), strings(values)))
            .collect();
        let endpoints = doc["endpoints"]
            .as_array()
            .expect("`endpoints` is an array")
            .iter()
            .map(endpoint_of)
            .collect();
        OpenApi {
            source,
            models,
            enums,
            endpoints,
        }
    }

    /// A model's fields; panics naming the model when the document has none of that name.
    pub fn model(&self, name: &str) -> &BTreeMap<String, Field> {
        self.models
            .get(name)
            .unwrap_or_else(|| panic!("{} has no model {name}", self.source.display()))
    }

    /// The endpoint with this method and path template (parameter names ignored).
    pub fn endpoint(&self, method: &str, path: &str) -> Option<&EndpointDoc> {
        let shape = template_shape(path);
        self.endpoints
            .iter()
            .find(|e| e.method.eq_ignore_ascii_case(method) && template_shape(&e.path) == shape)
    }
}

/// A path template with every `{name}` replaced by `{}`, so templates compare by shape.
pub fn template_shape(path: &str) -> String {
    path.split('/')
        .map(|seg| if seg.starts_with('{') { "{}" } else { seg })
        .collect::<Vec<_>>()
        .join("/")
}

fn fields_of(fields: &Value) -> BTreeMap<String, Field> {
    fields
        .as_object()
        .expect("a model's `fields` is an object")
        .iter()
        .map(|(name, f)| {
            let field = Field {
                ty: Ty::parse(f["type"].as_str().expect("a field's `type` is a string")),
                required: f["required"].as_bool().unwrap_or(false),
                nullable: f["nullable"].as_bool().unwrap_or(false),
            };
            (name.clone(), field)
        })
        .collect()
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// An endpoint entry. The SDK writes an empty answer as the string `"None"`; that is read as
/// no model.
fn endpoint_of(e: &Value) -> EndpointDoc {
    let text = |k: &str| e[k].as_str().filter(|s| *s != "None").map(str::to_owned);
    let params = |kind: &str| -> Vec<String> {
        e["params"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|p| p["in"] == kind)
            .filter_map(|p| p["name"].as_str().map(str::to_owned))
            .collect()
    };
    EndpointDoc {
        method: text("method").unwrap_or_default(),
        path: text("path").unwrap_or_default(),
        operation: text("operation").unwrap_or_default(),
        path_params: params("path"),
        query_params: params("query"),
        request: text("request"),
        response: text("response"),
    }
}
