//! [`Curve`]: the equity curve, sampled as it is built and thinned to at most [`MAX_POINTS`]
//! when it is finished — deterministically, from the events alone.
//!
//! # Sampling
//! Every fill and settlement adds a point. Marks can arrive a million a second, so they add at
//! most five points per time bucket (`(to − from) / MAX_POINTS` long, at least 1 ms) between
//! two fills: the bucket's highest, lowest and last equity, its deepest fall below the running
//! peak and, when inside the bucket, that peak — in time order, so peaks, troughs and the
//! maximum drawdown survive. The curve starts at `(from, 0)` and ends at `to` with the final
//! equity.
//!
//! # Thinning
//! A longer curve is cut into `(MAX_POINTS − 2) / 3` runs of equal point count; each keeps its
//! highest equity, lowest equity and deepest drawdown, plus the first and last points overall.
//! Drawdowns are computed on the full sampled curve before thinning.

use super::{exact::Exact, model::CurvePoint};

/// The most points a finished curve has.
pub const MAX_POINTS: usize = 2_000;

/// The shortest bucket marks are sampled in.
const MIN_BUCKET_NS: u64 = 1_000_000;

#[derive(Debug, Clone, Copy)]
struct Point {
    ns: u64,
    equity: Exact,
}

/// A point with its place in the order of observations (which orders points sharing a time).
type Seen = (u64, Point);

/// The marks of one bucket so far.
#[derive(Debug, Clone, Copy)]
struct Bucket {
    index: u64,
    /// The first observation in the bucket.
    start: u64,
    high: Seen,
    low: Seen,
    last: Seen,
    /// The deepest fall below the running peak, and that peak.
    deepest: (Exact, Seen, Seen),
}

/// The equity curve being sampled.
#[derive(Debug, Clone)]
pub struct Curve {
    from: u64,
    width: u64,
    points: Vec<Point>,
    bucket: Option<Bucket>,
    /// Observations so far.
    seq: u64,
    /// The running peak.
    peak: Seen,
}

impl Curve {
    /// A curve over `[from_ns, to_ns]`, starting at equity zero.
    pub fn new(from_ns: u64, to_ns: u64) -> Curve {
        let start = Point {
            ns: from_ns,
            equity: Exact::ZERO,
        };
        Curve {
            from: from_ns,
            width: (to_ns.saturating_sub(from_ns) / MAX_POINTS as u64).max(MIN_BUCKET_NS),
            points: vec![start],
            bucket: None,
            seq: 0,
            peak: (0, start),
        }
    }

    /// Counts an observation and follows the running peak.
    fn see(&mut self, p: Point) -> Seen {
        self.seq += 1;
        if p.equity > self.peak.1.equity {
            self.peak = (self.seq, p);
        }
        (self.seq, p)
    }

    /// A fill or settlement left equity at `equity`: always a point.
    pub fn event(&mut self, ns: u64, equity: Exact) {
        self.flush();
        let (_, p) = self.see(Point { ns, equity });
        self.points.push(p);
    }

    /// A mark moved equity to `equity`: sampled in its bucket — its highest, lowest and last
    /// equity, and its deepest fall below the running peak with that peak (when in the bucket).
    pub fn mark(&mut self, ns: u64, equity: Exact) {
        let index = ns.saturating_sub(self.from) / self.width;
        let seen = self.see(Point { ns, equity });
        let fall = (self.peak.1.equity - equity, seen, self.peak);
        match self.bucket.as_mut() {
            Some(b) if b.index == index => {
                if equity > b.high.1.equity {
                    b.high = seen;
                }
                if equity < b.low.1.equity {
                    b.low = seen;
                }
                if fall.0 > b.deepest.0 {
                    b.deepest = fall;
                }
                b.last = seen;
            }
            _ => {
                self.flush();
                self.bucket = Some(Bucket {
                    index,
                    start: seen.0,
                    high: seen,
                    low: seen,
                    last: seen,
                    deepest: fall,
                });
            }
        }
    }

    fn flush(&mut self) {
        if let Some(b) = self.bucket.take() {
            let mut kept = vec![b.high, b.low, b.last, b.deepest.1];
            if b.deepest.2.0 >= b.start {
                kept.push(b.deepest.2);
            }
            kept.sort_by_key(|(seq, _)| *seq);
            kept.dedup_by_key(|(seq, _)| *seq);
            self.points.extend(kept.into_iter().map(|(_, p)| p));
        }
    }

    /// The finished curve: a last point at `to_ns` (when later than the last event) at
    /// `equity`, drawdowns from the running peak, thinned to [`MAX_POINTS`].
    pub fn finish(mut self, to_ns: u64, equity: Exact) -> Vec<CurvePoint> {
        self.flush();
        if self.points.last().is_none_or(|p| to_ns > p.ns) {
            self.points.push(Point { ns: to_ns, equity });
        }
        let mut peak = Exact::ZERO;
        let full: Vec<(u64, Exact, Exact)> = self
            .points
            .iter()
            .map(|p| {
                peak = peak.max(p.equity);
                (p.ns, p.equity, peak - p.equity)
            })
            .collect();
        thin(&full)
            .into_iter()
            .map(|i| CurvePoint {
                ns: full[i].0,
                equity: full[i].1.to_money(),
                drawdown: full[i].2.to_money(),
            })
            .collect()
    }
}

/// The indices of `points` (time, equity, drawdown) to keep.
fn thin(points: &[(u64, Exact, Exact)]) -> Vec<usize> {
    let len = points.len();
    if len <= MAX_POINTS {
        return (0..len).collect();
    }
    let runs = (MAX_POINTS - 2) / 3;
    let mut keep = vec![0, len - 1];
    for r in 0..runs {
        let (lo, hi) = (r * len / runs, (r + 1) * len / runs);
        let run = lo..hi;
        let pick = |key: &dyn Fn(usize) -> Exact| {
            run.clone().max_by_key(|&i| (key(i), std::cmp::Reverse(i)))
        };
        keep.extend(pick(&|i| points[i].1));
        keep.extend(pick(&|i| -points[i].1));
        keep.extend(pick(&|i| points[i].2));
    }
    keep.sort_unstable();
    keep.dedup();
    keep
}
