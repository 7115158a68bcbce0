//! What `/healthz` holds against, from every actor's metrics at one instant: the engine is
//! unhealthy when it gave up, when an actor missed its heartbeats or is not ready (restarting
//! after a panic, the order manager reconciling or halted, the strategy without its positions),
//! when the feed is down or too many books are stale, or when the gateway cools down after 429s.
//! Every reason names the actor.

use crate::root::EngineMetrics;

/// Why the engine is unhealthy, or `None`; `max_stale_pct` of books may be stale.
pub fn unhealthy(m: &EngineMetrics, max_stale_pct: f64) -> Option<String> {
    if let Some(why) = supervision(m) {
        return Some(why);
    }
    let Some(feed) = &m.feed else {
        return Some("the feed does not answer".into());
    };
    if !feed.connected {
        return Some("the feed is down".into());
    }
    if feed.books > 0 {
        let pct = 100.0 * feed.books_stale as f64 / feed.books as f64;
        if pct > max_stale_pct {
            return Some(format!("{pct:.0}% of books are stale"));
        }
    }
    match &m.gateway {
        None => Some("the gateway does not answer".into()),
        Some(g) if g.read_cooling || g.write_cooling => {
            Some("the gateway is cooling down after 429s".into())
        }
        Some(_) => None,
    }
}

/// What the supervision tree says is wrong, naming the actor.
fn supervision(m: &EngineMetrics) -> Option<String> {
    let Some(s) = &m.supervision else {
        return Some("the supervision tree does not answer".into());
    };
    if let Some(why) = &s.escalated {
        return Some(format!("giving up: {why}"));
    }
    if let Some((actor, _)) = s.up.iter().find(|(_, up)| !**up) {
        let silent = s.silent_ms.get(actor).copied().unwrap_or(0);
        return Some(format!("{actor} is down: no heartbeat for {silent} ms"));
    }
    s.ready
        .iter()
        .find(|(_, ready)| !**ready)
        .map(|(actor, _)| {
            let waiting = s
                .waiting_for
                .get(actor)
                .map_or("its next heartbeat", String::as_str);
            format!("{actor} is not ready: waiting for {waiting}")
        })
}
