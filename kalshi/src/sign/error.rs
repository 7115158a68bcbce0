//! Errors of the signing module: [`SignError`] for everything a caller can get back, and
//! [`KeyProblem`] for what is wrong with a key file or PEM string.
//!
//! No message here ever carries key material, decoded key bytes or a signature: a key problem
//! names the file (when there is one), the PEM label or algorithm, and the reason; a request
//! problem quotes the method or path (public data, truncated to 64 characters).

use std::{io, path::PathBuf};

/// What went wrong while signing a request, verifying one, or loading a key.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SignError {
    /// A key file could not be used; `problem` says why.
    #[error("key file {}: {problem}", path.display())]
    KeyFile {
        /// The file as given by the caller.
        path: PathBuf,
        /// What is wrong with it.
        problem: KeyProblem,
    },
    /// A key given in memory (a PEM string) could not be used.
    #[error("key: {0}")]
    Key(KeyProblem),
    /// The API key id is empty or holds characters a header value cannot carry.
    #[error("invalid API key id {key_id:?}: must be 1-128 visible ASCII characters")]
    InvalidKeyId {
        /// The refused id, truncated to 64 characters.
        key_id: String,
    },
    /// The request path does not start with `/` (it must be the full path, for example
    /// `/trade-api/v2/portfolio/balance`, not a URL or a path relative to `/trade-api/v2`).
    #[error("invalid request path {path:?}: must start with '/' and include /trade-api/v2")]
    InvalidPath {
        /// The refused path, truncated to 64 characters.
        path: String,
    },
    /// The HTTP method is empty or not made of ASCII letters.
    #[error("invalid HTTP method {method:?}: must be 1-16 ASCII letters")]
    InvalidMethod {
        /// The refused method, truncated to 64 characters.
        method: String,
    },
    /// The timestamp is negative or not a decimal count of milliseconds.
    #[error("invalid timestamp {timestamp:?}: must be Unix milliseconds as 1-19 decimal digits")]
    InvalidTimestamp {
        /// The refused timestamp, truncated to 64 characters.
        timestamp: String,
    },
    /// The signature header is not standard base64.
    #[error("signature is not standard base64")]
    SignatureEncoding,
    /// The signature does not match the message and key.
    #[error("signature does not verify")]
    SignatureMismatch,
    /// Key generation was asked for a size this module cannot sign with.
    #[error("unsupported RSA key size {bits} bits: must be 2048 to 4096")]
    UnsupportedKeySize {
        /// The requested size.
        bits: usize,
    },
    /// The cryptographic library failed (for example the system RNG was unavailable).
    #[error("{operation} failed in the crypto library")]
    Crypto {
        /// What was being done: `"RSA signing"`, `"key generation"`, ...
        operation: &'static str,
    },
}

impl SignError {
    /// `true` when the error is about a request's signature or signing input (the client sent a
    /// bad request), `false` when it is about a key or the crypto library (our set-up is broken).
    #[must_use]
    pub fn is_request_error(&self) -> bool {
        matches!(
            self,
            Self::InvalidPath { .. }
                | Self::InvalidMethod { .. }
                | Self::InvalidTimestamp { .. }
                | Self::SignatureEncoding
                | Self::SignatureMismatch
        )
    }

    pub(crate) fn invalid_path(path: &str) -> Self {
        Self::InvalidPath {
            path: truncate(path),
        }
    }

    pub(crate) fn invalid_method(method: &str) -> Self {
        Self::InvalidMethod {
            method: truncate(method),
        }
    }

    pub(crate) fn invalid_timestamp(timestamp: &str) -> Self {
        Self::InvalidTimestamp {
            timestamp: truncate(timestamp),
        }
    }

    pub(crate) fn invalid_key_id(key_id: &str) -> Self {
        Self::InvalidKeyId {
            key_id: truncate(key_id),
        }
    }
}

/// What is wrong with a key file or a PEM string. Never holds key bytes.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum KeyProblem {
    /// The file does not exist.
    #[error("not found")]
    NotFound,
    /// The file exists but this process may not read it.
    #[error("permission denied")]
    PermissionDenied,
    /// The path names a directory.
    #[error("is a directory, not a key file")]
    IsDirectory,
    /// Any other I/O failure while reading the file.
    #[error("cannot read: {0}")]
    Io(io::Error),
    /// The file or string is empty (or only whitespace).
    #[error("empty, expected a PEM key")]
    Empty,
    /// No `-----BEGIN ...-----` line; `hint` may say what the content looks like instead.
    #[error("not PEM (no '-----BEGIN' line){hint}")]
    NotPem {
        /// Empty, or a sentence starting with `"; "` about what was found.
        hint: &'static str,
    },
    /// A PEM envelope whose body or boundaries are broken.
    #[error("malformed PEM: {0}")]
    MalformedPem(String),
    /// The key is encrypted with a passphrase.
    #[error(
        "encrypted private key ({label}) is not supported; decrypt it first: \
         openssl pkey -in KEY -out PLAIN.pem"
    )]
    Encrypted {
        /// The PEM label (or `"Proc-Type: 4,ENCRYPTED"` for legacy encrypted PEM).
        label: String,
    },
    /// A public key was given where a private key is needed.
    #[error("holds a public key (-----BEGIN {label}-----), expected a private key")]
    ExpectedPrivateKey {
        /// The PEM label found.
        label: String,
    },
    /// A private key was given where a public key is needed.
    #[error("holds a private key (-----BEGIN {label}-----), expected a public key")]
    ExpectedPublicKey {
        /// The PEM label found.
        label: String,
    },
    /// A PEM type this module does not read (a certificate, an OpenSSH key, ...).
    #[error(
        "unsupported PEM type {label:?}: expected RSA PRIVATE KEY, PRIVATE KEY, \
         PUBLIC KEY or RSA PUBLIC KEY"
    )]
    UnsupportedLabel {
        /// The PEM label found (truncated to 64 characters).
        label: String,
    },
    /// A well-formed key of an algorithm Kalshi does not use.
    #[error("unsupported key type {algorithm}: Kalshi keys are RSA or Ed25519")]
    UnsupportedAlgorithm {
        /// The algorithm's name or OID.
        algorithm: String,
    },
    /// An RSA key of a size the signer cannot use.
    #[error("unsupported RSA key size ({reason}): must be 2048 to 4096 bits")]
    UnsupportedRsaSize {
        /// Why it was refused, as reported by the parser.
        reason: String,
    },
    /// The PEM decoded but the key inside is not valid.
    #[error("malformed {what}: {reason}")]
    Malformed {
        /// The structure being read: `"PKCS#8 private key"`, `"RSA public key"`, ...
        what: &'static str,
        /// The parser's reason (never includes key bytes).
        reason: String,
    },
}

impl KeyProblem {
    pub(crate) fn from_io(err: io::Error) -> Self {
        match err.kind() {
            io::ErrorKind::NotFound => Self::NotFound,
            io::ErrorKind::PermissionDenied => Self::PermissionDenied,
            io::ErrorKind::IsADirectory => Self::IsDirectory,
            _ => Self::Io(err),
        }
    }

    pub(crate) fn malformed(what: &'static str, reason: impl ToString) -> Self {
        Self::Malformed {
            what,
            reason: reason.to_string(),
        }
    }
}

/// The first 64 characters of `s` (error messages quote untrusted input).
pub(crate) fn truncate(s: &str) -> String {
    match s.char_indices().nth(64) {
        Some((end, _)) => format!("{}...", &s[..end]),
        None => s.to_owned(),
    }
}
