//! [`Report::to_html`]: one self-contained page — inline CSS and SVG, no script, no external
//! URL — that opens offline: summary, equity and drawdown charts, per-market table, open
//! positions, and the definitions the figures follow. Every string is escaped.

use std::fmt::Write;

use super::{
    model::{CurvePoint, Report},
    svg::{Series, chart},
    text::{escape, time},
};

/// The page's stylesheet.
const STYLE: &str = "body{font:14px/1.4 system-ui,sans-serif;margin:2em auto;max-width:1040px;\
color:#222}h1{font-size:1.5em}h2{font-size:1.15em;margin-top:1.6em}\
table{border-collapse:collapse}td,th{padding:2px 10px;border-bottom:1px solid #ddd;\
text-align:right}th:first-child,td:first-child{text-align:left}.meta,.defs{color:#555}\
.chart{width:100%;height:auto}.chart .grid{stroke:#eee}.chart .zero{stroke:#999}\
.chart .frame{fill:none;stroke:#ccc}.chart .line{fill:none;stroke:#1f5fa8;stroke-width:1.5}\
.chart .area{fill:#f3c9c9;stroke:none}.chart text{font-size:11px;fill:#555}\
.chart .ylabel{text-anchor:end;dominant-baseline:middle}";

impl Report {
    /// The report as one HTML page, the same bytes for the same report.
    pub fn to_html(&self) -> String {
        let m = &self.meta;
        let mut out = format!(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <title>Backtest: {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n\
             <h1>Backtest: {}</h1>\n<p class=\"meta\">data {} · {} to {} · seed {} · \
             config {} · {} events replayed</p>\n",
            escape(&m.strategy),
            escape(&m.strategy),
            escape(&m.data),
            time(m.from_ns),
            time(m.to_ns),
            m.seed,
            escape(&m.config_digest),
            m.events_replayed
        );
        self.summary_html(&mut out);
        self.charts_html(&mut out);
        self.markets_html(&mut out);
        self.open_html(&mut out);
        out.push_str(DEFINITIONS);
        out.push_str("</body>\n</html>\n");
        out
    }

    fn summary_html(&self, out: &mut String) {
        let (s, d, e, r, x) = (
            &self.summary,
            &self.drawdown,
            &self.exposure,
            &self.round_trips,
            &self.settlement_edge,
        );
        let na = |o: &Option<String>| o.clone().unwrap_or_else(|| "–".into());
        let rows = [
            ("Total P&amp;L", s.total.to_string()),
            ("Realised (trades)", s.realised.to_string()),
            ("Settled", s.settled.to_string()),
            ("Fees", s.fees.to_string()),
            ("Unrealised (open)", s.unrealised.to_string()),
            ("Fills (maker)", format!("{} ({})", s.fills, s.maker_fills)),
            (
                "Contracts (maker share)",
                format!("{} ({})", s.contracts, na(&s.maker_share)),
            ),
            ("Markets", s.markets.to_string()),
            (
                "Round trips: won / lost / flat / open",
                format!("{} / {} / {} / {}", r.wins, r.losses, r.flat, r.open),
            ),
            ("Hit rate (round trips)", na(&r.hit_rate)),
            (
                "Settlement edge (fills positive)",
                format!(
                    "{} ({} of {}, {})",
                    x.amount,
                    x.positive,
                    x.fills,
                    na(&x.hit_rate)
                ),
            ),
            (
                "Maximum drawdown",
                format!(
                    "{} ({} to {})",
                    d.amount,
                    time(d.peak_ns),
                    time(d.trough_ns)
                ),
            ),
            (
                "Maximum exposure",
                format!("{} ({})", e.max, time(e.max_ns)),
            ),
            ("Mean exposure (time-weighted)", e.mean.to_string()),
            (
                "Most contracts held",
                format!("{} ({})", e.max_contracts, time(e.max_contracts_ns)),
            ),
        ];
        out.push_str("<h2>Summary</h2>\n<table>\n");
        for (label, value) in rows {
            let _ = writeln!(out, "<tr><th>{label}</th><td>{}</td></tr>", escape(&value));
        }
        out.push_str("</table>\n");
    }

    fn charts_html(&self, out: &mut String) {
        let series = |f: fn(&CurvePoint) -> i128| -> Vec<(u64, i128)> {
            self.equity_curve.iter().map(|p| (p.ns, f(p))).collect()
        };
        let equity = series(|p| i128::from(p.equity.micros()));
        let drawdown = series(|p| -i128::from(p.drawdown.micros()));
        out.push_str("<h2>Equity</h2>\n");
        out.push_str(&chart(Series {
            title: "Equity (dollars) over time (UTC)",
            points: &equity,
            fill: false,
        }));
        out.push_str("<h2>Drawdown</h2>\n");
        out.push_str(&chart(Series {
            title: "Drawdown below the running peak (dollars)",
            points: &drawdown,
            fill: true,
        }));
    }

    fn markets_html(&self, out: &mut String) {
        out.push_str(
            "<h2>Markets</h2>\n<table>\n<tr><th>Ticker</th><th>Fills</th><th>Bought</th>\
             <th>Sold</th><th>Maker share</th><th>Fees</th><th>Realised</th><th>Settled</th>\
             <th>Open</th><th>Total</th><th>Settled at</th><th>Trips won</th></tr>\n",
        );
        for r in &self.markets {
            let cells = [
                r.fills.to_string(),
                r.bought.to_string(),
                r.sold.to_string(),
                r.maker_share.clone().unwrap_or_else(|| "–".into()),
                r.fees.to_string(),
                r.realised.to_string(),
                r.settled.to_string(),
                r.open.to_string(),
                r.total.to_string(),
                r.settlement.map_or_else(|| "–".into(), |v| v.to_string()),
                format!("{} / {}", r.wins, r.round_trips),
            ];
            let _ = write!(out, "<tr><td>{}</td>", escape(&r.ticker));
            for c in cells {
                let _ = write!(out, "<td>{}</td>", escape(&c));
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</table>\n");
    }

    fn open_html(&self, out: &mut String) {
        out.push_str("<h2>Open positions</h2>\n");
        if self.open.is_empty() {
            out.push_str("<p>None.</p>\n");
            return;
        }
        out.push_str(
            "<table>\n<tr><th>Ticker</th><th>Position</th><th>Mark</th><th>Marked at</th>\
             <th>Unrealised</th></tr>\n",
        );
        for o in &self.open {
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&o.ticker),
                o.position,
                o.mark.map_or_else(|| "–".into(), |p| p.to_string()),
                o.mark_ns.map_or_else(|| "last fill".into(), time),
                o.unrealised
            );
        }
        out.push_str("</table>\n");
    }
}

/// How the figures are defined, printed under them.
const DEFINITIONS: &str = "<h2>Definitions</h2>\n<ul class=\"defs\">\n\
<li>Amounts in dollars, exact. Positions: + YES, − NO (sold YES). Equity = cash + positions \
at their last mark (before a market's first mark, its last fill price), from 0.</li>\n\
<li>Realised: trades that reduce a position, against its average cost. Settled: positions \
held at settlement, paid position × value. Fees apart. Total = realised + settled − fees + \
unrealised.</li>\n\
<li>Round trip: a market's position leaving 0 and returning to 0 (by trade or settlement). \
Hit rate: share of closed round trips whose P&amp;L after fees is above 0.</li>\n\
<li>Settlement edge: each fill of a settled market against the settlement value v — a buy \
at p earns v − p per contract, a sell p − v — before fees.</li>\n\
<li>Exposure: Σ over markets of YES position × mark and NO position × (1 − mark); the mean \
is time-weighted over the window.</li>\n\
<li>Maximum drawdown: the largest fall of equity from a running peak.</li>\n</ul>\n";
