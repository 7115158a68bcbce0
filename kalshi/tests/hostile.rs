//! Hostile input: generated and mutated frames through the WebSocket decode path and REST
//! bodies through the response decoders — truncated JSON, flipped bytes, wrong types, huge
//! numbers, unknown types, deep nesting, invalid UTF-8 — and nothing panics.
//!
//! Runs a reduced count by default (CI); set `HOSTILE_FRAMES` (WebSocket, default 50,000) and
//! `HOSTILE_BODIES` (REST, default 10,000) for the full run, e.g.
//! `HOSTILE_FRAMES=1000000 HOSTILE_BODIES=100000 cargo test --release -p kalshi --test hostile`.

use std::{fs, path::PathBuf};

use kalshi::{ApiError, rest, ws};
use rand::{Rng, SeedableRng, rngs::StdRng};
use serde::de::DeserializeOwned;

fn count(var: &str, default: usize) -> usize {
    std::env::var(var)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn fixtures(dir: &str) -> Vec<Vec<u8>> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(dir);
    let mut out: Vec<Vec<u8>> = fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
        .map(|e| fs::read(e.path()).unwrap())
        .collect();
    out.sort();
    out
}

/// Replacement tokens that break types and ranges.
const TOKENS: &[&str] = &[
    "null",
    "true",
    "{}",
    "[]",
    "\"\"",
    "-1",
    "1e308",
    "-0",
    "18446744073709551616",
    "\"99999999999999999999.99\"",
    "\"0.1234567\"",
    "\"-5\"",
    "\"NaN\"",
    "\"\\u0000\"",
    "\"\u{1F600}\"",
    "[[[[[[[[]]]]]]]]",
    "{\"type\":\"orderbook_delta\"}",
];

/// One mutation of `base`.
fn mutate(rng: &mut StdRng, base: &[u8]) -> Vec<u8> {
    let mut b = base.to_vec();
    match rng.random_range(0..9) {
        0 => b.truncate(rng.random_range(0..=b.len())),
        1 => {
            for _ in 0..rng.random_range(1..4) {
                if !b.is_empty() {
                    let i = rng.random_range(0..b.len());
                    b[i] = rng.random();
                }
            }
        }
        2 => {
            // Replace a value after a colon with a hostile token.
            let colons: Vec<usize> = b
                .iter()
                .enumerate()
                .filter(|(_, c)| **c == b':')
                .map(|(i, _)| i)
                .collect();
            if let Some(&at) = colons.get(rng.random_range(0..colons.len().max(1))) {
                let end = b[at + 1..]
                    .iter()
                    .position(|c| *c == b',' || *c == b'}' || *c == b']')
                    .map_or(b.len(), |p| at + 1 + p);
                let token = TOKENS[rng.random_range(0..TOKENS.len())].as_bytes();
                b.splice(at + 1..end, token.iter().copied());
            }
        }
        3 => {
            let depth = rng.random_range(1..2000);
            b = format!(
                "{}{}",
                "[".repeat(depth),
                "]".repeat(rng.random_range(0..=depth))
            )
            .into_bytes();
        }
        4 => {
            b = format!(
                "{{\"type\":\"{}\",\"sid\":1,\"msg\":{{}}}}",
                rng.random_range(0..u32::MAX)
            )
            .into_bytes()
        }
        5 => b.extend_from_slice(&[0xff, 0xfe, 0x80]),
        6 => {
            let mut digits = String::from("\"");
            for _ in 0..rng.random_range(20..400) {
                digits.push(char::from(b'0' + rng.random_range(0..10u8)));
            }
            digits.push('"');
            let s =
                String::from_utf8_lossy(&b).replacen("\"0.", &format!("{digits}, \"x\":\"0."), 1);
            b = s.into_bytes();
        }
        7 => {
            let i = rng.random_range(0..=b.len());
            let token = TOKENS[rng.random_range(0..TOKENS.len())].as_bytes();
            b.splice(i..i, token.iter().copied());
        }
        _ => b = (0..rng.random_range(0..64)).map(|_| rng.random()).collect(),
    }
    b
}

#[test]
fn mutated_websocket_frames_never_panic_the_decoder() {
    let n = count("HOSTILE_FRAMES", 50_000);
    let bases = fixtures("ws");
    let mut rng = StdRng::seed_from_u64(0x5eed);
    let (mut decoded, mut refused, mut not_utf8) = (0usize, 0usize, 0usize);
    for i in 0..n {
        let frame = mutate(&mut rng, &bases[i % bases.len()]);
        // The feed receives text frames; bytes that are not UTF-8 are refused before decoding.
        let Ok(text) = std::str::from_utf8(&frame) else {
            not_utf8 += 1;
            continue;
        };
        match ws::decode(text) {
            Ok(msg) => {
                decoded += 1;
                // A decoded frame must re-encode without panicking too.
                let _ = msg.encode();
            }
            Err(e) => {
                refused += 1;
                assert!(e.to_string().len() < 1_000, "error messages stay bounded");
            }
        }
        // Commands come the other way (the simulator decodes them).
        let _ = ws::Command::from_json(text);
    }
    eprintln!("{n} frames: {decoded} decoded, {refused} refused, {not_utf8} not UTF-8");
    assert_eq!(decoded + refused + not_utf8, n);
    assert!(refused > n / 4, "the mutations exercise the error paths");
}

fn try_all(body: &[u8]) {
    fn one<T: DeserializeOwned>(b: &[u8]) {
        let _ = serde_json::from_slice::<T>(b);
    }
    one::<rest::GetMarketsResponse>(body);
    one::<rest::GetMarketResponse>(body);
    one::<rest::GetMarketOrderbookResponse>(body);
    one::<rest::GetEventsResponse>(body);
    one::<rest::GetOrdersResponse>(body);
    one::<rest::GetOrderResponse>(body);
    one::<rest::GetFillsResponse>(body);
    one::<rest::GetPositionsResponse>(body);
    one::<rest::GetBalanceResponse>(body);
    one::<rest::GetSettlementsResponse>(body);
    one::<rest::CreateOrderV2Response>(body);
    one::<rest::BatchCreateOrdersV2Response>(body);
    one::<rest::ExchangeStatus>(body);
    one::<rest::GetExchangeScheduleResponse>(body);
    one::<rest::GetAccountLimitsResponse>(body);
    one::<rest::GetEndpointCostsResponse>(body);
    let err = ApiError::parse(400, body);
    assert!(err.to_string().len() < 2_000, "error text stays bounded");
    let _ = ApiError::from_success_body(200, body);
}

#[test]
fn mutated_rest_bodies_never_panic_the_decoders() {
    let n = count("HOSTILE_BODIES", 10_000);
    let bases = fixtures("rest");
    let mut rng = StdRng::seed_from_u64(0xb0d1e5);
    for i in 0..n {
        try_all(&mutate(&mut rng, &bases[i % bases.len()]));
    }
    eprintln!("{n} REST bodies through {} decoders", 17);
}
