//! [`chart`]: a line chart as inline SVG — axes, grid, labels, one series — in integer
//! arithmetic, so the same points draw the same bytes everywhere.

use std::fmt::Write;

use super::text::{cents, escape, short_time};

/// Drawing area (SVG user units): the whole chart, and the plot inside its margins.
const WIDTH: i128 = 1000;
const HEIGHT: i128 = 300;
const LEFT: i128 = 80;
const RIGHT: i128 = 980;
const TOP: i128 = 20;
const BOTTOM: i128 = 260;

/// What to draw: `(ns, millionths of a dollar)` in time order.
#[derive(Debug, Clone, Copy)]
pub struct Series<'a> {
    /// The chart's accessible title.
    pub title: &'a str,
    /// The points.
    pub points: &'a [(u64, i128)],
    /// Fill the area between the line and zero (for drawdowns).
    pub fill: bool,
}

/// The plot's scale: time and value ranges.
struct Scale {
    t0: u64,
    t1: u64,
    lo: i128,
    hi: i128,
}

impl Scale {
    fn of(points: &[(u64, i128)]) -> Scale {
        let t0 = points.first().map_or(0, |p| p.0);
        let t1 = points.last().map_or(0, |p| p.0);
        let lo = points.iter().map(|p| p.1).min().unwrap_or(0).min(0);
        let mut hi = points.iter().map(|p| p.1).max().unwrap_or(0).max(0);
        if hi == lo {
            hi = lo + 1_000_000;
        }
        Scale { t0, t1, lo, hi }
    }

    /// x in tenths of a unit.
    fn x(&self, ns: u64) -> i128 {
        let span = i128::from(self.t1.saturating_sub(self.t0));
        if span == 0 {
            return LEFT * 10;
        }
        LEFT * 10 + i128::from(ns.saturating_sub(self.t0)) * (RIGHT - LEFT) * 10 / span
    }

    /// y in tenths of a unit.
    fn y(&self, v: i128) -> i128 {
        TOP * 10 + (self.hi - v).saturating_mul((BOTTOM - TOP) * 10) / (self.hi - self.lo)
    }
}

/// Tenths as a decimal (`1234` → `123.4`, `-5` → `-0.5`).
fn tenths(v: i128) -> String {
    let sign = if v < 0 { "-" } else { "" };
    let a = v.unsigned_abs();
    format!("{sign}{}.{}", a / 10, a % 10)
}

/// The chart as an `<svg>` element.
pub fn chart(s: Series<'_>) -> String {
    let sc = Scale::of(s.points);
    let mut out = format!(
        "<svg class=\"chart\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" role=\"img\" \
         xmlns=\"http://www.w3.org/2000/svg\"><title>{}</title>\n",
        escape(s.title)
    );
    axes(&mut out, &sc);
    let line: Vec<String> = s
        .points
        .iter()
        .map(|&(ns, v)| format!("{},{}", tenths(sc.x(ns)), tenths(sc.y(v))))
        .collect();
    let line = line.join(" ");
    if s.fill && !s.points.is_empty() {
        let base = tenths(sc.y(0));
        let _ = writeln!(
            out,
            "<polygon class=\"area\" points=\"{},{base} {line} {},{base}\"/>",
            tenths(sc.x(sc.t0)),
            tenths(sc.x(sc.t1)),
        );
    }
    let _ = writeln!(out, "<polyline class=\"line\" points=\"{line}\"/>");
    out.push_str("</svg>\n");
    out
}

/// Grid lines with dollar labels, the zero line, the frame and three time labels.
fn axes(out: &mut String, sc: &Scale) {
    for k in 0..=4 {
        let v = sc.lo + (sc.hi - sc.lo) * k / 4;
        let y = tenths(sc.y(v));
        let _ = writeln!(
            out,
            "<line class=\"grid\" x1=\"{LEFT}\" y1=\"{y}\" x2=\"{RIGHT}\" y2=\"{y}\"/>\
             <text class=\"ylabel\" x=\"{}\" y=\"{y}\">{}</text>",
            LEFT - 6,
            cents(v)
        );
    }
    let zero = tenths(sc.y(0));
    let _ = writeln!(
        out,
        "<line class=\"zero\" x1=\"{LEFT}\" y1=\"{zero}\" x2=\"{RIGHT}\" y2=\"{zero}\"/>\
         <rect class=\"frame\" x=\"{LEFT}\" y=\"{TOP}\" width=\"{}\" height=\"{}\"/>",
        RIGHT - LEFT,
        BOTTOM - TOP
    );
    let mid = sc.t0 + (sc.t1.saturating_sub(sc.t0)) / 2;
    for (ns, anchor) in [(sc.t0, "start"), (mid, "middle"), (sc.t1, "end")] {
        let _ = writeln!(
            out,
            "<text class=\"xlabel\" x=\"{}\" y=\"{}\" text-anchor=\"{anchor}\">{}</text>",
            tenths(sc.x(ns)),
            BOTTOM + 20,
            short_time(ns)
        );
    }
}
