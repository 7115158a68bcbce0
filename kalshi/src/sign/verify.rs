//! Public keys and request verification, for the simulator: [`VerifyingKey`] parses a public key
//! once (SPKI `BEGIN PUBLIC KEY` for RSA or Ed25519, PKCS#1 `BEGIN RSA PUBLIC KEY`) and checks
//! any number of signed requests; [`verify`] is the free-function form.

use std::{fmt, path::Path, sync::Arc};

use base64::{DecodeSliceError, Engine as _, engine::general_purpose::STANDARD};
use rsa::{
    pkcs1::{self, RsaPublicKeyRef},
    pkcs8::{
        AlgorithmIdentifierRef, SubjectPublicKeyInfoRef,
        der::{Encode as _, asn1::BitStringRef},
    },
};

use super::{
    backend::crypto::signature::{
        ED25519, RSA_PSS_2048_8192_SHA256, UnparsedPublicKey, VerificationAlgorithm,
    },
    error::{KeyProblem, SignError, truncate},
    kind::{ED25519_OID, KeyKind, MAX_SIGNATURE_BYTES, RSA_OID, algorithm_name},
    message::signing_message,
    pem,
};

/// A public key that checks Kalshi request signatures. Parse once, verify many times; cheap to
/// clone. `Debug` prints the key kind.
#[derive(Clone, PartialEq, Eq)]
pub struct VerifyingKey {
    kind: KeyKind,
    /// PKCS#1 `RSAPublicKey` DER for RSA, the 32 raw bytes for Ed25519: what the crypto backend takes.
    bytes: Arc<[u8]>,
}

impl VerifyingKey {
    /// Loads a public key from a PEM file.
    ///
    /// # Errors
    /// [`SignError::KeyFile`] naming `path` and the problem (not found, not PEM, a private key,
    /// an unsupported or malformed key).
    pub fn from_pem_file(path: impl AsRef<Path>) -> Result<Self, SignError> {
        pem::load_file(path.as_ref(), Self::parse)
    }

    /// Loads a public key from PEM text.
    ///
    /// # Errors
    /// [`SignError::Key`] with the problem, as for [`from_pem_file`](Self::from_pem_file).
    pub fn from_pem(pem: &str) -> Result<Self, SignError> {
        Self::parse(pem.as_bytes()).map_err(SignError::Key)
    }

    fn parse(text: &[u8]) -> Result<Self, KeyProblem> {
        let block = pem::decode(text)?;
        match block.label.as_str() {
            "PUBLIC KEY" => {
                let spki = SubjectPublicKeyInfoRef::try_from(block.der.as_slice())
                    .map_err(|e| KeyProblem::malformed("SPKI public key", e))?;
                let key = spki.subject_public_key.as_bytes().ok_or_else(|| {
                    KeyProblem::malformed("SPKI public key", "key bit string is not whole bytes")
                })?;
                match spki.algorithm.oid {
                    oid if oid == RSA_OID => Self::parse_rsa_pkcs1(key),
                    oid if oid == ED25519_OID => Self::parse_ed25519(key),
                    oid => Err(KeyProblem::UnsupportedAlgorithm {
                        algorithm: algorithm_name(oid),
                    }),
                }
            }
            "RSA PUBLIC KEY" => Self::parse_rsa_pkcs1(&block.der),
            "RSA PRIVATE KEY"
            | "PRIVATE KEY"
            | "ENCRYPTED PRIVATE KEY"
            | "EC PRIVATE KEY"
            | "OPENSSH PRIVATE KEY" => Err(KeyProblem::ExpectedPublicKey { label: block.label }),
            other => Err(KeyProblem::UnsupportedLabel {
                label: truncate(other),
            }),
        }
    }

    fn parse_rsa_pkcs1(der: &[u8]) -> Result<Self, KeyProblem> {
        let key = RsaPublicKeyRef::try_from(der)
            .map_err(|e| KeyProblem::malformed("RSA public key", e))?;
        let modulus = key.modulus.as_bytes();
        let bits = (modulus.len() * 8)
            .saturating_sub(modulus.first().map_or(0, |b| b.leading_zeros() as usize));
        if !(2048..=4096).contains(&bits) {
            return Err(KeyProblem::UnsupportedRsaSize {
                reason: format!("{bits} bits"),
            });
        }
        Ok(Self::rsa_from_trusted(der, bits))
    }

    fn parse_ed25519(raw: &[u8]) -> Result<Self, KeyProblem> {
        if raw.len() != 32 {
            return Err(KeyProblem::malformed(
                "Ed25519 public key",
                format!("{} bytes, expected 32", raw.len()),
            ));
        }
        Ok(Self::ed25519_from_trusted(raw))
    }

    /// From the PKCS#1 DER the backend reports for a key pair it accepted.
    pub(crate) fn rsa_from_trusted(pkcs1_der: &[u8], bits: usize) -> Self {
        Self {
            kind: KeyKind::Rsa { bits },
            bytes: pkcs1_der.into(),
        }
    }

    /// From the 32 bytes the backend reports for an Ed25519 key pair.
    pub(crate) fn ed25519_from_trusted(raw: &[u8]) -> Self {
        Self {
            kind: KeyKind::Ed25519,
            bytes: raw.into(),
        }
    }

    /// The key's kind (and RSA size).
    #[must_use]
    pub fn kind(&self) -> KeyKind {
        self.kind
    }

    /// Checks the three header values of a request against its method and path. The message is
    /// rebuilt exactly as the signer builds it (see
    /// [`signing_message`](super::signing_message)): `path` must be the full path including
    /// `/trade-api/v2`; a query string in it is stripped, so pass the request's path and query
    /// as received.
    ///
    /// # Errors
    /// [`SignError::InvalidTimestamp`], [`SignError::InvalidMethod`] or
    /// [`SignError::InvalidPath`] for inputs that cannot have been signed;
    /// [`SignError::SignatureEncoding`] if `signature_b64` is not standard base64;
    /// [`SignError::SignatureMismatch`] if the signature does not match.
    pub fn verify(
        &self,
        timestamp: &str,
        method: &str,
        path: &str,
        signature_b64: &str,
    ) -> Result<(), SignError> {
        let message = signing_message(timestamp, method, path)?;
        let mut buf = [0u8; MAX_SIGNATURE_BYTES];
        let signature = match STANDARD.decode_slice(signature_b64, &mut buf) {
            Ok(len) => buf.get(..len).ok_or(SignError::SignatureMismatch)?,
            // Longer than any signature this key can make.
            Err(DecodeSliceError::OutputSliceTooSmall) => return Err(SignError::SignatureMismatch),
            Err(DecodeSliceError::DecodeError(_)) => return Err(SignError::SignatureEncoding),
        };
        self.verify_message(message.as_bytes(), signature)
    }

    /// Checks a raw signature over raw bytes.
    ///
    /// # Errors
    /// [`SignError::SignatureMismatch`] if the signature does not match.
    pub fn verify_message(&self, message: &[u8], signature: &[u8]) -> Result<(), SignError> {
        let algorithm: &'static dyn VerificationAlgorithm = match self.kind {
            KeyKind::Rsa { .. } => &RSA_PSS_2048_8192_SHA256,
            KeyKind::Ed25519 => &ED25519,
        };
        UnparsedPublicKey::new(algorithm, &self.bytes)
            .verify(message, signature)
            .map_err(|_| SignError::SignatureMismatch)
    }

    /// The key as SPKI PEM (`-----BEGIN PUBLIC KEY-----`).
    ///
    /// # Errors
    /// [`SignError::Crypto`] if encoding fails (it should not).
    pub fn to_pem(&self) -> Result<String, SignError> {
        let algorithm = match self.kind {
            KeyKind::Rsa { .. } => pkcs1::ALGORITHM_ID,
            KeyKind::Ed25519 => AlgorithmIdentifierRef {
                oid: ED25519_OID,
                parameters: None,
            },
        };
        let failed = |_| SignError::Crypto {
            operation: "public key encoding",
        };
        let spki = SubjectPublicKeyInfoRef {
            algorithm,
            subject_public_key: BitStringRef::from_bytes(&self.bytes).map_err(failed)?,
        };
        pem::encode("PUBLIC KEY", &spki.to_der().map_err(failed)?)
    }
}

impl fmt::Debug for VerifyingKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VerifyingKey")
            .field("kind", &self.kind)
            .finish_non_exhaustive()
    }
}

/// Checks one signed request; the same as [`VerifyingKey::verify`].
///
/// # Errors
/// As [`VerifyingKey::verify`].
pub fn verify(
    key: &VerifyingKey,
    timestamp: &str,
    method: &str,
    path: &str,
    signature_b64: &str,
) -> Result<(), SignError> {
    key.verify(timestamp, method, path, signature_b64)
}
