//! Deterministic client order ids: `{strategy}:{market}:{seq}`, where `seq` is the intent's
//! sequence number in the journal and `market` is the ticker, or `h` plus a 64-bit FNV-1a
//! hash of it (16 hex digits) when the whole id would pass Kalshi's 64 characters.
//!
//! The same (strategy, ticker, seq) always gives the same id, so a retry and a restart resend
//! under the id the journal holds; the exchange answers a repeat with 409, which the gateway
//! resolves to the existing order. `:` separates the parts because tickers never contain it
//! (they use `[A-Za-z0-9_.-]`), so [`parse`] can read an id back.

use kalshi::{ClientOrderId, Ticker};

/// Kalshi's limit on a client order id's length.
pub const MAX_LEN: usize = 64;

/// Longest strategy id: leaves room for a hashed ticker (17) and a 20-digit sequence.
pub const MAX_STRATEGY_LEN: usize = 24;

/// Why a strategy id cannot be used in client order ids.
pub fn check_strategy(strategy: &str) -> Result<(), String> {
    if strategy.is_empty() || strategy.len() > MAX_STRATEGY_LEN {
        return Err(format!(
            "must be 1–{MAX_STRATEGY_LEN} characters, got {}",
            strategy.len()
        ));
    }
    if !strategy
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
    {
        return Err(format!(
            "{strategy:?} may hold only letters, digits, '-', '_' and '.'"
        ));
    }
    Ok(())
}

/// 64-bit FNV-1a: tiny, stable across versions and platforms (unlike `DefaultHasher`).
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// The market part of an id: the ticker when it fits, else its hash.
fn market_part(strategy: &str, ticker: &Ticker, seq: u64) -> String {
    let digits = seq.to_string().len();
    if strategy.len() + ticker.len() + digits + 2 <= MAX_LEN {
        ticker.as_str().to_owned()
    } else {
        format!("h{:016x}", fnv1a64(ticker.as_bytes()))
    }
}

/// The client order id of intent `seq` of `strategy` on `ticker`. `strategy` must pass
/// [`check_strategy`] (the config validates it), which keeps the id valid.
pub fn client_order_id(
    strategy: &str,
    ticker: &Ticker,
    seq: u64,
) -> Result<ClientOrderId, kalshi::IdError> {
    ClientOrderId::new(format!(
        "{strategy}:{}:{seq}",
        market_part(strategy, ticker, seq)
    ))
}

/// The parts of an id made by [`client_order_id`]: strategy, market part and sequence.
pub fn parse(id: &str) -> Option<(&str, &str, u64)> {
    let mut parts = id.split(':');
    let (strategy, market, seq) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    Some((strategy, market, seq.parse().ok()?))
}

/// The sequence number of one of `strategy`'s ids, `None` for anyone else's.
pub fn seq_of(strategy: &str, id: &str) -> Option<u64> {
    parse(id).and_then(|(s, _, seq)| (s == strategy).then_some(seq))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Ticker {
        Ticker::new(s).unwrap()
    }

    #[test]
    fn ids_are_deterministic_and_read_back() {
        let ticker = t("KXHIGHNY-26JAN01-B50.5");
        let a = client_order_id("fv", &ticker, 42).unwrap();
        let b = client_order_id("fv", &ticker, 42).unwrap();
        assert_eq!(a, b);
        assert_eq!(a.as_str(), "fv:KXHIGHNY-26JAN01-B50.5:42");
        assert_eq!(parse(&a), Some(("fv", "KXHIGHNY-26JAN01-B50.5", 42)));
        assert_eq!(seq_of("fv", &a), Some(42));
        assert_eq!(seq_of("other", &a), None);
        assert_ne!(a, client_order_id("fv", &ticker, 43).unwrap());
        assert_ne!(a, client_order_id("fw", &ticker, 42).unwrap());
    }

    #[test]
    fn long_tickers_are_hashed_to_stay_within_64_characters() {
        let long = t(&format!("KXLONG-{}", "A".repeat(100)));
        let strategy = "s".repeat(MAX_STRATEGY_LEN);
        let id = client_order_id(&strategy, &long, u64::MAX).unwrap();
        assert!(id.len() <= MAX_LEN, "{} chars", id.len());
        let (_, market, seq) = parse(&id).unwrap();
        assert_eq!(market, format!("h{:016x}", fnv1a64(long.as_bytes())));
        assert_eq!(seq, u64::MAX);
        // A different long ticker hashes differently.
        let other = t(&format!("KXLONG-{}", "B".repeat(100)));
        assert_ne!(id, client_order_id(&strategy, &other, u64::MAX).unwrap());
    }

    #[test]
    fn strategy_ids_are_checked() {
        for (s, ok) in [
            ("fv", true),
            ("fair-value_2.b", true),
            ("", false),
            ("has:colon", false),
            ("space here", false),
            (&"x".repeat(MAX_STRATEGY_LEN + 1), false),
        ] {
            assert_eq!(check_strategy(s).is_ok(), ok, "{s:?}");
        }
    }

    #[test]
    fn foreign_ids_do_not_parse_as_ours() {
        assert_eq!(parse("8c35ecb3-0000"), None);
        assert_eq!(parse("a:b:c:1"), None);
        assert_eq!(parse("a:b:notanumber"), None);
    }
}
