//! What `tradewind doctor` reports, apart from how it finds out: the checks in the order they
//! run ([`Check::ALL`], each with what it needs to have passed first), a check's outcome
//! ([`Verdict`]: pass or fail with the figure, or skipped with the reason), the lines as
//! printed, the summary and the exit code (0 only when every check passed). Pure; the help
//! text of `tradewind doctor --help` comes from here too, so the list is written once.

use std::{fmt::Write as _, time::Duration};

/// One check of the doctor. The order of [`Check::ALL`] is the order they run and print.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// The private key loads; its type.
    Key,
    /// The REST and WebSocket hosts resolve; TLS where it is used.
    DnsTls,
    /// `GET /exchange/status`.
    Exchange,
    /// The clock offset from the `Date` headers.
    Clock,
    /// `GET /portfolio/balance`, signed.
    Auth,
    /// `GET /account/limits` and `/account/endpoint_costs`.
    Limits,
    /// The signed WebSocket upgrade.
    WebSocket,
    /// One open market's `orderbook_delta` and the engine's private channels.
    Orderbook,
    /// The server's ping answered.
    Heartbeat,
    /// Every frame seen decoded.
    Decode,
}

impl Check {
    /// Every check, in the order they run.
    pub const ALL: [Check; 10] = [
        Check::Key,
        Check::DnsTls,
        Check::Exchange,
        Check::Clock,
        Check::Auth,
        Check::Limits,
        Check::WebSocket,
        Check::Orderbook,
        Check::Heartbeat,
        Check::Decode,
    ];

    /// The name printed.
    pub fn name(self) -> &'static str {
        match self {
            Check::Key => "key",
            Check::DnsTls => "dns+tls",
            Check::Exchange => "exchange",
            Check::Clock => "clock",
            Check::Auth => "auth",
            Check::Limits => "limits",
            Check::WebSocket => "websocket",
            Check::Orderbook => "orderbook",
            Check::Heartbeat => "heartbeat",
            Check::Decode => "decode",
        }
    }

    /// What it checks, for `--help` and the README.
    pub fn what(self) -> &'static str {
        match self {
            Check::Key => "the private key loads; its type (RSA bits or Ed25519) and file",
            Check::DnsTls => {
                "the REST and WebSocket hosts resolve; the TLS handshake and version (a \
                 loopback http:// simulator: its port answers, no TLS)"
            }
            Check::Exchange => "GET /exchange/status (unsigned): exchange and trading active",
            Check::Clock => {
                "offset of this machine's clock from the exchange's `Date` headers, within \
                 gateway.clock_offset_warn_ms"
            }
            Check::Auth => "GET /portfolio/balance signed by the gateway, decoded",
            Check::Limits => "GET /account/limits and /account/endpoint_costs: tier and budgets",
            Check::WebSocket => "the signed WebSocket upgrade",
            Check::Orderbook => {
                "orderbook_delta of one open market (snapshot, deltas in seq) and the engine's \
                 fill, user_orders and market_lifecycle_v2 subscriptions"
            }
            Check::Heartbeat => "a ping from the server (Kalshi: every 10 s), answered",
            Check::Decode => "every frame seen decodes with the engine's decoder",
        }
    }

    /// The checks that must have passed for this one to run.
    pub fn needs(self) -> &'static [Check] {
        match self {
            Check::Key | Check::DnsTls => &[],
            Check::Exchange | Check::Clock => &[Check::DnsTls],
            Check::Auth => &[Check::Key, Check::DnsTls],
            Check::Limits | Check::WebSocket => &[Check::Auth],
            Check::Orderbook | Check::Heartbeat | Check::Decode => &[Check::WebSocket],
        }
    }
}

/// A check's outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// It passed; the figure.
    Pass(String),
    /// It failed; what was found.
    Fail(String),
    /// It could not run; why.
    Skip(String),
}

impl Verdict {
    /// The word printed first.
    fn word(&self) -> &'static str {
        match self {
            Verdict::Pass(_) => "PASS",
            Verdict::Fail(_) => "FAIL",
            Verdict::Skip(_) => "SKIP",
        }
    }

    fn text(&self) -> &str {
        match self {
            Verdict::Pass(t) | Verdict::Fail(t) | Verdict::Skip(t) => t,
        }
    }
}

/// One printed line: a check, its verdict, and how long it took (none when skipped).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// The check.
    pub check: Check,
    /// Its outcome.
    pub verdict: Verdict,
    /// How long it ran.
    pub took: Option<Duration>,
}

impl Line {
    /// `PASS dns+tls   127.0.0.1 → 127.0.0.1, TLS not used on loopback (1 ms)`.
    pub fn render(&self) -> String {
        let mut s = format!(
            "{} {:<9} {}",
            self.verdict.word(),
            self.check.name(),
            self.verdict.text()
        );
        if let Some(took) = self.took {
            let _ = write!(s, " ({})", millis(took));
        }
        s
    }
}

/// A duration as whole milliseconds (`42 ms`), or seconds with one decimal from 10 s up.
pub fn millis(d: Duration) -> String {
    if d >= Duration::from_secs(10) {
        format!("{:.1} s", d.as_secs_f64())
    } else {
        format!("{} ms", d.as_millis())
    }
}

/// The lines so far.
#[derive(Debug, Default)]
pub struct Report {
    lines: Vec<Line>,
}

impl Report {
    /// Why `check` cannot run: the first check it needs that did not pass.
    pub fn blocked(&self, check: Check) -> Option<String> {
        check.needs().iter().find_map(|need| {
            let state = match self.lines.iter().find(|l| l.check == *need) {
                Some(Line {
                    verdict: Verdict::Pass(_),
                    ..
                }) => return None,
                Some(Line {
                    verdict: Verdict::Fail(_),
                    ..
                }) => "failed",
                Some(_) => "was skipped",
                None => "did not run",
            };
            Some(format!("needs {}, which {state}", need.name()))
        })
    }

    /// Records a line and answers it.
    pub fn record(&mut self, check: Check, verdict: Verdict, took: Option<Duration>) -> &Line {
        self.lines.push(Line {
            check,
            verdict,
            took,
        });
        // unwrap: a line was just pushed.
        self.lines.last().unwrap()
    }

    /// Whether `check` passed.
    pub fn passed(&self, check: Check) -> bool {
        self.lines
            .iter()
            .any(|l| l.check == check && matches!(l.verdict, Verdict::Pass(_)))
    }

    /// 0 when every check passed, else 1.
    pub fn exit_code(&self) -> u8 {
        let all = Check::ALL.iter().all(|c| self.passed(*c));
        if all { 0 } else { 1 }
    }

    /// `all 10 checks passed (3.2 s)` or `1 failed (clock), 3 skipped, 6 passed (3.2 s)`.
    pub fn summary(&self, took: Duration) -> String {
        let took = format!("{:.1} s", took.as_secs_f64());
        let failed: Vec<&str> = self
            .lines
            .iter()
            .filter(|l| matches!(l.verdict, Verdict::Fail(_)))
            .map(|l| l.check.name())
            .collect();
        let skipped = self
            .lines
            .iter()
            .filter(|l| matches!(l.verdict, Verdict::Skip(_)))
            .count();
        let passed = self.lines.len() - failed.len() - skipped;
        if self.exit_code() == 0 {
            return format!("all {passed} checks passed ({took})");
        }
        format!(
            "{} failed ({}), {skipped} skipped, {passed} passed ({took})",
            failed.len(),
            failed.join(", ")
        )
    }
}

/// The check list for `tradewind doctor --help`.
pub fn help() -> String {
    let mut s = String::from("Checks, in the order they run:\n");
    for (i, c) in Check::ALL.iter().enumerate() {
        let _ = writeln!(s, "  {:>2}. {:<9}  {}", i + 1, c.name(), c.what());
    }
    s.push_str(
        "\nA check whose prerequisite failed is SKIPped with the reason (no WebSocket checks \
         without authentication).\nNothing is ever sent that could place or cancel an order.\n\
         Exit codes: 0 every check passed, 1 a check failed or was skipped, 2 bad config or \
         arguments.",
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pass() -> Verdict {
        Verdict::Pass("ok".into())
    }

    #[test]
    fn a_check_runs_only_after_what_it_needs_passed() {
        let mut r = Report::default();
        assert_eq!(
            r.blocked(Check::Auth).as_deref(),
            Some("needs key, which did not run")
        );
        r.record(Check::Key, pass(), None);
        r.record(Check::DnsTls, pass(), None);
        assert_eq!(r.blocked(Check::Auth), None);
        r.record(Check::Auth, Verdict::Fail("401".into()), None);
        assert_eq!(
            r.blocked(Check::WebSocket).as_deref(),
            Some("needs auth, which failed")
        );
        r.record(Check::WebSocket, Verdict::Skip("x".into()), None);
        assert_eq!(
            r.blocked(Check::Decode).as_deref(),
            Some("needs websocket, which was skipped")
        );
    }

    #[test]
    fn the_exit_code_is_zero_only_when_every_check_passed() {
        let mut r = Report::default();
        for c in &Check::ALL[..9] {
            r.record(*c, pass(), None);
        }
        assert_eq!(r.exit_code(), 1, "one check did not run");
        r.record(Check::Decode, pass(), Some(Duration::from_millis(3)));
        assert_eq!(r.exit_code(), 0);
        assert_eq!(
            r.summary(Duration::from_millis(3_240)),
            "all 10 checks passed (3.2 s)"
        );
    }

    #[test]
    fn the_summary_names_the_failed_checks() {
        let mut r = Report::default();
        r.record(Check::Key, pass(), None);
        r.record(Check::DnsTls, pass(), None);
        r.record(Check::Clock, Verdict::Fail("off".into()), None);
        r.record(Check::Auth, Verdict::Fail("401".into()), None);
        r.record(Check::Limits, Verdict::Skip("needs auth".into()), None);
        assert_eq!(
            r.summary(Duration::from_secs(1)),
            "2 failed (clock, auth), 1 skipped, 2 passed (1.0 s)"
        );
    }

    #[test]
    fn lines_read_name_result_figure_and_time() {
        let line = Line {
            check: Check::DnsTls,
            verdict: Verdict::Pass("h → 1.2.3.4, TLS 1.3".into()),
            took: Some(Duration::from_millis(42)),
        };
        assert_eq!(line.render(), "PASS dns+tls   h → 1.2.3.4, TLS 1.3 (42 ms)");
        let skipped = Line {
            check: Check::Limits,
            verdict: Verdict::Skip("needs auth, which failed".into()),
            took: None,
        };
        assert_eq!(skipped.render(), "SKIP limits    needs auth, which failed");
        assert_eq!(millis(Duration::from_millis(12_340)), "12.3 s");
    }

    #[test]
    fn every_prerequisite_runs_earlier() {
        for (i, c) in Check::ALL.iter().enumerate() {
            for need in c.needs() {
                let j = Check::ALL.iter().position(|x| x == need).unwrap();
                assert!(
                    j < i,
                    "{} needs {}, which runs later",
                    c.name(),
                    need.name()
                );
            }
        }
        let help = help();
        for c in Check::ALL {
            assert!(help.contains(c.name()), "{help}");
        }
    }
}
