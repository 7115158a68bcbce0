//! `examples/custom_strategy.rs`, as CI runs it: the example's own strategy and engine
//! builder (the file is compiled in here), against the embedded simulator of the built-in
//! config, for a few seconds. It must place orders that fill, by the engine's count and by the
//! exchange's, with no 429 and no duplicate client order id. Scheduled blackouts are turned
//! off so the run does not depend on the time of day; the journal goes to a temp dir.

#[path = "../examples/custom_strategy.rs"]
#[allow(dead_code)]
mod custom_strategy;

use std::time::Duration;

/// Long enough to start (metadata, reconciliation) and trade; the example fills within a
/// second or two of the books arriving.
const RUN_FOR: Duration = Duration::from_secs(8);

#[test]
fn the_custom_strategy_example_trades_the_embedded_simulator() {
    let dir = std::env::temp_dir().join(format!("tw-custom-strategy-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut engine = custom_strategy::engine(RUN_FOR)
        .unwrap_or_else(|e| panic!("{e}"))
        .install_logging(false);
    let cfg = engine.config_mut();
    cfg.orders.journal_path = dir.join("journal.sqlite").display().to_string();
    cfg.blackout.recurring.clear();
    cfg.blackout.weekly_maintenance = false;
    cfg.metrics.status_interval_s = 0;

    let summary = engine
        .run()
        .unwrap_or_else(|e| panic!("the run failed: {e}"));
    println!("{summary}");
    let exchange = summary
        .exchange
        .clone()
        .expect("the embedded simulator's counts");
    assert!(summary.orders_placed() > 0, "no order placed:\n{summary}");
    assert!(summary.fills() > 0, "no fill:\n{summary}");
    assert!(
        exchange.fills > 0,
        "the exchange booked no fill:\n{summary}"
    );
    assert_eq!(exchange.duplicate_client_order_ids, 0, "{summary}");
    assert_eq!(summary.rate_limited(), 0, "{summary}");
    let _ = std::fs::remove_dir_all(&dir);
}
