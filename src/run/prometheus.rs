//! Renders actors' metrics snapshots (any `Serialize` struct) as Prometheus text: every
//! numeric or boolean leaf becomes a gauge named `tradewind_<actor>_<path>`, and the keys of
//! maps become a `key` label (`tradewind_gateway_by_endpoint{key="GET /markets 200"} 5`).
//! Strings and nulls are skipped.

use std::fmt::Write;

use serde_json::Value;

/// Appends `actor`'s metrics to `out`.
pub fn render(out: &mut String, actor: &str, metrics: &Value) {
    walk(
        out,
        &format!("tradewind_{}", sanitize(actor)),
        None,
        metrics,
    );
}

/// Metrics fields that are maps keyed by data (endpoint, lane, message type, reason, state).
const KEYED_MAPS: [&str; 12] = [
    "_by_endpoint",
    "_queue_depth",
    "_messages",
    "_refused",
    "_orders_by_state",
    "_differences",
    "orders_fills",
    "supervision_restarts",
    "supervision_up",
    "supervision_ready",
    "supervision_silent_ms",
    "strategy_idle",
];

fn walk(out: &mut String, name: &str, label: Option<&str>, value: &Value) {
    match value {
        Value::Number(n) => {
            if let Some(v) = n.as_f64() {
                line(out, name, label, v);
            }
        }
        Value::Bool(b) => line(out, name, label, if *b { 1.0 } else { 0.0 }),
        Value::Object(map) => {
            // A map whose keys are data (not field names) carries them as a label. The known
            // keyed maps always do, so a series never changes name when a new key appears.
            let data_keys = KEYED_MAPS.iter().any(|m| name.ends_with(m))
                || map.keys().any(|k| {
                    !k.chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
                });
            for (k, v) in map {
                if data_keys && label.is_none() {
                    walk(out, name, Some(k), v);
                } else {
                    walk(out, &format!("{name}_{}", sanitize(k)), label, v);
                }
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                walk(out, &format!("{name}_{i}"), label, v);
            }
        }
        // Fixed-point amounts (P&L, exposure, positions) are decimal strings: exact in the
        // snapshot, a gauge here.
        Value::String(s) => {
            if let Some(v) = decimal(s) {
                line(out, name, label, v);
            }
        }
        Value::Null => {}
    }
}

/// A decimal string (`"-12.5000"`, `"3.00"`) as a number; anything else is not a gauge.
fn decimal(s: &str) -> Option<f64> {
    let digits = s.strip_prefix('-').unwrap_or(s);
    let (int, frac) = digits.split_once('.')?;
    let all_digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    (all_digits(int) && all_digits(frac)).then(|| s.parse().ok())?
}

fn line(out: &mut String, name: &str, label: Option<&str>, v: f64) {
    match label {
        Some(k) => {
            let k = k
                .replace('\\', "\\\\")
                .replace('"', "\\\"")
                .replace('\n', "\\n");
            let _ = writeln!(out, "{name}{{key=\"{k}\"}} {v}");
        }
        None => {
            let _ = writeln!(out, "{name} {v}");
        }
    }
}

fn sanitize(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flattens_fields_maps_and_booleans() {
        let m = serde_json::json!({
            "rate_limited": 3,
            "read_cooling": true,
            "by_endpoint": {"GET /markets 200": 5, "POST /portfolio/events/orders 201": 2},
            "queue_depth": {"cancel": 0, "metadata": 7},
            "latency": {"p50_ms": 1.5, "p99_ms": 4.0},
            "note": "skipped",
            "realized_pnl": "-12.2500",
            "version": "1.2.3",
        });
        let mut out = String::new();
        render(&mut out, "gateway", &m);
        let lines: Vec<&str> = out.lines().collect();
        for want in [
            "tradewind_gateway_rate_limited 3",
            "tradewind_gateway_read_cooling 1",
            "tradewind_gateway_by_endpoint{key=\"GET /markets 200\"} 5",
            "tradewind_gateway_queue_depth{key=\"metadata\"} 7",
            "tradewind_gateway_latency_p99_ms 4",
            "tradewind_gateway_realized_pnl -12.25",
        ] {
            assert!(lines.contains(&want), "missing {want:?} in\n{out}");
        }
        assert!(!out.contains("skipped"));
        assert!(!out.contains("version"), "not a decimal: {out}");
        // A keyed map is labelled even when its keys look like field names.
        let mut refused = String::new();
        render(
            &mut refused,
            "strategy",
            &serde_json::json!({"refused": {"blackout": 2}}),
        );
        assert_eq!(refused, "tradewind_strategy_refused{key=\"blackout\"} 2\n");
        // Every line is `name[{labels}] value`, as the text format wants.
        for l in lines {
            let (name, value) = l.rsplit_once(' ').unwrap();
            assert!(value.parse::<f64>().is_ok(), "{l}");
            assert!(name.starts_with("tradewind_"), "{l}");
        }
    }
}
