//! Private keys: [`SigningKey`] (RSA or Ed25519, loaded from PEM) and fresh key generation
//! ([`generate_ed25519_pem`], [`generate_rsa_pem`]). What kind of key it is lives in
//! [`kind`](super::kind).
//!
//! PEM is parsed with the `rsa` crate's `pkcs1`/`pkcs8` re-exports and the DER is handed to the
//! crypto backend (`ring`, or `aws-lc-rs`; see [`CRYPTO_BACKEND`](super::CRYPTO_BACKEND)), whose
//! RSA-PSS signing is 5 to 10 times faster than the `rsa` crate's. The key type is detected from
//! the PEM label and, for PKCS#8, the algorithm OID.

use std::{fmt, path::Path, sync::Arc};

use rsa::{
    pkcs8::{EncodePrivateKey as _, LineEnding, PrivateKeyInfoRef, der::zeroize::Zeroizing},
    rand_core::{TryCryptoRng, TryRng},
};

use super::{
    backend::crypto::{
        error::KeyRejected,
        rand::{SecureRandom, SystemRandom},
        signature::{Ed25519KeyPair, KeyPair as _, RSA_PSS_SHA256, RsaKeyPair},
    },
    error::{KeyProblem, SignError},
    kind::{ED25519_OID, KeyKind, MAX_SIGNATURE_BYTES, RSA_OID, algorithm_name},
    pem,
    verify::VerifyingKey,
};

/// A private key ready to sign: RSA (PKCS#1 or PKCS#8 PEM, 2048-4096 bits) or Ed25519 (PKCS#8
/// PEM). Cheap to clone (shared). `Debug` prints only the key kind.
#[derive(Clone)]
pub struct SigningKey {
    pair: Arc<KeyPair>,
    rng: SystemRandom,
}

enum KeyPair {
    Rsa(RsaKeyPair),
    Ed25519(Ed25519KeyPair),
}

impl SigningKey {
    /// Loads a private key from a PEM file (`BEGIN RSA PRIVATE KEY` or `BEGIN PRIVATE KEY`).
    ///
    /// # Errors
    /// [`SignError::KeyFile`] naming `path` and the problem: not found, permission denied, a
    /// directory, not PEM, a public key, an unsupported or malformed key.
    pub fn from_pem_file(path: impl AsRef<Path>) -> Result<Self, SignError> {
        pem::load_file(path.as_ref(), Self::parse)
    }

    /// Loads a private key from PEM text (for a key passed in memory or through the environment).
    ///
    /// # Errors
    /// [`SignError::Key`] with the problem, as for [`from_pem_file`](Self::from_pem_file).
    pub fn from_pem(pem: &str) -> Result<Self, SignError> {
        Self::parse(pem.as_bytes()).map_err(SignError::Key)
    }

    /// A fresh Ed25519 key (fast: microseconds).
    ///
    /// # Errors
    /// [`SignError::Crypto`] if the system RNG fails.
    pub fn generate_ed25519() -> Result<Self, SignError> {
        Self::from_pem(&generate_ed25519_pem()?)
    }

    /// A fresh RSA key of `bits` (2048 to 4096) bits. Slow and variable (prime search: tens of
    /// milliseconds to seconds for 2048 bits); prefer
    /// [`generate_ed25519`](Self::generate_ed25519) when the key type is free.
    ///
    /// # Errors
    /// [`SignError::UnsupportedKeySize`] or [`SignError::Crypto`].
    pub fn generate_rsa(bits: usize) -> Result<Self, SignError> {
        Self::from_pem(&generate_rsa_pem(bits)?)
    }

    fn parse(text: &[u8]) -> Result<Self, KeyProblem> {
        let block = pem::decode(text)?;
        let pair = match block.label.as_str() {
            "RSA PRIVATE KEY" => KeyPair::Rsa(
                RsaKeyPair::from_der(&block.der)
                    .map_err(|e| rsa_rejected("RSA PKCS#1 private key", e))?,
            ),
            "PRIVATE KEY" => parse_pkcs8(&block.der)?,
            "ENCRYPTED PRIVATE KEY" => return Err(KeyProblem::Encrypted { label: block.label }),
            "PUBLIC KEY" | "RSA PUBLIC KEY" => {
                return Err(KeyProblem::ExpectedPrivateKey { label: block.label });
            }
            "EC PRIVATE KEY" => {
                return Err(KeyProblem::UnsupportedAlgorithm {
                    algorithm: "EC (ECDSA)".to_owned(),
                });
            }
            other => {
                return Err(KeyProblem::UnsupportedLabel {
                    label: super::error::truncate(other),
                });
            }
        };
        if let KeyPair::Rsa(rsa) = &pair {
            let bits = modulus_len(rsa) * 8;
            if !(2048..=4096).contains(&bits) {
                return Err(KeyProblem::UnsupportedRsaSize {
                    reason: format!("{bits} bits"),
                });
            }
        }
        Ok(Self {
            pair: Arc::new(pair),
            rng: SystemRandom::new(),
        })
    }

    /// The key's kind (and RSA size).
    #[must_use]
    pub fn kind(&self) -> KeyKind {
        match &*self.pair {
            KeyPair::Rsa(pair) => KeyKind::Rsa {
                bits: modulus_len(pair) * 8,
            },
            KeyPair::Ed25519(_) => KeyKind::Ed25519,
        }
    }

    /// Signs `message` as Kalshi expects: RSA-PSS/SHA-256/MGF1-SHA-256/salt 32 for RSA keys
    /// (randomized: two signatures of one message differ), plain Ed25519 for Ed25519 keys.
    ///
    /// # Errors
    /// [`SignError::Crypto`] if the crypto library or its RNG fails.
    pub fn sign(&self, message: &[u8]) -> Result<Vec<u8>, SignError> {
        let mut buf = [0u8; MAX_SIGNATURE_BYTES];
        Ok(self.sign_into(message, &mut buf)?.to_vec())
    }

    /// Signs into `buf` and returns the signature, a prefix of `buf`.
    pub(crate) fn sign_into<'b>(
        &self,
        message: &[u8],
        buf: &'b mut [u8; MAX_SIGNATURE_BYTES],
    ) -> Result<&'b [u8], SignError> {
        match &*self.pair {
            KeyPair::Rsa(pair) => {
                let failed = || SignError::Crypto {
                    operation: "RSA signing",
                };
                // The key was checked to be at most 4096 bits, so this always fits.
                let out = buf.get_mut(..modulus_len(pair)).ok_or_else(failed)?;
                pair.sign(&RSA_PSS_SHA256, &self.rng, message, out)
                    .map_err(|_| failed())?;
                Ok(out)
            }
            KeyPair::Ed25519(pair) => {
                let signature = pair.sign(message);
                let bytes = signature.as_ref();
                let out = buf.get_mut(..bytes.len()).ok_or(SignError::Crypto {
                    operation: "Ed25519 signing",
                })?;
                out.copy_from_slice(bytes);
                Ok(out)
            }
        }
    }

    /// The matching public key, for verification.
    #[must_use]
    pub fn verifying_key(&self) -> VerifyingKey {
        match &*self.pair {
            KeyPair::Rsa(pair) => {
                let bits = modulus_len(pair) * 8;
                VerifyingKey::rsa_from_trusted(pair.public_key().as_ref(), bits)
            }
            KeyPair::Ed25519(pair) => {
                VerifyingKey::ed25519_from_trusted(pair.public_key().as_ref())
            }
        }
    }

    /// The public key as SPKI PEM (`-----BEGIN PUBLIC KEY-----`), the form Kalshi's
    /// `POST /api_keys` takes and the simulator loads.
    ///
    /// # Errors
    /// [`SignError::Crypto`] if encoding fails (it should not).
    pub fn public_key_pem(&self) -> Result<String, SignError> {
        self.verifying_key().to_pem()
    }
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey")
            .field("kind", &self.kind())
            .finish_non_exhaustive()
    }
}

/// The RSA modulus length in bytes (the two backends spell this differently).
fn modulus_len(pair: &RsaKeyPair) -> usize {
    #[cfg(feature = "aws-lc")]
    let len = pair.public_modulus_len();
    #[cfg(not(feature = "aws-lc"))]
    let len = pair.public().modulus_len();
    len
}

fn parse_pkcs8(der: &[u8]) -> Result<KeyPair, KeyProblem> {
    let info = PrivateKeyInfoRef::try_from(der)
        .map_err(|e| KeyProblem::malformed("PKCS#8 private key", e))?;
    let oid = info.algorithm.oid;
    if oid == RSA_OID {
        RsaKeyPair::from_pkcs8(der)
            .map(KeyPair::Rsa)
            .map_err(|e| rsa_rejected("RSA PKCS#8 private key", e))
    } else if oid == ED25519_OID {
        // OpenSSL writes PKCS#8 v1 (no public key); `from_pkcs8` would demand v2.
        Ed25519KeyPair::from_pkcs8_maybe_unchecked(der)
            .map(KeyPair::Ed25519)
            .map_err(|e| KeyProblem::malformed("Ed25519 PKCS#8 private key", e))
    } else {
        Err(KeyProblem::UnsupportedAlgorithm {
            algorithm: algorithm_name(oid),
        })
    }
}

fn rsa_rejected(what: &'static str, err: KeyRejected) -> KeyProblem {
    let reason = err.to_string();
    if reason == "TooSmall" || reason == "TooLarge" {
        KeyProblem::UnsupportedRsaSize { reason }
    } else {
        KeyProblem::malformed(what, reason)
    }
}

/// The DER of an Ed25519 PKCS#8 v1 `PrivateKeyInfo` (RFC 8410 section 7) up to the 32-byte
/// seed, which follows it and ends the structure:
///
/// ```text
/// 30 2e             SEQUENCE, 46 bytes
///    02 01 00       INTEGER 0 (version v1: no public key follows)
///    30 05          SEQUENCE (AlgorithmIdentifier)
///       06 03 2b6570   OID 1.3.101.112 (id-Ed25519), no parameters
///    04 22          OCTET STRING, 34 bytes (privateKey)
///       04 20       OCTET STRING, 32 bytes (CurvePrivateKey): the seed
/// ```
const ED25519_PKCS8_V1_PREFIX: [u8; 16] = [
    0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
];

/// Length of an Ed25519 seed (the private key proper).
const ED25519_SEED_BYTES: usize = 32;

/// A fresh Ed25519 private key as PKCS#8 v1 PEM (`-----BEGIN PRIVATE KEY-----`), the form
/// `openssl genpkey -algorithm ed25519` writes and every reader loads (OpenSSL 3.0, Python's
/// `cryptography`, which Kalshi's Python SDK uses, Go, Node). The crypto backends' own
/// `generate_pkcs8` writes v2 (RFC 5958, public key embedded), which OpenSSL 3.0 and
/// `cryptography` refuse.
///
/// # Errors
/// [`SignError::Crypto`] if the system RNG fails.
pub fn generate_ed25519_pem() -> Result<Zeroizing<String>, SignError> {
    let mut der = Zeroizing::new([0u8; ED25519_PKCS8_V1_PREFIX.len() + ED25519_SEED_BYTES]);
    let (prefix, seed) = der.split_at_mut(ED25519_PKCS8_V1_PREFIX.len());
    prefix.copy_from_slice(&ED25519_PKCS8_V1_PREFIX);
    SystemRandom::new()
        .fill(seed)
        .map_err(|_| SignError::Crypto {
            operation: "Ed25519 key generation",
        })?;
    pem::encode("PRIVATE KEY", der.as_slice()).map(Zeroizing::new)
}

/// A fresh RSA private key of `bits` bits (2048 to 4096) as PKCS#8 PEM, generated by the `rsa`
/// crate from the system RNG. Slow and variable; see [`SigningKey::generate_rsa`].
///
/// # Errors
/// [`SignError::UnsupportedKeySize`] outside 2048 to 4096 bits; [`SignError::Crypto`]
/// if generation fails.
pub fn generate_rsa_pem(bits: usize) -> Result<Zeroizing<String>, SignError> {
    if !(2048..=4096).contains(&bits) {
        return Err(SignError::UnsupportedKeySize { bits });
    }
    let failed = SignError::Crypto {
        operation: "RSA key generation",
    };
    let key =
        rsa::PrivateKey::new(&mut SystemRng(SystemRandom::new()), bits).map_err(|_| failed)?;
    key.to_pkcs8_pem(LineEnding::LF)
        .map_err(|_| SignError::Crypto {
            operation: "RSA key encoding",
        })
}

/// The backend's system RNG, seen through `rand_core` so the `rsa` crate can generate keys with it.
struct SystemRng(SystemRandom);

/// The system RNG failed.
#[derive(Debug)]
struct RngFailed;

impl fmt::Display for RngFailed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("system RNG failed")
    }
}

impl core::error::Error for RngFailed {}

impl TryRng for SystemRng {
    type Error = RngFailed;

    fn try_next_u32(&mut self) -> Result<u32, RngFailed> {
        let mut bytes = [0; 4];
        self.try_fill_bytes(&mut bytes)?;
        Ok(u32::from_le_bytes(bytes))
    }

    fn try_next_u64(&mut self) -> Result<u64, RngFailed> {
        let mut bytes = [0; 8];
        self.try_fill_bytes(&mut bytes)?;
        Ok(u64::from_le_bytes(bytes))
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), RngFailed> {
        self.0.fill(dst).map_err(|_| RngFailed)
    }
}

impl TryCryptoRng for SystemRng {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_ed25519_key_signs_and_verifies() {
        let key = SigningKey::generate_ed25519().unwrap();
        assert_eq!(key.kind(), KeyKind::Ed25519);
        let signature = key.sign(b"message").unwrap();
        assert_eq!(signature.len(), 64);
        key.verifying_key()
            .verify_message(b"message", &signature)
            .unwrap();
        // Ed25519 is deterministic.
        assert_eq!(signature, key.sign(b"message").unwrap());
    }

    #[test]
    fn generated_ed25519_pem_is_pkcs8_v1_with_the_seed_only() {
        let pem = generate_ed25519_pem().unwrap();
        let block = pem::decode(pem.as_bytes()).unwrap();
        assert_eq!(block.label, "PRIVATE KEY");
        assert_eq!(block.der.len(), 48);
        let info = PrivateKeyInfoRef::try_from(block.der.as_slice()).unwrap();
        assert_eq!(info.version(), rsa::pkcs8::Version::V1);
        assert_eq!(info.algorithm.oid, ED25519_OID);
        assert!(info.algorithm.parameters.is_none());
        assert!(info.public_key.is_none());
        let private_key = info.private_key.as_bytes();
        assert_eq!(private_key.len(), 34);
        assert_eq!(
            &private_key[..2],
            &[0x04, 0x20],
            "CurvePrivateKey OCTET STRING"
        );
        // Two keys differ (the seed is random).
        assert_ne!(pem.as_str(), generate_ed25519_pem().unwrap().as_str());
    }

    #[test]
    fn rsa_generation_refuses_unsupported_sizes() {
        assert!(matches!(
            generate_rsa_pem(1024),
            Err(SignError::UnsupportedKeySize { bits: 1024 })
        ));
        assert!(matches!(
            generate_rsa_pem(8192),
            Err(SignError::UnsupportedKeySize { bits: 8192 })
        ));
    }

    #[test]
    fn debug_shows_only_the_kind() {
        let key = SigningKey::generate_ed25519().unwrap();
        assert_eq!(format!("{key:?}"), "SigningKey { kind: Ed25519, .. }");
    }
}
