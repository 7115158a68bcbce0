//! Request-signing benchmarks: RSA-2048 through [`Signer`] against the `rsa` crate on the same
//! key, Ed25519 signing, and verification. Run with `cargo bench -p kalshi --bench sign`, and
//! with `--features aws-lc` for the AWS-LC backend (names end in the backend). The requirement
//! is a median of at most 0.5 ms for RSA-2048 through the `Signer`.

use std::{hint::black_box, path::PathBuf};

use base64::{Engine as _, engine::general_purpose::STANDARD};
use criterion::{Criterion, criterion_group, criterion_main};
use kalshi::sign::{CRYPTO_BACKEND, Signer, SigningKey, VerifyingKey};
use rsa::{pkcs1::DecodeRsaPrivateKey as _, sha2::Sha256};

const TIMESTAMP_MS: i64 = 1_703_123_456_789;
const PATH: &str = "/trade-api/v2/portfolio/orders?limit=5";

fn key_file(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/keys")
        .join(name)
}

fn signer(name: &str) -> Signer {
    let key = SigningKey::from_pem_file(key_file(name)).expect("fixture key loads");
    Signer::new("bench-key", key).expect("valid key id")
}

fn bench_sign(c: &mut Criterion) {
    let rsa = signer("rsa2048_pkcs1.pem");
    let ed25519 = signer("ed25519.pem");
    let pem = std::fs::read_to_string(key_file("rsa2048_pkcs1.pem")).expect("fixture readable");
    let rsa_crate_key = rsa::PrivateKey::from_pkcs1_pem(&pem).expect("rsa crate parses fixture");
    let message = kalshi::sign::signing_message("1703123456789", "GET", PATH).expect("valid");

    let mut group = c.benchmark_group("sign");
    group.bench_function(format!("rsa2048_signer_{CRYPTO_BACKEND}"), |b| {
        b.iter(|| {
            rsa.sign_at(TIMESTAMP_MS, "GET", black_box(PATH))
                .expect("signs")
        });
    });
    group.bench_function("rsa2048_rsa_crate", |b| {
        b.iter(|| {
            let signature = rsa_crate_key
                .pss_sign::<Sha256>(black_box(message.as_bytes()))
                .expect("signs");
            STANDARD.encode(signature)
        });
    });
    group.bench_function(format!("ed25519_signer_{CRYPTO_BACKEND}"), |b| {
        b.iter(|| {
            ed25519
                .sign_at(TIMESTAMP_MS, "GET", black_box(PATH))
                .expect("signs")
        });
    });
    group.finish();
}

fn bench_verify(c: &mut Criterion) {
    let mut group = c.benchmark_group("verify");
    for (name, private, public) in [
        ("rsa2048", "rsa2048_pkcs1.pem", "rsa2048_pub.pem"),
        ("ed25519", "ed25519.pem", "ed25519_pub.pem"),
    ] {
        let headers = signer(private)
            .sign_at(TIMESTAMP_MS, "GET", PATH)
            .expect("signs");
        let key = VerifyingKey::from_pem_file(key_file(public)).expect("fixture key loads");
        group.bench_function(format!("{name}_{CRYPTO_BACKEND}"), |b| {
            b.iter(|| {
                key.verify(
                    headers.timestamp(),
                    "GET",
                    black_box(PATH),
                    headers.signature(),
                )
                .expect("verifies")
            });
        });
    }
    group.finish();
}

criterion_group!(benches, bench_sign, bench_verify);
criterion_main!(benches);
