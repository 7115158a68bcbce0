//! Property tests of the fixed-point decimal strings: for `Price`, `Count` and `Money`,
//! `parse(print(v)) == v` for every in-range value, `print(parse(s))` re-parses to the same
//! value for every valid decimal string, the JSON form round-trips, and no input panics.

use kalshi::{Count, Money, Price};
use proptest::prelude::*;

/// A decimal string: optional `-`, `int_digits` integer digits, optional fraction of
/// `frac_digits` digits (the fraction may end in zeros, as Kalshi's strings do).
fn decimal(negative: bool, int_digits: usize, frac_digits: usize) -> impl Strategy<Value = String> {
    let sign = if negative {
        prop_oneof![Just(""), Just("-")].boxed()
    } else {
        Just("").boxed()
    };
    let int = prop::collection::vec(0u8..10, 1..=int_digits);
    let frac = prop::option::of(prop::collection::vec(0u8..10, 1..=frac_digits));
    (sign, int, frac).prop_map(|(sign, int, frac)| {
        let digits = |d: Vec<u8>| {
            d.into_iter()
                .map(|d| char::from(b'0' + d))
                .collect::<String>()
        };
        match frac {
            Some(f) => format!("{sign}{}.{}", digits(int), digits(f)),
            None => format!("{sign}{}", digits(int)),
        }
    })
}

proptest! {
    #[test]
    fn price_prints_what_it_parses(micros in 0u32..=Price::UNIT) {
        let v = Price::from_micros(micros).unwrap();
        prop_assert_eq!(Price::parse(&v.to_string()), Ok(v));
        let json = serde_json::to_string(&v).unwrap();
        prop_assert_eq!(serde_json::from_str::<Price>(&json).unwrap(), v);
    }

    #[test]
    fn price_strings_reparse_to_the_same_value(s in decimal(false, 1, 6)) {
        if let Ok(v) = Price::parse(&s) {
            prop_assert_eq!(Price::parse(&v.to_string()), Ok(v));
            prop_assert!(s.starts_with('0') || s.starts_with('1'), "{} accepted", s);
        } else {
            // Only values above one dollar are refused among these strings.
            prop_assert!(s.starts_with(|c: char| c != '0'), "{} refused", s);
        }
    }

    #[test]
    fn count_prints_what_it_parses(centis in -Count::MAX.centis()..=Count::MAX.centis()) {
        let v = Count::from_centis(centis);
        prop_assert_eq!(Count::parse(&v.to_string()), Ok(v));
        let json = serde_json::to_string(&v).unwrap();
        prop_assert_eq!(serde_json::from_str::<Count>(&json).unwrap(), v);
    }

    #[test]
    fn count_strings_reparse_to_the_same_value(s in decimal(true, 12, 2)) {
        let v = Count::parse(&s).unwrap();
        prop_assert_eq!(Count::parse(&v.to_string()), Ok(v));
    }

    #[test]
    fn money_prints_what_it_parses(micros in -Money::MAX.micros()..=Money::MAX.micros()) {
        let v = Money::from_micros(micros);
        prop_assert_eq!(Money::parse(&v.to_string()), Ok(v));
        let json = serde_json::to_string(&v).unwrap();
        prop_assert_eq!(serde_json::from_str::<Money>(&json).unwrap(), v);
    }

    #[test]
    fn money_strings_reparse_to_the_same_value(s in decimal(true, 11, 6)) {
        let v = Money::parse(&s).unwrap();
        prop_assert_eq!(Money::parse(&v.to_string()), Ok(v));
    }

    #[test]
    fn arbitrary_text_never_panics(s in "[-+0-9.eE ]{0,24}|\\PC{0,24}") {
        for parsed in [Price::parse(&s).map(drop), Count::parse(&s).map(drop), Money::parse(&s).map(drop)] {
            if let Err(e) = parsed {
                prop_assert!(!e.to_string().is_empty());
            }
        }
    }
}
