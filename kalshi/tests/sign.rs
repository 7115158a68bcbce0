//! Tests of `kalshi::sign` against the fixture keys in `tests/fixtures/keys/` (made with the
//! openssl CLI) and against independent implementations: the `rsa` crate and the `openssl`
//! command line. The openssl tests fail, rather than skip, when `openssl` is not on `PATH`.

#[path = "support/openssl.rs"]
mod openssl_support;

use std::{
    fs,
    path::{Path, PathBuf},
    sync::Arc,
};

use base64::{Engine as _, engine::general_purpose::STANDARD};
use kalshi::sign::{
    FakeTimeSource, KEY_HEADER, KeyKind, KeyProblem, SIGNATURE_HEADER, SignError, Signer,
    SigningKey, TIMESTAMP_HEADER, VerifyingKey, generate_ed25519_pem, signing_message, verify,
};
use openssl_support::{TempDir, openssl};
use rsa::{
    pkcs8::{DecodePrivateKey as _, DecodePublicKey as _},
    pss,
    sha2::Sha256,
    signature::Verifier as _,
};

const KEY_ID: &str = "a952bcbe-ec3b-4b5b-b8f9-11dae589608c";
const TS: i64 = 1_703_123_456_789;
const ORDERS: &str = "/trade-api/v2/portfolio/orders";

fn key_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/keys")
        .join(name)
}

fn signer(name: &str) -> Signer {
    Signer::from_pem_file(KEY_ID, key_path(name)).unwrap()
}

fn public(name: &str) -> VerifyingKey {
    VerifyingKey::from_pem_file(key_path(name)).unwrap()
}

#[test]
fn signs_and_verifies_with_every_fixture_key() {
    let cases = [
        (
            "rsa2048_pkcs1.pem",
            "rsa2048_pub.pem",
            KeyKind::Rsa { bits: 2048 },
        ),
        (
            "rsa2048_pkcs8.pem",
            "rsa2048_pub.pem",
            KeyKind::Rsa { bits: 2048 },
        ),
        (
            "rsa2048_pkcs1.pem",
            "rsa2048_pub_pkcs1.pem",
            KeyKind::Rsa { bits: 2048 },
        ),
        ("ed25519.pem", "ed25519_pub.pem", KeyKind::Ed25519),
    ];
    for (private, public_name, kind) in cases {
        let signer = signer(private);
        assert_eq!(signer.key_kind(), kind, "{private}");
        let key = public(public_name);
        assert_eq!(key.kind(), kind);
        assert_eq!(key, signer.verifying_key(), "{private} vs {public_name}");
        let headers = signer
            .sign("GET", "/trade-api/v2/portfolio/balance")
            .unwrap();
        verify(
            &key,
            headers.timestamp(),
            "GET",
            "/trade-api/v2/portfolio/balance",
            headers.signature(),
        )
        .unwrap();
    }
}

#[test]
fn rsa_signatures_are_randomized_pss_of_modulus_length() {
    let signer = signer("rsa2048_pkcs8.pem");
    let a = signer.sign_at(TS, "GET", ORDERS).unwrap();
    let b = signer.sign_at(TS, "GET", ORDERS).unwrap();
    assert_ne!(a.signature(), b.signature(), "PSS uses a random salt");
    assert_eq!(STANDARD.decode(a.signature()).unwrap().len(), 256);
}

#[test]
fn derived_public_key_pem_matches_openssl_output() {
    for (private, public_name) in [
        ("rsa2048_pkcs1.pem", "rsa2048_pub.pem"),
        ("ed25519.pem", "ed25519_pub.pem"),
    ] {
        let derived = SigningKey::from_pem_file(key_path(private))
            .unwrap()
            .public_key_pem()
            .unwrap();
        assert_eq!(
            derived,
            fs::read_to_string(key_path(public_name)).unwrap(),
            "{private}"
        );
    }
}

#[test]
fn rsa_crate_verifies_our_signature_and_we_verify_its_signature() {
    let message = signing_message(&TS.to_string(), "POST", ORDERS).unwrap();
    let spki = fs::read_to_string(key_path("rsa2048_pub.pem")).unwrap();
    let rsa_public = rsa::PublicKey::from_public_key_pem(&spki).unwrap();
    let rsa_verifier = pss::VerifyingKey::<Sha256>::new(rsa_public);

    let ours = signer("rsa2048_pkcs1.pem")
        .sign_at(TS, "POST", ORDERS)
        .unwrap();
    let bytes = STANDARD.decode(ours.signature()).unwrap();
    let signature = pss::Signature::try_from(bytes.as_slice()).unwrap();
    rsa_verifier.verify(message.as_bytes(), &signature).unwrap();

    let pem = fs::read_to_string(key_path("rsa2048_pkcs8.pem")).unwrap();
    let rsa_private = rsa::PrivateKey::from_pkcs8_pem(&pem).unwrap();
    let theirs = rsa_private.pss_sign::<Sha256>(message.as_bytes()).unwrap();
    public("rsa2048_pub.pem")
        .verify(&TS.to_string(), "POST", ORDERS, &STANDARD.encode(theirs))
        .unwrap();
}

#[test]
fn openssl_verifies_rsa_signature_and_signs_one_we_verify() {
    let dir = TempDir::new("openssl-rsa");
    let headers = signer("rsa2048_pkcs1.pem")
        .sign_at(TS, "DELETE", "/trade-api/v2/portfolio/orders/o-1?x=1")
        .unwrap();
    let message = format!("{TS}DELETE/trade-api/v2/portfolio/orders/o-1");
    let msg = dir.write("msg.txt", &message);
    let sig = dir.write("sig.bin", STANDARD.decode(headers.signature()).unwrap());
    let pss_opts = [
        "-sigopt",
        "rsa_padding_mode:pss",
        "-sigopt",
        "rsa_pss_saltlen:32",
    ];
    let pub_pem = key_path("rsa2048_pub.pem");
    let verify_args = |msg: &Path| {
        let mut args = vec!["dgst", "-sha256"];
        args.extend(pss_opts);
        args.extend([
            "-verify",
            pub_pem.to_str().unwrap(),
            "-signature",
            sig.to_str().unwrap(),
        ]);
        args.push(msg.to_str().unwrap());
        openssl(&args)
    };
    let out = verify_args(&msg);
    assert!(
        out.status.success(),
        "openssl rejected our signature: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("Verified OK"));
    let tampered = dir.write(
        "tampered.txt",
        format!("{}GET/trade-api/v2/portfolio/orders/o-1", TS),
    );
    assert!(
        !verify_args(&tampered).status.success(),
        "openssl must reject a tampered message"
    );

    // And the other way: openssl signs, we verify.
    let theirs = dir.0.join("theirs.bin");
    let mut args = vec!["dgst", "-sha256"];
    args.extend(pss_opts);
    let key = key_path("rsa2048_pkcs8.pem");
    args.extend([
        "-sign",
        key.to_str().unwrap(),
        "-out",
        theirs.to_str().unwrap(),
        msg.to_str().unwrap(),
    ]);
    let out = openssl(&args);
    assert!(
        out.status.success(),
        "openssl sign failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let signature = STANDARD.encode(fs::read(&theirs).unwrap());
    public("rsa2048_pub_pkcs1.pem")
        .verify(
            &TS.to_string(),
            "delete",
            "/trade-api/v2/portfolio/orders/o-1",
            &signature,
        )
        .unwrap();
}

#[test]
fn openssl_verifies_ed25519_signature() {
    let dir = TempDir::new("openssl-ed25519");
    let headers = signer("ed25519.pem")
        .sign_at(TS, "GET", "/trade-api/ws/v2")
        .unwrap();
    let msg = dir.write("msg.txt", format!("{TS}GET/trade-api/ws/v2"));
    let sig = dir.write("sig.bin", STANDARD.decode(headers.signature()).unwrap());
    let pub_pem = key_path("ed25519_pub.pem");
    let out = openssl(&[
        "pkeyutl",
        "-verify",
        "-pubin",
        "-inkey",
        pub_pem.to_str().unwrap(),
        "-rawin",
        "-in",
        msg.to_str().unwrap(),
        "-sigfile",
        sig.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "openssl rejected our signature: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("Signature Verified Successfully"));
}

#[test]
fn documented_example_message_and_header_set() {
    assert_eq!(
        signing_message(
            "1703123456789",
            "GET",
            "/trade-api/v2/portfolio/orders?limit=5"
        )
        .unwrap(),
        "1703123456789GET/trade-api/v2/portfolio/orders"
    );
    let clock = Arc::new(FakeTimeSource::new(TS));
    let signer = signer("ed25519.pem").with_time_source(clock.clone());
    let headers = signer
        .sign("get", "/trade-api/v2/portfolio/orders?limit=5")
        .unwrap();
    assert_eq!(headers.key_id(), KEY_ID);
    assert_eq!(headers.timestamp(), "1703123456789");
    assert_eq!(headers.timestamp_ms(), TS);
    let names: Vec<_> = headers.iter().map(|(name, _)| name).collect();
    assert_eq!(names, [KEY_HEADER, TIMESTAMP_HEADER, SIGNATURE_HEADER]);
    assert_eq!(
        names,
        [
            "KALSHI-ACCESS-KEY",
            "KALSHI-ACCESS-TIMESTAMP",
            "KALSHI-ACCESS-SIGNATURE"
        ]
    );
    // Lowercase method signs as GET; the query is not signed.
    let key = public("ed25519_pub.pem");
    let message = b"1703123456789GET/trade-api/v2/portfolio/orders";
    key.verify_message(message, &STANDARD.decode(headers.signature()).unwrap())
        .unwrap();
    // Ed25519 is deterministic, so the exact signature is reproducible.
    let direct = SigningKey::from_pem_file(key_path("ed25519.pem"))
        .unwrap()
        .sign(message)
        .unwrap();
    assert_eq!(headers.signature(), STANDARD.encode(direct));
}

#[test]
fn websocket_handshake_path_signs() {
    let signer = signer("rsa2048_pkcs8.pem");
    let headers = signer.sign_at(TS, "GET", "/trade-api/ws/v2").unwrap();
    let key = public("rsa2048_pub.pem");
    key.verify(
        headers.timestamp(),
        "GET",
        "/trade-api/ws/v2",
        headers.signature(),
    )
    .unwrap();
    let wrong = key.verify(
        headers.timestamp(),
        "GET",
        "/trade-api/v2",
        headers.signature(),
    );
    assert!(matches!(wrong, Err(SignError::SignatureMismatch)));
}

#[test]
fn fake_clock_and_offset_set_the_timestamp() {
    let clock = Arc::new(FakeTimeSource::new(TS));
    let signer = signer("ed25519.pem")
        .with_time_source(clock.clone())
        .with_offset_ms(250);
    assert_eq!(
        signer.sign("GET", ORDERS).unwrap().timestamp(),
        "1703123457039"
    );
    clock.advance(1_000);
    signer.set_offset_ms(-789);
    assert_eq!(signer.offset_ms(), -789);
    assert_eq!(signer.now_ms(), 1_703_123_457_000);
    let headers = signer.sign("GET", ORDERS).unwrap();
    assert_eq!(headers.timestamp(), "1703123457000");
    public("ed25519_pub.pem")
        .verify("1703123457000", "GET", ORDERS, headers.signature())
        .unwrap();
    // sign_at takes the timestamp as given.
    assert_eq!(signer.sign_at(5, "GET", ORDERS).unwrap().timestamp(), "5");
}

#[test]
fn verify_rejects_tampering() {
    let headers = signer("rsa2048_pkcs1.pem")
        .sign_at(TS, "GET", ORDERS)
        .unwrap();
    let (ts, sig) = (headers.timestamp(), headers.signature());
    let key = public("rsa2048_pub.pem");
    key.verify(ts, "GET", ORDERS, sig).unwrap();

    let mismatch = |r: Result<(), SignError>| matches!(r, Err(SignError::SignatureMismatch));
    let mut bytes = STANDARD.decode(sig).unwrap();
    bytes[100] ^= 1;
    assert!(
        mismatch(key.verify(ts, "GET", ORDERS, &STANDARD.encode(&bytes))),
        "flipped bit"
    );
    assert!(
        mismatch(key.verify("1703123456790", "GET", ORDERS, sig)),
        "timestamp"
    );
    assert!(mismatch(key.verify(ts, "POST", ORDERS, sig)), "method");
    assert!(
        mismatch(key.verify(ts, "GET", "/trade-api/v2/portfolio/order", sig)),
        "path"
    );
    assert!(
        mismatch(public("ed25519_pub.pem").verify(ts, "GET", ORDERS, sig)),
        "wrong key type"
    );
    let other = signer("rsa2048_other_pkcs8.pem").verifying_key();
    assert!(mismatch(other.verify(ts, "GET", ORDERS, sig)), "wrong key");
    assert!(
        mismatch(key.verify(ts, "GET", ORDERS, &STANDARD.encode([0u8; 600]))),
        "too long"
    );
    assert!(matches!(
        key.verify(ts, "GET", ORDERS, "not base64!"),
        Err(SignError::SignatureEncoding)
    ));
    assert!(matches!(
        key.verify("", "GET", ORDERS, sig),
        Err(SignError::InvalidTimestamp { .. })
    ));

    // A client that wrongly signs the query string is rejected.
    let with_query = format!("{TS}GET{ORDERS}?limit=5");
    let raw = SigningKey::from_pem_file(key_path("rsa2048_pkcs1.pem"))
        .unwrap()
        .sign(with_query.as_bytes())
        .unwrap();
    key.verify_message(with_query.as_bytes(), &raw).unwrap();
    assert!(mismatch(key.verify(
        ts,
        "GET",
        &format!("{ORDERS}?limit=5"),
        &STANDARD.encode(&raw)
    )));
}

/// Asserts the error names `path`, mentions `problem`, and quotes none of the file's body.
fn assert_key_file_error(err: SignError, path: &Path, problem: &str) {
    let text = err.to_string();
    assert!(matches!(err, SignError::KeyFile { .. }), "{text}");
    assert!(
        text.contains(&path.display().to_string()),
        "no path in: {text}"
    );
    assert!(text.contains(problem), "expected {problem:?} in: {text}");
    let debug = format!("{err:?}");
    for line in fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.starts_with("-----"))
    {
        assert!(
            !text.contains(line) && !debug.contains(line),
            "key bytes leaked: {text}"
        );
    }
}

#[test]
fn bad_private_key_files_are_named_with_the_problem() {
    let dir = TempDir::new("bad-keys");
    let cases: Vec<(PathBuf, &str)> = vec![
        (dir.0.join("missing.pem"), "not found"),
        (dir.0.clone(), "is a directory"),
        (key_path("garbage.pem"), "malformed RSA PKCS#1 private key"),
        (
            key_path("rsa2048_pub.pem"),
            "holds a public key (-----BEGIN PUBLIC KEY-----)",
        ),
        (key_path("rsa2048_pub_pkcs1.pem"), "holds a public key"),
        (key_path("ec_p256.pem"), "unsupported key type EC (ECDSA)"),
        (key_path("rsa1024_pkcs1.pem"), "unsupported RSA key size"),
        (dir.write("empty.pem", ""), "empty"),
        (
            dir.write("text.pem", "my api key is in the other file\n"),
            "not PEM",
        ),
        (
            dir.write(
                "cert.pem",
                "-----BEGIN CERTIFICATE-----\nAAEC\n-----END CERTIFICATE-----\n",
            ),
            "unsupported PEM type",
        ),
        (
            dir.write(
                "bad64.pem",
                "-----BEGIN PRIVATE KEY-----\n@@@@\n-----END PRIVATE KEY-----\n",
            ),
            "malformed PEM",
        ),
    ];
    for (path, problem) in cases {
        let err = SigningKey::from_pem_file(&path).unwrap_err();
        assert_key_file_error(err, &path, problem);
    }
    let err = Signer::from_pem_file(KEY_ID, key_path("garbage.pem")).unwrap_err();
    assert!(matches!(
        err,
        SignError::KeyFile {
            problem: KeyProblem::Malformed { .. },
            ..
        }
    ));
}

#[cfg(unix)]
#[test]
fn unreadable_key_file_reports_permission_denied() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = TempDir::new("perm");
    let path = dir.write("locked.pem", fs::read(key_path("ed25519.pem")).unwrap());
    fs::set_permissions(&path, fs::Permissions::from_mode(0o000)).unwrap();
    if fs::read(&path).is_ok() {
        eprintln!("running as root: permissions are not enforced, checking the message only");
        let problem = KeyProblem::PermissionDenied.to_string();
        assert_eq!(problem, "permission denied");
        return;
    }
    assert_key_file_error(
        SigningKey::from_pem_file(&path).unwrap_err(),
        &path,
        "permission denied",
    );
}

#[test]
fn bad_public_key_files_are_named_with_the_problem() {
    for (name, problem) in [
        ("rsa2048_pkcs1.pem", "holds a private key"),
        ("ed25519.pem", "holds a private key"),
        ("garbage.pem", "holds a private key"),
    ] {
        let path = key_path(name);
        assert_key_file_error(
            VerifyingKey::from_pem_file(&path).unwrap_err(),
            &path,
            problem,
        );
    }
    let err =
        VerifyingKey::from_pem("-----BEGIN PUBLIC KEY-----\nAAEC\n-----END PUBLIC KEY-----\n")
            .unwrap_err();
    assert!(
        err.to_string()
            .starts_with("key: malformed SPKI public key"),
        "{err}"
    );
}

#[test]
fn keys_load_from_pem_strings_including_crlf() {
    let pem = fs::read_to_string(key_path("rsa2048_pkcs8.pem")).unwrap();
    let from_string = Signer::from_pem(KEY_ID, &pem.replace('\n', "\r\n")).unwrap();
    assert_eq!(from_string.verifying_key(), public("rsa2048_pub.pem"));
    let err = SigningKey::from_pem("not a key").unwrap_err();
    assert!(
        matches!(err, SignError::Key(KeyProblem::NotPem { .. })),
        "{err}"
    );
    assert_eq!(
        format!("{from_string:?}"),
        format!(
            "Signer {{ key_id: {KEY_ID:?}, key_kind: Rsa {{ bits: 2048 }}, offset_ms: 0, .. }}"
        )
    );
    assert_eq!(from_string.key_kind().to_string(), "RSA-2048");
}

#[test]
fn generated_ed25519_key_round_trips_through_pem() {
    let private_pem = generate_ed25519_pem().unwrap();
    assert!(private_pem.starts_with("-----BEGIN PRIVATE KEY-----\n"));
    let signer = Signer::from_pem(KEY_ID, &private_pem).unwrap();
    let public_key = VerifyingKey::from_pem(&signer.verifying_key().to_pem().unwrap()).unwrap();
    let headers = signer
        .sign("PUT", "/trade-api/v2/portfolio/orders/o-1/amend")
        .unwrap();
    public_key
        .verify(
            headers.timestamp(),
            "PUT",
            "/trade-api/v2/portfolio/orders/o-1/amend",
            headers.signature(),
        )
        .unwrap();
}

#[test]
fn generated_rsa_key_signs_and_verifies() {
    let key = SigningKey::generate_rsa(2048).unwrap();
    assert_eq!(key.kind(), KeyKind::Rsa { bits: 2048 });
    let public_key = VerifyingKey::from_pem(&key.public_key_pem().unwrap()).unwrap();
    let headers = Signer::new(KEY_ID, key)
        .unwrap()
        .sign("GET", ORDERS)
        .unwrap();
    public_key
        .verify(headers.timestamp(), "GET", ORDERS, headers.signature())
        .unwrap();
}
