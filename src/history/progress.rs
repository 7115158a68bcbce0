//! The progress line on stderr: markets listed and done, trade and candle rows, requests/s
//! and read-budget use — redrawn in place every second on a terminal, a plain line every
//! 5 s otherwise — the summary on stdout at the end, and the warning of a download that
//! found no market.

use std::{
    fmt::Write as _,
    io::{IsTerminal, Write},
    time::{Duration, Instant},
};

use chrono::SecondsFormat;
use tradewind_actors::gateway::{GatewayMetrics, GetMetrics};

use super::{
    plan::Window,
    session::Session,
    tally::{Budget, Tally},
};

/// A snapshot: the tally, the gateway's counts, the refill rate, the time since start.
#[derive(Debug, Clone, Copy)]
pub struct Snapshot {
    /// Rows and parts.
    pub tally: (u64, u64, u64, u64, u64),
    /// Requests, 429s, tokens.
    pub budget: Budget,
    /// Read refill rate, tokens/s.
    pub rate: u64,
    /// Read bucket capacity, tokens.
    pub burst: u64,
    /// Seconds since the gateway started.
    pub elapsed_s: f64,
    /// Live trade pages not listed newest first.
    pub out_of_order: u64,
}

impl Snapshot {
    /// From the tally and the gateway's metrics.
    pub fn of(t: &Tally, m: &GatewayMetrics, started: Instant) -> Snapshot {
        Snapshot {
            tally: (
                t.markets,
                t.trades,
                t.candles,
                t.markets_done.0,
                t.markets_done.1,
            ),
            budget: Budget::from_counts(&m.counters.by_endpoint),
            rate: m.rates.0,
            burst: m.read_burst,
            elapsed_s: started.elapsed().as_secs_f64(),
            out_of_order: t.out_of_order,
        }
    }

    /// The one-line progress.
    pub fn line(&self) -> String {
        let (markets, trades, candles, done, planned) = self.tally;
        let b = &self.budget;
        format!(
            "markets {markets} listed, {done}/{planned} done | trades {trades} | candles {candles} | \
             {} requests ({:.1}/s) | read budget {:.1}% | 429s {}",
            b.requests,
            b.requests as f64 / self.elapsed_s.max(1e-3),
            b.read_use(self.rate, self.elapsed_s) * 100.0,
            b.rate_limited
        )
    }

    /// The summary printed on stdout.
    pub fn summary(&self, outcome: &str) -> String {
        let (markets, trades, candles, done, planned) = self.tally;
        let b = &self.budget;
        let mut s = String::new();
        let _ = writeln!(s, "history fetch: {outcome}");
        let _ = writeln!(s, "markets rows        {markets}");
        let _ = writeln!(s, "trades rows         {trades}");
        let _ = writeln!(s, "candlesticks rows   {candles}");
        let _ = writeln!(s, "markets complete    {done}/{planned}");
        let _ = writeln!(s, "requests            {}", b.requests);
        let _ = writeln!(s, "429s                {}", b.rate_limited);
        let _ = writeln!(s, "read tokens         {}", b.read_tokens);
        let use_pct = b.read_use(self.rate, self.elapsed_s) * 100.0;
        let _ = writeln!(s, "read budget used    {use_pct:.1}% of {}/s", self.rate);
        let burst_pct = b.read_use_with_burst(self.rate, self.burst, self.elapsed_s) * 100.0;
        let _ = writeln!(
            s,
            "  with the burst    {burst_pct:.1}% of {} + {}/s (the gateway starts empty and never \
             spends the initial burst)",
            self.burst, self.rate
        );
        let _ = writeln!(s, "pages out of order  {}", self.out_of_order);
        let _ = write!(s, "elapsed             {:.2} s", self.elapsed_s);
        s
    }
}

/// The warning of a complete download that found no market: the series and window, and for
/// the embedded simulator (no `--config`) why and what to do instead.
pub fn nothing_matched(series: &[String], w: &Window, embedded: bool) -> String {
    let mut s = format!(
        "warning: no market of {} closed in [{}, {}); the tables are empty",
        series.join(", "),
        w.from.to_rfc3339_opts(SecondsFormat::AutoSi, true),
        w.to.to_rfc3339_opts(SecondsFormat::AutoSi, true),
    );
    if embedded {
        s.push_str(
            "\n  (no --config: this was the embedded simulator, whose world has only just \
             started and has settled nothing yet; point --config at a `tradewind sim` or at \
             Kalshi)",
        );
    }
    s
}

/// Asks the gateway for a snapshot.
pub async fn snapshot(s: &Session, started: Instant) -> Snapshot {
    let m = s.gateway.send(GetMetrics).await.unwrap_or_default();
    Snapshot::of(&s.tally.borrow(), &m, started)
}

/// Draws the progress until `s.stop`-independent `done` is set.
pub async fn draw(s: Session, started: Instant, done: std::rc::Rc<std::cell::Cell<bool>>) {
    let tty = std::io::stderr().is_terminal();
    let every = Duration::from_secs(if tty { 1 } else { 5 });
    let mut next = Instant::now() + every;
    while !done.get() {
        actix_rt::time::sleep(Duration::from_millis(100)).await;
        if Instant::now() < next {
            continue;
        }
        next += every;
        let line = snapshot(&s, started).await.line();
        let mut err = std::io::stderr().lock();
        let _ = if tty {
            write!(err, "\r\x1b[2K{line}")
        } else {
            writeln!(err, "{line}")
        };
    }
    if tty {
        eprintln!();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_empty_warning_names_series_and_window_and_the_embedded_simulator() {
        let w = Window {
            from: chrono::DateTime::from_timestamp(1_764_547_200, 0).unwrap(),
            to: chrono::DateTime::from_timestamp(1_764_633_600, 0).unwrap(),
        };
        let series = ["KXHIGHNY".to_owned(), "KXHIGHCHI".to_owned()];
        let remote = nothing_matched(&series, &w, false);
        assert_eq!(
            remote,
            "warning: no market of KXHIGHNY, KXHIGHCHI closed in \
             [2025-12-01T00:00:00Z, 2025-12-02T00:00:00Z); the tables are empty"
        );
        let embedded = nothing_matched(&series, &w, true);
        assert!(
            embedded.starts_with(&remote) && embedded.contains("--config"),
            "{embedded}"
        );
    }
}
