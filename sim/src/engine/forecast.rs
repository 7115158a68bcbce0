//! The forecast an event's markets imply: each market's YES mid price (the middle of its
//! best bid and ask) read as the probability that the outcome falls in its strike range,
//! normalised over the event's markets into a distribution, and read back at percentiles by
//! linear interpolation within the range that holds the percentile. Open-ended ranges
//! (`less`, `greater`) are taken as wide as the event's `between` ranges (1 when it has
//! none). Forecast maths, not money: plain `f64`.

use super::market::Strike;

/// The range `[low, high]` a strike stands for, given the width of the closed ranges.
fn range(strike: Strike, width: f64) -> (f64, f64) {
    match strike {
        Strike::Between { floor, cap } => (floor, cap),
        Strike::Less { cap } => (cap - width, cap),
        Strike::Greater { floor } => (floor, floor + width),
    }
}

/// The outcome value at quantile `q` (0–1) of the distribution `markets` imply, each market
/// given as its strike and its YES probability; `None` when no market has a positive one.
pub fn implied_quantile(markets: &[(Strike, f64)], q: f64) -> Option<f64> {
    let total: f64 = markets.iter().map(|(_, p)| p.max(0.0)).sum();
    if total <= 0.0 {
        return None;
    }
    let width = markets
        .iter()
        .find_map(|(s, _)| match s {
            Strike::Between { floor, cap } if cap > floor => Some(cap - floor),
            _ => None,
        })
        .unwrap_or(1.0);
    let mut ranges: Vec<((f64, f64), f64)> = markets
        .iter()
        .map(|(s, p)| (range(*s, width), p.max(0.0) / total))
        .collect();
    ranges.sort_by(|a, b| a.0.0.total_cmp(&b.0.0));
    let q = q.clamp(0.0, 1.0);
    let mut below = 0.0;
    for ((low, high), p) in &ranges {
        if p > &0.0 && below + p >= q {
            return Some(low + (q - below) / p * (high - low));
        }
        below += p;
    }
    ranges.last().map(|((_, high), _)| *high)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_interpolate_within_the_range_that_holds_them() {
        let m = [
            (Strike::Less { cap: 50.0 }, 0.25),
            (
                Strike::Between {
                    floor: 50.0,
                    cap: 52.0,
                },
                0.5,
            ),
            (Strike::Greater { floor: 52.0 }, 0.25),
        ];
        assert_eq!(implied_quantile(&m, 0.5), Some(51.0));
        assert_eq!(implied_quantile(&m, 0.25), Some(50.0));
        assert_eq!(implied_quantile(&m, 0.125), Some(49.0));
        assert_eq!(implied_quantile(&m, 1.0), Some(54.0));
        assert_eq!(
            implied_quantile(&[(Strike::Less { cap: 1.0 }, 0.0)], 0.5),
            None
        );
    }
}
