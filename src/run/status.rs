//! The status line printed every few seconds, and the summary table printed at exit — pure
//! functions of the engine's metrics.

use std::fmt::Write;

use tradewind_actors::root::EngineMetrics;

/// One line: feed state and message rate, books fresh/stale, the strategy's state (`trading`
/// or `idle: <why>`), gateway tokens and queues, blackout, open orders, position, P&L.
pub fn status_line(m: &EngineMetrics, msgs_per_s: f64) -> String {
    let mut s = String::new();
    match &m.feed {
        Some(f) => {
            let _ = write!(
                s,
                "feed {} {:.0} msg/s | books {}/{} fresh",
                if f.connected { "up" } else { "DOWN" },
                msgs_per_s,
                f.books.saturating_sub(f.books_stale),
                f.books
            );
        }
        None => s.push_str("feed ? | books ?"),
    }
    match &m.strategy {
        Some(st) => {
            let _ = write!(s, " | strategy {}", st.state.state);
        }
        None => s.push_str(" | strategy ?"),
    }
    if let Some(g) = &m.gateway {
        let queued: usize = g.queue_depth.values().sum();
        let _ = write!(
            s,
            " | gateway r{}/w{} tokens, {} queued, {} in flight, 429s {}{}",
            g.read_tokens,
            g.write_tokens,
            queued,
            g.in_flight,
            g.counters.rate_limited,
            if g.read_cooling || g.write_cooling {
                " COOLING"
            } else {
                ""
            }
        );
    }
    if let Some(b) = &m.blackout {
        let active = b.state.as_ref().is_some_and(|s| s.active);
        let _ = write!(s, " | blackout {}", if active { "ON" } else { "off" });
    }
    if let Some(o) = &m.orders {
        let open: usize = o
            .orders_by_state
            .iter()
            .filter(|(k, _)| {
                matches!(
                    **k,
                    "pending_new" | "resting" | "pending_cancel" | "unknown"
                )
            })
            .map(|(_, v)| v)
            .sum();
        let contracts: i64 = o
            .positions
            .iter()
            .map(|p| p.position.centis().abs() / 100)
            .sum();
        let _ = write!(
            s,
            " | open orders {open} | position {contracts} contracts | P&L {} realised, {} unrealised",
            o.realized_pnl, o.unrealized_pnl
        );
    }
    s
}

/// What the exchange itself says, when it is the embedded simulator.
#[derive(Debug, Clone, Default)]
pub struct Truth {
    /// Orders the simulator holds for the account.
    pub orders: usize,
    /// Fills the simulator booked for the account.
    pub fills: usize,
    /// 429s the simulator sent.
    pub sent_429: u64,
    /// Duplicate client order ids the simulator saw.
    pub duplicate_client_order_ids: u64,
}

/// The table printed at exit.
pub fn summary(m: &EngineMetrics, blackout_minutes: f64, truth: Option<&Truth>) -> String {
    let mut rows: Vec<(&str, String)> = Vec::new();
    if let Some(o) = &m.orders {
        let placed: usize = o.orders_by_state.values().sum();
        rows.push(("orders placed", placed.to_string()));
        for (state, n) in o.orders_by_state.iter().filter(|(_, n)| **n > 0) {
            rows.push(("  by state", format!("{state}: {n}")));
        }
        let fills: u64 = o.counters.fills.values().sum();
        rows.push(("fills", fills.to_string()));
        let refused: u64 = o.counters.refused.values().sum();
        rows.push(("intents refused", refused.to_string()));
        rows.push(("realised P&L", o.realized_pnl.to_string()));
        rows.push(("unrealised P&L", o.unrealized_pnl.to_string()));
    }
    if let Some(st) = &m.strategy {
        let c = &st.counters;
        rows.push(("amends", c.amends.to_string()));
        rows.push(("cancels (by order)", c.order_cancels.to_string()));
        rows.push(("cancels (by market)", c.cancels.to_string()));
    }
    if let Some(g) = &m.gateway {
        rows.push(("429s (engine saw)", g.counters.rate_limited.to_string()));
    }
    if let Some(f) = &m.feed {
        rows.push(("feed reconnects", f.counters.reconnects.to_string()));
        rows.push(("gaps resynced", f.counters.resyncs.to_string()));
    }
    rows.push(("blackout minutes", format!("{blackout_minutes:.1}")));
    // The strategy's own counts (the quoter's requotes, …), named after it.
    let own: Vec<(String, u64)> = m
        .strategy
        .iter()
        .flat_map(|st| st.own.iter().map(|(k, v)| (format!("strategy: {k}"), *v)))
        .collect();
    for (k, v) in &own {
        rows.push((k.as_str(), v.to_string()));
    }
    if let Some(t) = truth {
        rows.push(("simulator: orders", t.orders.to_string()));
        rows.push(("simulator: fills", t.fills.to_string()));
        rows.push(("simulator: 429s sent", t.sent_429.to_string()));
        rows.push((
            "simulator: duplicate client ids",
            t.duplicate_client_order_ids.to_string(),
        ));
    }
    let width = rows.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    let mut out = String::from("== tradewind summary ==\n");
    for (k, v) in rows {
        let _ = writeln!(out, "{k:<width$}  {v}");
    }
    out
}
