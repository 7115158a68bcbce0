//! The keys `kalshi::sign` generates load in other tools: the `openssl` command line (3.0 and
//! later) reads them, derives the same public key and verifies their signatures, and signs
//! with them in a way we verify. Python's `cryptography` (Kalshi's SDK) reads the same PKCS#8
//! v1 form; `scripts/sdk-check` loads a generated key through it. Keys written by older builds
//! (Ed25519 PKCS#8 v2, public key embedded) still load.

#[path = "support/openssl.rs"]
mod openssl_support;

use std::{fs, path::Path};

use base64::{Engine as _, engine::general_purpose::STANDARD};
use kalshi::sign::{KeyKind, SigningKey, generate_ed25519_pem, generate_rsa_pem};
use openssl_support::{TempDir, openssl};
use rsa::pkcs8::{PrivateKeyInfoRef, der::pem};

const MESSAGE: &str = "1703123456789GET/trade-api/v2/portfolio/balance";

/// Runs openssl and returns its stdout, failing the test with its stderr if it fails.
fn openssl_ok(args: &[&str]) -> String {
    let out = openssl(args);
    assert!(
        out.status.success(),
        "openssl {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Checks that openssl reads the private key file at `key` and derives `ours` as its public
/// key; returns the path of that public key file.
fn openssl_reads_key(dir: &TempDir, key: &Path, ours: &SigningKey) -> std::path::PathBuf {
    let key = key.to_str().unwrap();
    openssl_ok(&["pkey", "-in", key, "-noout"]);
    let public = openssl_ok(&["pkey", "-in", key, "-pubout"]);
    assert_eq!(public, ours.public_key_pem().unwrap(), "public keys differ");
    dir.write("pub.pem", public)
}

#[test]
fn generated_ed25519_key_loads_in_openssl_and_both_sign_alike() {
    let dir = TempDir::new("keygen-ed25519");
    let key_file = dir.write("key.pem", generate_ed25519_pem().unwrap().as_bytes());
    let key = SigningKey::from_pem_file(&key_file).unwrap();
    assert_eq!(key.kind(), KeyKind::Ed25519);
    let pub_file = openssl_reads_key(&dir, &key_file, &key);

    let msg = dir.write("msg.txt", MESSAGE);
    let ours = key.sign(MESSAGE.as_bytes()).unwrap();
    let sig = dir.write("sig.bin", &ours);
    let verified = openssl_ok(&[
        "pkeyutl",
        "-verify",
        "-pubin",
        "-inkey",
        pub_file.to_str().unwrap(),
        "-rawin",
        "-in",
        msg.to_str().unwrap(),
        "-sigfile",
        sig.to_str().unwrap(),
    ]);
    assert!(verified.contains("Signature Verified Successfully"));

    // openssl signs with the same file; Ed25519 is deterministic, so the signatures match.
    let theirs = dir.0.join("theirs.bin");
    openssl_ok(&[
        "pkeyutl",
        "-sign",
        "-inkey",
        key_file.to_str().unwrap(),
        "-rawin",
        "-in",
        msg.to_str().unwrap(),
        "-out",
        theirs.to_str().unwrap(),
    ]);
    assert_eq!(fs::read(&theirs).unwrap(), ours);
}

#[test]
fn generated_rsa_key_loads_in_openssl_and_openssl_signs_what_we_verify() {
    let dir = TempDir::new("keygen-rsa");
    let key_file = dir.write("key.pem", generate_rsa_pem(2048).unwrap().as_bytes());
    let key = SigningKey::from_pem_file(&key_file).unwrap();
    assert_eq!(key.kind(), KeyKind::Rsa { bits: 2048 });
    openssl_reads_key(&dir, &key_file, &key);

    let msg = dir.write("msg.txt", MESSAGE);
    let theirs = dir.0.join("theirs.bin");
    openssl_ok(&[
        "dgst",
        "-sha256",
        "-sigopt",
        "rsa_padding_mode:pss",
        "-sigopt",
        "rsa_pss_saltlen:32",
        "-sign",
        key_file.to_str().unwrap(),
        "-out",
        theirs.to_str().unwrap(),
        msg.to_str().unwrap(),
    ]);
    key.verifying_key()
        .verify(
            "1703123456789",
            "GET",
            "/trade-api/v2/portfolio/balance",
            &STANDARD.encode(fs::read(&theirs).unwrap()),
        )
        .unwrap();
}

#[test]
fn ed25519_pkcs8_v2_key_from_older_builds_still_loads() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/keys/ed25519_pkcs8_v2.pem");
    let text = fs::read_to_string(&path).unwrap();
    let (label, der) = pem::decode_vec(text.as_bytes()).unwrap();
    assert_eq!(label, "PRIVATE KEY");
    let info = PrivateKeyInfoRef::try_from(der.as_slice()).unwrap();
    assert_eq!(
        info.version(),
        rsa::pkcs8::Version::V2,
        "fixture must stay v2"
    );
    let embedded = info.public_key.unwrap();

    let key = SigningKey::from_pem_file(&path).unwrap();
    assert_eq!(key.kind(), KeyKind::Ed25519);
    let derived = key.verifying_key();
    let (_, spki) = pem::decode_vec(derived.to_pem().unwrap().as_bytes()).unwrap();
    assert_eq!(
        spki[spki.len() - 32..],
        *embedded.raw_bytes(),
        "the public key derived from the seed is the one the file embeds"
    );
    let signature = key.sign(MESSAGE.as_bytes()).unwrap();
    derived
        .verify_message(MESSAGE.as_bytes(), &signature)
        .unwrap();
}
