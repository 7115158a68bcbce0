//! The `kalshi` crate's REST types against Kalshi's published schema
//! (`tests/fixtures/kalshi-openapi.json`, or the file in `KALSHI_OPENAPI`), through the
//! oracle in `tests/support/openapi`:
//!
//! - (a) every field a request sends — a fully populated value, every `Option` set — is a
//!   field of its model with a fitting JSON type, and every request the model allows decodes
//!   into the crate's type (the simulator decodes requests with it);
//! - (b) every response decodes from the model's sample with required fields only, with all
//!   fields, and with every nullable field `null`; what the crate encodes back still fits the
//!   model, with no field the model lacks (the simulator encodes responses with it);
//! - (c) an unknown field in every object, and an unseen value in each enum field in turn,
//!   still decode — except the fields in [`CLOSED_ON_PURPOSE`], which must refuse;
//! - every `Endpoint` is published with that method and path, request and response model,
//!   and every query parameter the crate renders is documented for it, and every documented
//!   one is accepted.
//!
//! The mapping crate type ↔ model is `support/model_table.rs` ([`RESPONSES`], [`REQUESTS`],
//! [`ENDPOINTS`]); the query parameters are `support/query_table.rs`.

#[path = "support/model_table.rs"]
mod model_table;
#[path = "support/openapi/mod.rs"]
mod openapi;
#[path = "support/query_table.rs"]
mod query_table;

use kalshi::rest::Endpoint;
use model_table::{CLOSED_ON_PURPOSE, ENDPOINTS, REQUESTS, RESPONSES};
use openapi::{Fields, OpenApi, UNSEEN, template_shape};
use query_table::{documented_query, query_rows};
use serde_json::{Value, json};

fn doc() -> OpenApi {
    OpenApi::load()
}

/// Fails with every problem, one per line.
fn assert_none(what: &str, problems: &[String]) {
    assert!(
        problems.is_empty(),
        "{what}: {} problem(s)\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn the_oracle_names_every_kind_of_problem_by_path() {
    let doc = doc();
    let mut page = doc.sample("GetMarketsResponse", Fields::All);
    assert_none(
        "a sample",
        &doc.validate_strict("GetMarketsResponse", &page),
    );
    let market = &mut page["markets"][0];
    market
        .as_object_mut()
        .unwrap()
        .remove("settlement_bounds_type");
    market["status"] = json!("frozen");
    market["can_close_early"] = Value::Null;
    market["volume_fp"] = json!(12);
    market["yes_bid_dollars"] = json!("56c");
    market["close_time"] = json!("tomorrow");
    market["price_ranges"][0]["step"] = json!(["0.01"]);
    market["zz"] = json!(1);
    let problems = doc.validate_strict("GetMarketsResponse", &page);
    let at = |field: &str| format!("GetMarketsResponse.markets[0].{field}: ");
    for field in [
        "settlement_bounds_type: required field missing",
        "status: \"frozen\" is not one of",
        "can_close_early: null, but the type is boolean",
        "volume_fp: a number, expected string",
        "yes_bid_dollars: \"56c\" is not a fixed-point decimal",
        "close_time: \"tomorrow\" is not an RFC 3339 date-time",
        "price_ranges[0].step: an array, expected string",
        "zz: not a field of Market",
    ] {
        let (name, what) = field.split_once(": ").unwrap();
        let want = format!("{}{what}", at(name));
        assert!(
            problems.iter().any(|p| p.starts_with(&want)),
            "no {want:?} in {problems:#?}"
        );
    }
    assert_eq!(problems.len(), 8, "{problems:#?}");
    assert!(
        doc.validate("GetMarketsResponse", &page).len() == 7,
        "non-strict skips zz"
    );
}

#[test]
fn every_request_field_the_crate_sends_is_published() {
    let doc = doc();
    for row in REQUESTS {
        let sent = (row.full)();
        assert_none(
            &format!("{} as {}", row.crate_type, row.model),
            &doc.validate_strict(row.model, &sent),
        );
        for fields in [Fields::Required, Fields::All] {
            let sample = doc.sample(row.model, fields);
            if let Err(e) = (row.decode)(&sample) {
                panic!(
                    "{} refuses a {fields:?} {} sample: {e}\n{sample:#}",
                    row.crate_type, row.model
                );
            }
        }
    }
}

#[test]
fn every_response_decodes_from_the_published_samples_and_encodes_back_to_them() {
    let doc = doc();
    let mut problems = Vec::new();
    for row in RESPONSES {
        for fields in [Fields::Required, Fields::All, Fields::Nulls] {
            let sample = doc.sample(row.model, fields);
            match (row.decode)(&sample) {
                Err(e) => problems.push(format!(
                    "{} refuses a {fields:?} {} sample: {e}",
                    row.crate_type, row.model
                )),
                Ok(encoded) => problems.extend(
                    doc.validate_strict(row.model, &encoded)
                        .into_iter()
                        .map(|p| format!("{} re-encoded ({fields:?}): {p}", row.crate_type)),
                ),
            }
        }
    }
    assert_none("responses", &problems);
}

#[test]
fn unknown_fields_and_unseen_enum_values_are_tolerated() {
    let doc = doc();
    let mut refused = Vec::new();
    let mut closed_seen = Vec::new();
    for row in RESPONSES {
        let sample = doc.sample(row.model, Fields::All);
        let extra = doc.with_unknown_fields(row.model, &sample);
        if let Err(e) = (row.decode)(&extra) {
            refused.push(format!("{}: unknown fields: {e}", row.crate_type));
        }
        for site in doc.enum_sites(row.model, &sample) {
            let mut value = sample.clone();
            *value.pointer_mut(&site.pointer).unwrap() = json!(UNSEEN);
            let closed = CLOSED_ON_PURPOSE.contains(&site.field.as_str());
            match ((row.decode)(&value), closed) {
                (Ok(_), false) | (Err(_), true) => {}
                (Err(e), false) => refused.push(format!("{}: {e}", site.path)),
                (Ok(_), true) => {
                    refused.push(format!("{}: closed on purpose but decodes", site.path))
                }
            }
            if closed {
                closed_seen.push(site.field.clone());
            }
        }
    }
    assert_none("tolerance", &refused);
    for field in CLOSED_ON_PURPOSE {
        assert!(
            closed_seen.iter().any(|f| f == field),
            "{field} never checked"
        );
    }
}

#[test]
fn every_endpoint_is_published_with_its_models() {
    let doc = doc();
    let mut problems = Vec::new();
    for &e in Endpoint::ALL {
        let Some(row) = ENDPOINTS.iter().find(|r| r.endpoint == e) else {
            problems.push(format!("{e:?} has no row in ENDPOINTS"));
            continue;
        };
        let Some(published) = doc.endpoint(e.method().as_str(), e.template()) else {
            problems.push(format!(
                "{e:?}: {} {} is not published",
                e.method(),
                e.template()
            ));
            continue;
        };
        if published.response.as_deref() != row.response
            || published.request.as_deref() != row.request
        {
            problems.push(format!(
                "{e:?}: published {:?} → {:?}, mapped {:?} → {:?}",
                published.request, published.response, row.request, row.response
            ));
        }
        if template_shape(&published.path) != template_shape(e.template())
            || published.path_params.len() != e.path_params().len()
        {
            problems.push(format!(
                "{e:?}: path {} vs {}",
                published.path,
                e.template()
            ));
        }
    }
    assert_none("endpoints", &problems);
}

#[test]
fn query_parameters_are_the_published_ones_both_ways() {
    let doc = doc();
    let mut problems = Vec::new();
    for row in query_rows() {
        let e = row.endpoint;
        let published = doc
            .endpoint(e.method().as_str(), e.template())
            .unwrap_or_else(|| panic!("{e:?} is not published"));
        let rendered = (row.full)();
        for (key, _) in form_urlencoded::parse(rendered.as_bytes()) {
            if !published.query_params.iter().any(|p| *p == key) {
                problems.push(format!("{e:?}: the crate sends undocumented `{key}`"));
            }
        }
        let documented = documented_query(&published.query_params);
        if let Err(err) = (row.parse)(&documented) {
            problems.push(format!(
                "{e:?}: refuses the documented `{documented}`: {err}"
            ));
        }
    }
    assert_none("query parameters", &problems);
}
