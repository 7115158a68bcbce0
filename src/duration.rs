//! Durations as the command line and the library take them: whole seconds (`90`), or a
//! whole number with `ms`, `s`, `m` or `h` (`500ms`, `60s`, `5m`, `1h`).

use std::time::Duration;

/// Parses `--duration`: whole seconds (`90`), or a whole number with `ms`, `s`, `m` or `h`.
///
/// # Errors
/// A message saying what is accepted.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    const ACCEPTED: &str = "expected a whole number with an optional unit: 90, 500ms, 60s, 5m, 1h";
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (number, unit) = s.split_at(split);
    if number.is_empty() {
        return Err(format!("{s:?}: {ACCEPTED}"));
    }
    let n: u64 = number
        .parse()
        .map_err(|_| format!("{s:?}: {number} is too large"))?;
    let secs = |factor: u64| {
        n.checked_mul(factor)
            .map(Duration::from_secs)
            .ok_or_else(|| format!("{s:?}: too long"))
    };
    let d = match unit {
        "ms" => Duration::from_millis(n),
        "" | "s" => Duration::from_secs(n),
        "m" => secs(60)?,
        "h" => secs(3_600)?,
        _ => return Err(format!("{s:?}: unknown unit {unit:?}; {ACCEPTED}")),
    };
    if d.is_zero() {
        return Err(format!("{s:?}: must be longer than zero"));
    }
    Ok(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_with_and_without_units() {
        let cases = [
            ("90", 90_000),
            ("60s", 60_000),
            ("5m", 300_000),
            ("1h", 3_600_000),
            ("250ms", 250),
            (" 7s ", 7_000),
        ];
        for (text, ms) in cases {
            assert_eq!(
                parse_duration(text),
                Ok(Duration::from_millis(ms)),
                "{text}"
            );
        }
    }

    #[test]
    fn bad_durations_say_why() {
        for text in [
            "",
            "s",
            "5x",
            "1.5h",
            "-3",
            "0",
            "0s",
            "99999999999999999999h",
        ] {
            let err = parse_duration(text).unwrap_err();
            assert!(err.contains(&format!("{:?}", text.trim())), "{text}: {err}");
        }
        assert!(parse_duration("5x").unwrap_err().contains("unknown unit"));
        assert!(
            parse_duration("0")
                .unwrap_err()
                .contains("longer than zero")
        );
    }
}
