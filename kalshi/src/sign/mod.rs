//! Request signing for Kalshi's API keys: [`Signer`] makes the three `KALSHI-ACCESS-*` headers
//! for a method and path, [`VerifyingKey`] checks them (the simulator's side).
//!
//! The signed message is `timestamp_ms + METHOD + path` with no separators
//! ([`signing_message`]): the timestamp is Unix milliseconds as a decimal string (the same string
//! sent in `KALSHI-ACCESS-TIMESTAMP`), the method is uppercased, and the path is the **full** URL
//! path including `/trade-api/v2` (or `/trade-api/ws/v2` for the WebSocket handshake) with the
//! query string stripped. The request body is not signed. RSA keys sign with RSA-PSS, SHA-256,
//! MGF1-SHA-256 and a 32-byte salt; Ed25519 keys sign the same message. The signature is sent as
//! standard base64.
//!
//! Keys are parsed from PEM with the `rsa` crate's `pkcs1`/`pkcs8` decoders; signing and
//! verification use `ring` ([`CRYPTO_BACKEND`]), or AWS-LC through `aws-lc-rs` when the crate's
//! `aws-lc` feature is on. RSA-2048 signing costs about 0.6 ms with `ring`, 0.3 ms with AWS-LC and
//! 3.3 ms with the `rsa` crate (release, `benches/sign.rs`).
//!
//! # Layout
//!
//! - this file: [`Signer`].
//! - `message`: [`signing_message`].
//! - `headers`: the header names ([`KEY_HEADER`], ...) and [`AuthHeaders`].
//! - `key`: [`SigningKey`] from PEM (RSA PKCS#1/PKCS#8, Ed25519 PKCS#8) and key generation
//!   ([`generate_ed25519_pem`], [`generate_rsa_pem`]).
//! - `kind`: [`KeyKind`], the algorithm OIDs and the largest signature size.
//! - `verify`: [`VerifyingKey`] from PEM and [`verify`].
//! - `clock`: the injectable [`TimeSource`], [`LiveTimeSource`] and [`FakeTimeSource`].
//! - `pem`: file reading and PEM decoding shared by both key types.
//! - `error`: [`SignError`] and [`KeyProblem`].
//! - `backend`: the crypto library (`ring` or `aws-lc-rs`) and [`CRYPTO_BACKEND`].
//!
//! # Example
//!
//! ```
//! use std::sync::Arc;
//! use kalshi::sign::{FakeTimeSource, Signer, SigningKey};
//!
//! let key = SigningKey::generate_ed25519()?;
//! let verifier = key.verifying_key();
//! let signer = Signer::new("a952bcbe-ec3b-4b5b-b8f9-11dae589608c", key)?
//!     .with_time_source(Arc::new(FakeTimeSource::new(1_703_123_456_789)));
//! let headers = signer.sign("get", "/trade-api/v2/portfolio/orders?limit=5")?;
//! assert_eq!(headers.timestamp(), "1703123456789");
//! verifier.verify(headers.timestamp(), "GET", "/trade-api/v2/portfolio/orders", headers.signature())?;
//! # Ok::<(), kalshi::sign::SignError>(())
//! ```

mod backend;
mod clock;
mod error;
mod headers;
mod key;
mod kind;
mod message;
mod pem;
mod verify;

use std::{
    fmt,
    path::Path,
    sync::{
        Arc,
        atomic::{AtomicI64, Ordering},
    },
};

pub use self::{
    backend::CRYPTO_BACKEND,
    clock::{FakeTimeSource, LiveTimeSource, TimeSource},
    error::{KeyProblem, SignError},
    headers::{AuthHeaders, KEY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER},
    key::{SigningKey, generate_ed25519_pem, generate_rsa_pem},
    kind::KeyKind,
    message::signing_message,
    verify::{VerifyingKey, verify},
};
use base64::{Engine as _, engine::general_purpose::STANDARD};
/// Wipes its contents on drop; returned by the key generators.
pub use rsa::pkcs8::der::zeroize::Zeroizing;

/// Makes the `KALSHI-ACCESS-*` headers for requests: an API key id, a [`SigningKey`], a
/// [`TimeSource`] (the system clock unless replaced) and a clock offset in milliseconds.
///
/// `Send + Sync`: the offset can be corrected through `&self` while other threads sign.
/// `Debug` prints the key id, key kind and offset, never key material.
pub struct Signer {
    key_id: String,
    key: SigningKey,
    time: Arc<dyn TimeSource>,
    offset_ms: AtomicI64,
}

impl Signer {
    /// A signer for API key `key_id` using the system clock and no offset.
    ///
    /// # Errors
    /// [`SignError::InvalidKeyId`] unless `key_id` is 1-128 visible ASCII characters.
    pub fn new(key_id: impl Into<String>, key: SigningKey) -> Result<Self, SignError> {
        let key_id = key_id.into();
        if key_id.is_empty() || key_id.len() > 128 || !key_id.bytes().all(|b| b.is_ascii_graphic())
        {
            return Err(SignError::invalid_key_id(&key_id));
        }
        Ok(Self {
            key_id,
            key,
            time: Arc::new(LiveTimeSource),
            offset_ms: AtomicI64::new(0),
        })
    }

    /// A signer whose private key is read from a PEM file; see [`SigningKey::from_pem_file`].
    ///
    /// # Errors
    /// [`SignError::KeyFile`] naming the file and the problem, or [`SignError::InvalidKeyId`].
    pub fn from_pem_file(
        key_id: impl Into<String>,
        path: impl AsRef<Path>,
    ) -> Result<Self, SignError> {
        Self::new(key_id, SigningKey::from_pem_file(path)?)
    }

    /// A signer whose private key is given as PEM text; see [`SigningKey::from_pem`].
    ///
    /// # Errors
    /// [`SignError::Key`] with the problem, or [`SignError::InvalidKeyId`].
    pub fn from_pem(key_id: impl Into<String>, pem: &str) -> Result<Self, SignError> {
        Self::new(key_id, SigningKey::from_pem(pem)?)
    }

    /// Replaces the time source (pass an `Arc<FakeTimeSource>` clone to control time in tests).
    #[must_use]
    pub fn with_time_source(mut self, time: impl TimeSource + 'static) -> Self {
        self.time = Arc::new(time);
        self
    }

    /// Sets the clock offset; see [`set_offset_ms`](Self::set_offset_ms).
    #[must_use]
    pub fn with_offset_ms(self, offset_ms: i64) -> Self {
        self.set_offset_ms(offset_ms);
        self
    }

    /// Sets the milliseconds added to the time source's reading: `exchange time - local time`,
    /// positive when the local clock is behind the exchange.
    pub fn set_offset_ms(&self, offset_ms: i64) {
        self.offset_ms.store(offset_ms, Ordering::Relaxed);
    }

    /// The current clock offset in milliseconds.
    #[must_use]
    pub fn offset_ms(&self) -> i64 {
        self.offset_ms.load(Ordering::Relaxed)
    }

    /// The timestamp the next [`sign`](Self::sign) would use: time source plus offset.
    #[must_use]
    pub fn now_ms(&self) -> i64 {
        self.time.now_ms().saturating_add(self.offset_ms())
    }

    /// The API key id sent in `KALSHI-ACCESS-KEY`.
    #[must_use]
    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    /// The private key's kind.
    #[must_use]
    pub fn key_kind(&self) -> KeyKind {
        self.key.kind()
    }

    /// The public half of the key, e.g. to hand to the simulator.
    #[must_use]
    pub fn verifying_key(&self) -> VerifyingKey {
        self.key.verifying_key()
    }

    /// Signs a request at the current time ([`now_ms`](Self::now_ms)).
    ///
    /// `path` is the full path including `/trade-api/v2` (`/trade-api/ws/v2` for the WebSocket
    /// handshake); a query string is allowed and is not signed. See [`signing_message`].
    ///
    /// # Errors
    /// [`SignError::InvalidMethod`], [`SignError::InvalidPath`],
    /// [`SignError::InvalidTimestamp`] (a clock before 1970), or [`SignError::Crypto`].
    pub fn sign(&self, method: &str, path: &str) -> Result<AuthHeaders, SignError> {
        self.sign_at(self.now_ms(), method, path)
    }

    /// Signs a request with an explicit timestamp (no offset applied).
    ///
    /// # Errors
    /// As [`sign`](Self::sign).
    pub fn sign_at(
        &self,
        timestamp_ms: i64,
        method: &str,
        path: &str,
    ) -> Result<AuthHeaders, SignError> {
        let timestamp = timestamp_ms.to_string();
        let message = signing_message(&timestamp, method, path)?;
        let mut buf = [0u8; kind::MAX_SIGNATURE_BYTES];
        let signature = self.key.sign_into(message.as_bytes(), &mut buf)?;
        Ok(AuthHeaders::new(
            self.key_id.clone(),
            timestamp_ms,
            timestamp,
            STANDARD.encode(signature),
        ))
    }
}

impl fmt::Debug for Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Signer")
            .field("key_id", &self.key_id)
            .field("key_kind", &self.key.kind())
            .field("offset_ms", &self.offset_ms())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_id_is_checked() {
        for bad in ["", "has space", "new\nline", &"k".repeat(129)] {
            let key = SigningKey::generate_ed25519().unwrap();
            assert!(
                matches!(Signer::new(bad, key), Err(SignError::InvalidKeyId { .. })),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn signer_is_send_sync_and_debug_is_safe() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Signer>();
        assert_send_sync::<SigningKey>();
        assert_send_sync::<VerifyingKey>();
        let signer = Signer::new("key-1", SigningKey::generate_ed25519().unwrap())
            .unwrap()
            .with_offset_ms(-5);
        assert_eq!(
            format!("{signer:?}"),
            r#"Signer { key_id: "key-1", key_kind: Ed25519, offset_ms: -5, .. }"#
        );
        let headers = signer.sign_at(42, "GET", "/x").unwrap();
        let shown = format!("{headers:?}");
        assert!(!shown.contains(headers.signature()), "{shown}");
        assert_eq!(headers.iter().count(), 3);
    }

    #[test]
    fn negative_timestamps_are_refused() {
        let signer = Signer::new("k", SigningKey::generate_ed25519().unwrap()).unwrap();
        assert!(matches!(
            signer.sign_at(-1, "GET", "/x"),
            Err(SignError::InvalidTimestamp { .. })
        ));
    }
}
