//! Request authentication (kalshi-api.md §2): headers built by hand from
//! `signing_message` + `SigningKey::sign` + base64. An unregistered key, a signature by
//! another key, a timestamp outside the ±30 s skew, and a signature over the path with its
//! query each get 401; RSA-PSS keys work as well as Ed25519 ones.

mod common;

use awc::Client;
use common::{Trader, api_error, read};
use kalshi::{
    rest::GetBalanceResponse,
    sign::{KEY_HEADER, SIGNATURE_HEADER, SigningKey, TIMESTAMP_HEADER, signing_message},
};
use kalshi_sim::SimHandle;

/// Standard base64 with padding (the encoding Kalshi expects for signatures).
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i)) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// Sends `GET path_and_query` with the three headers, signing exactly `message`.
async fn get_signed(
    sim: &SimHandle,
    key_id: &str,
    key: &SigningKey,
    ts: i64,
    message: &str,
    path_and_query: &str,
) -> (u16, Vec<u8>) {
    let signature = base64(&key.sign(message.as_bytes()).expect("sign"));
    let url = format!("{}{}", sim.rest_url(), path_and_query);
    let req = Client::default()
        .get(url)
        .insert_header((KEY_HEADER, key_id))
        .insert_header((TIMESTAMP_HEADER, ts.to_string()))
        .insert_header((SIGNATURE_HEADER, signature));
    read(req.send().await.expect("response")).await
}

/// The documented message for `GET /trade-api/v2{path}` at `ts`.
fn message(ts: i64, path: &str) -> String {
    signing_message(&ts.to_string(), "GET", &format!("/trade-api/v2{path}")).expect("message")
}

fn registered(sim: &SimHandle) -> (String, SigningKey) {
    let key = SigningKey::generate_ed25519().expect("key");
    let pem = key.public_key_pem().expect("pem");
    let ids = sim
        .control()
        .register_account(&pem, "basic", "10.00")
        .expect("register");
    (ids.api_key_id, key)
}

#[actix_rt::test]
async fn hand_built_headers_authenticate() {
    let sim = common::start(common::quiet_config());
    let (id, key) = registered(&sim);
    let ts = now_ms();
    let path = "/portfolio/balance";
    let (status, body) = get_signed(&sim, &id, &key, ts, &message(ts, path), path).await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    let _: GetBalanceResponse = serde_json::from_slice(&body).expect("balance");
}

#[actix_rt::test]
async fn unregistered_key_id_is_401() {
    let sim = common::start(common::quiet_config());
    let (_, key) = registered(&sim);
    let ts = now_ms();
    let path = "/portfolio/balance";
    let answer = get_signed(&sim, "no-such-key", &key, ts, &message(ts, path), path).await;
    let e = api_error(401, answer);
    assert_eq!(e.code, "unauthorized");
    assert!(e.message.contains("not registered"), "{e}");
}

#[actix_rt::test]
async fn signature_by_another_key_is_401() {
    let sim = common::start(common::quiet_config());
    let (id, _) = registered(&sim);
    let stranger = SigningKey::generate_ed25519().expect("key");
    let ts = now_ms();
    let path = "/portfolio/balance";
    let e = api_error(
        401,
        get_signed(&sim, &id, &stranger, ts, &message(ts, path), path).await,
    );
    assert!(e.message.contains("signature"), "{e}");
}

#[actix_rt::test]
async fn timestamps_beyond_the_30_s_skew_are_401_and_within_it_pass() {
    let sim = common::start(common::quiet_config());
    let (id, key) = registered(&sim);
    let path = "/portfolio/balance";
    for (offset_ms, want) in [(-31_000, 401), (31_000, 401), (-25_000, 200), (25_000, 200)] {
        let ts = now_ms() + offset_ms;
        let (status, body) = get_signed(&sim, &id, &key, ts, &message(ts, path), path).await;
        assert_eq!(
            status,
            want,
            "{offset_ms} ms: {}",
            String::from_utf8_lossy(&body)
        );
    }
    let ts = now_ms();
    let seconds = ts / 1000;
    let e = api_error(
        401,
        get_signed(&sim, &id, &key, seconds, &message(seconds, path), path).await,
    );
    assert!(
        e.message.contains("ms away"),
        "seconds are not milliseconds: {e}"
    );
}

#[actix_rt::test]
async fn signing_the_query_string_is_401() {
    let sim = common::start(common::quiet_config());
    let (id, key) = registered(&sim);
    let ts = now_ms();
    let with_query = "/portfolio/orders?limit=5";
    let wrong = format!("{ts}GET/trade-api/v2{with_query}");
    let e = api_error(
        401,
        get_signed(&sim, &id, &key, ts, &wrong, with_query).await,
    );
    assert!(e.message.contains("signature"), "{e}");
    // The same request signed over the bare path passes.
    let right = message(ts, "/portfolio/orders");
    let (status, _) = get_signed(&sim, &id, &key, ts, &right, with_query).await;
    assert_eq!(status, 200);
}

#[actix_rt::test]
async fn missing_headers_on_a_private_endpoint_are_401() {
    let sim = common::start(common::quiet_config());
    let e = api_error(401, common::get_public(&sim, "/portfolio/balance").await);
    assert!(e.message.contains("missing authentication headers"), "{e}");
    let stats = sim.control().stats();
    assert_eq!(stats.sent_401, 1);
}

#[actix_rt::test]
async fn rsa_pss_keys_authenticate() {
    let keys = concat!(env!("CARGO_MANIFEST_DIR"), "/../kalshi/tests/fixtures/keys");
    let public = std::fs::read_to_string(format!("{keys}/rsa2048_pub.pem")).expect("pub");
    let private = SigningKey::from_pem_file(format!("{keys}/rsa2048_pkcs8.pem")).expect("key");
    let sim = common::start(common::quiet_config());
    let ids = sim
        .control()
        .register_account(&public, "basic", "10.00")
        .expect("register");
    let ts = now_ms();
    let path = "/portfolio/balance";
    let (status, body) = get_signed(
        &sim,
        &ids.api_key_id,
        &private,
        ts,
        &message(ts, path),
        path,
    )
    .await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));

    // And through the ordinary signer, for a write.
    let t = Trader::with_key(&sim, private, "basic", "10.00");
    let m = common::open_market(&sim, 0).await;
    t.place(common::order_json(&m, "bid", "0.10", "1.00")).await;
}

#[test]
fn base64_matches_the_rfc_4648_vectors() {
    let cases = [
        ("", ""),
        ("f", "Zg=="),
        ("fo", "Zm8="),
        ("foo", "Zm9v"),
        ("foobar", "Zm9vYmFy"),
    ];
    for (plain, encoded) in cases {
        assert_eq!(base64(plain.as_bytes()), encoded);
    }
}
