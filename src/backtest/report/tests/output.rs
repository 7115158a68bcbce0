//! JSON, HTML, escaping, determinism, files, and a run with no events.

use super::*;

#[test]
fn the_same_events_give_byte_identical_json_and_html() {
    let a = run(0, 200_000_000_000, busy_events());
    let b = run(0, 200_000_000_000, busy_events());
    assert_eq!(a.to_json(), b.to_json());
    assert_eq!(a.to_html(), b.to_html());
}

#[test]
fn html_escapes_every_string() {
    assert_eq!(escape(r#"<&"'>"#), "&lt;&amp;&quot;&#39;&gt;");
    // A ticker cannot hold them (Ticker refuses), but the run's names can.
    assert!(Ticker::new("A<&\"").is_err());
    let mut m = meta(0, 10);
    m.strategy = "<script>alert(\"x\")</script>".into();
    m.data = "a&b".into();
    let html = ReportBuilder::new(m).finish().to_html();
    assert!(!html.contains("<script>"));
    assert!(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"));
    assert!(html.contains("a&amp;b"));
    // Offline: the only URL is the SVG namespace, which is a name, not a fetch.
    let urls = html.matches("://").count();
    assert_eq!(urls, html.matches("http://www.w3.org/2000/svg").count());
    assert!(!html.contains("<script") && !html.contains("<link"));
}

#[test]
fn json_prints_money_as_exact_decimal_strings() {
    let r = run(0, 10, [buy(1, "A", "0.4125", 3, "0.0123")]);
    let json = r.to_json();
    assert!(json.contains("\"fees\": \"0.0123\""), "{json}");
    assert!(json.starts_with("{\n  \"format\": \"tradewind-backtest-report/1\""));
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["open"][0]["position"], "3.00");
}

#[test]
fn write_puts_both_files_in_the_directory() {
    let dir = std::env::temp_dir().join(format!("tradewind-report-{}", std::process::id()));
    let r = run(0, 10, [buy(1, "A", "0.40", 1, "0")]);
    r.write(&dir).unwrap();
    assert_eq!(
        std::fs::read_to_string(dir.join("report.json")).unwrap(),
        r.to_json()
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("report.html")).unwrap(),
        r.to_html()
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn an_empty_run_reports_zero_without_panicking() {
    let r = ReportBuilder::new(RunMeta::default()).finish();
    assert_eq!(r.summary.total, Money::ZERO);
    assert_eq!(r.round_trips.hit_rate, None);
    assert!(r.markets.is_empty() && r.open.is_empty());
    assert!(r.to_json().contains("\"hit_rate\": null"));
    assert!(r.to_html().contains("</html>"));
}
