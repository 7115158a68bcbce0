//! Deterministic client order ids every venue accepts: `tw-{strategy}-{seq}-{market}`, where
//! `seq` is the intent's sequence number in the journal and `market` is eight hex digits of a
//! 64-bit FNV-1a hash of the ticker.
//!
//! Kalshi's FIX order entry allows only letters, digits and `+ = _ - :` in a client order id
//! and REST documents no rule of its own, so these ids use only `[A-Za-z0-9_-]` and stay within
//! 64 characters (the longest is `tw-` + 24 + `-` + 20 digits + `-` + 8 = 57): a bracket
//! ticker's dot (`KXHIGHNY-26JAN01-B50.5`) never reaches the exchange. The readable form
//! (strategy, ticker, sequence) stays in the journal ([`label`]).
//!
//! The same (strategy, ticker, seq) always gives the same id, so a retry and a restart resend
//! under the id the journal holds. The fixed `tw-` prefix and the strategy tell this engine's
//! orders from others on the account; [`seq_of`] reads the sequence back — also from ids of
//! the earlier form `{strategy}:{market}:{seq}`, which journals written before still hold.

use kalshi::{ClientOrderId, Ticker};

/// Kalshi's limit on a client order id's length.
pub const MAX_LEN: usize = 64;

/// Longest strategy id: leaves room for the prefix, a 20-digit sequence and the hash.
pub const MAX_STRATEGY_LEN: usize = 24;

/// What every id of this engine starts with.
pub const PREFIX: &str = "tw-";

/// Hex digits of the ticker's hash in an id.
const HASH_DIGITS: usize = 8;

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
        .all(|b| b.is_ascii_alphanumeric() || b"-_".contains(&b))
    {
        return Err(format!(
            "{strategy:?} may hold only letters, digits, '-' and '_' (it is part of every client \
             order id, and exchanges accept no more)"
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

/// The market part of an id: the top eight hex digits of the ticker's hash.
fn market_part(ticker: &Ticker) -> String {
    format!("{:08x}", fnv1a64(ticker.as_bytes()) >> 32)
}

/// The client order id of intent `seq` of `strategy` on `ticker`. `strategy` must pass
/// [`check_strategy`] (the config validates it), which keeps the id valid.
pub fn client_order_id(
    strategy: &str,
    ticker: &Ticker,
    seq: u64,
) -> Result<ClientOrderId, kalshi::IdError> {
    ClientOrderId::new(format!("{PREFIX}{strategy}-{seq}-{}", market_part(ticker)))
}

/// The readable name of intent `seq` of `strategy` on `ticker`, as the journal keeps it.
pub fn label(strategy: &str, ticker: &Ticker, seq: u64) -> String {
    format!("{strategy}:{ticker}:{seq}")
}

/// The parts of an id made by [`client_order_id`]: strategy, market part and sequence.
pub fn parse(id: &str) -> Option<(&str, &str, u64)> {
    let rest = id.strip_prefix(PREFIX)?;
    let (rest, market) = rest.rsplit_once('-')?;
    let (strategy, seq) = rest.rsplit_once('-')?;
    let hex = market.len() == HASH_DIGITS && market.bytes().all(|b| b.is_ascii_hexdigit());
    let digits = !seq.is_empty() && seq.bytes().all(|b| b.is_ascii_digit());
    if !hex || !digits || check_strategy(strategy).is_err() {
        return None;
    }
    Some((strategy, market, seq.parse().ok()?))
}

/// The parts of an id of the earlier form `{strategy}:{market}:{seq}`.
fn parse_legacy(id: &str) -> Option<(&str, &str, u64)> {
    let mut parts = id.split(':');
    let (strategy, market, seq) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    Some((strategy, market, seq.parse().ok()?))
}

/// The sequence number of one of `strategy`'s ids (either form), `None` for anyone else's.
pub fn seq_of(strategy: &str, id: &str) -> Option<u64> {
    parse(id)
        .or_else(|| parse_legacy(id))
        .and_then(|(s, _, seq)| (s == strategy).then_some(seq))
}

/// Whether `id` is one of `strategy`'s (either form).
pub fn is_ours(strategy: &str, id: &str) -> bool {
    seq_of(strategy, id).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Ticker {
        Ticker::new(s).unwrap()
    }

    /// The characters every venue accepts, within Kalshi's length.
    fn portable(id: &str) -> bool {
        (1..=MAX_LEN).contains(&id.len())
            && id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    }

    #[test]
    fn ids_are_deterministic_portable_and_read_back() {
        let ticker = t("KXHIGHNY-26JAN01-B50.5");
        let a = client_order_id("fv", &ticker, 42).unwrap();
        let b = client_order_id("fv", &ticker, 42).unwrap();
        assert_eq!(a, b);
        assert!(portable(&a), "{a}");
        assert!(a.starts_with("tw-fv-42-"), "{a}");
        let (strategy, market, seq) = parse(&a).unwrap();
        assert_eq!((strategy, seq), ("fv", 42));
        assert_eq!(market, market_part(&ticker));
        assert_eq!(seq_of("fv", &a), Some(42));
        assert_eq!(seq_of("other", &a), None);
        assert_ne!(a, client_order_id("fv", &ticker, 43).unwrap());
        assert_ne!(a, client_order_id("fw", &ticker, 42).unwrap());
        assert_ne!(
            a,
            client_order_id("fv", &t("KXHIGHNY-26JAN01-B52.5"), 42).unwrap()
        );
        assert_eq!(label("fv", &ticker, 42), "fv:KXHIGHNY-26JAN01-B50.5:42");
    }

    #[test]
    fn the_longest_strategy_and_sequence_stay_within_64_characters() {
        let long = t(&format!("KXLONG-{}.5", "A".repeat(100)));
        let strategy = "s-_".repeat(MAX_STRATEGY_LEN / 3);
        let id = client_order_id(&strategy, &long, u64::MAX).unwrap();
        assert!(portable(&id), "{id} ({} chars)", id.len());
        assert_eq!(
            parse(&id).map(|(s, _, q)| (s, q)),
            Some((strategy.as_str(), u64::MAX))
        );
    }

    #[test]
    fn strategies_with_dashes_read_back_whole() {
        let id = client_order_id("fair-value-2", &t("KXA-1"), 7).unwrap();
        assert_eq!(seq_of("fair-value-2", &id), Some(7));
        assert_eq!(seq_of("fair-value", &id), None);
        assert_eq!(seq_of("value-2", &id), None);
    }

    #[test]
    fn ids_of_the_earlier_form_are_still_ours() {
        assert_eq!(
            seq_of("tradewind", "tradewind:KXHIGHLAX-26DEC04-B66.5:2"),
            Some(2)
        );
        assert!(is_ours("fv", "fv:h0123456789abcdef:9"));
        assert!(!is_ours("fv", "other:KXA-1:9"));
    }

    #[test]
    fn strategy_ids_are_checked() {
        for (s, ok) in [
            ("fv", true),
            ("fair-value_2", true),
            ("", false),
            ("has:colon", false),
            ("has.dot", false),
            ("space here", false),
            (&"x".repeat(MAX_STRATEGY_LEN + 1), false),
        ] {
            assert_eq!(check_strategy(s).is_ok(), ok, "{s:?}");
        }
    }

    #[test]
    fn foreign_ids_are_not_ours() {
        for id in [
            "8c35ecb3-0000",
            "tw-fv-x-0123abcd",
            "tw-fv-1-0123abc",
            "tw-fv-1-0123abcg",
            "tw--1-0123abcd",
            "a:b:c:1",
            "a:b:notanumber",
        ] {
            assert_eq!(seq_of("fv", id), None, "{id}");
        }
    }
}
