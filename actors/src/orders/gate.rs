//! Whether new risk may be taken now, as far as blackouts go — pure, and closed whenever the
//! state is not known for sure: before the blackout clock has spoken, once the state it last
//! told has expired (its `until` passed without a word: the clock is late or gone), while the
//! guardian says the clock is down, and of course in a blackout. Cancels, decreases and
//! reduce-only orders are not asked.

use chrono::{DateTime, Utc};

use crate::blackout::BlackoutState;

/// Why nothing that adds risk may be sent at `now`, or `None`.
pub fn blackout_block(
    state: Option<&BlackoutState>,
    clock_down: bool,
    now: DateTime<Utc>,
) -> Option<String> {
    if clock_down {
        return Some("the blackout clock is down".into());
    }
    let Some(state) = state else {
        return Some("the blackout clock has not told its state yet".into());
    };
    if let Some(until) = state.until.filter(|u| *u <= now) {
        return Some(format!(
            "the blackout state told expired at {} (the clock is late)",
            until.to_rfc3339()
        ));
    }
    state.active.then(|| state.to_string())
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone};

    use super::*;

    fn at(min: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 2, 12, 0, 0).unwrap() + Duration::minutes(min)
    }

    fn state(active: bool, until_min: Option<i64>) -> BlackoutState {
        BlackoutState {
            active,
            reason: if active {
                vec!["gfs 12z".into()]
            } else {
                Vec::new()
            },
            until: until_min.map(at),
        }
    }

    #[test]
    fn only_a_known_current_open_state_with_the_clock_up_lets_risk_through() {
        let open = state(false, Some(10));
        let cases = [
            (None, false, 0, true, "no state yet"),
            (Some(&open), false, 0, false, "open until later"),
            (Some(&open), false, 10, true, "open, but that state expired"),
            (Some(&open), true, 0, true, "the clock is down"),
            (Some(&state(true, Some(5))), false, 0, true, "in a blackout"),
            (
                Some(&state(false, None)),
                false,
                999,
                false,
                "open, nothing ahead",
            ),
        ];
        for (s, down, now, blocked, what) in cases {
            assert_eq!(
                blackout_block(s, down, at(now)).is_some(),
                blocked,
                "{what}"
            );
        }
    }
}
