//! What kind of key a key is: [`KeyKind`], the algorithm OIDs recognised in PEM key files and a
//! readable name for any other ([`algorithm_name`]), and the largest signature either key
//! makes ([`MAX_SIGNATURE_BYTES`]). Shared by the private ([`SigningKey`](super::SigningKey)) and
//! public ([`VerifyingKey`](super::VerifyingKey)) halves.

use std::fmt;

use rsa::pkcs8::ObjectIdentifier;

/// `rsaEncryption` (PKCS#1), the algorithm of ordinary RSA keys.
pub(crate) const RSA_OID: ObjectIdentifier = rsa::pkcs1::ALGORITHM_OID;
/// `id-Ed25519` (RFC 8410).
// unwrap: a literal OID, evaluated (and checked) at compile time.
pub(crate) const ED25519_OID: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");

/// The largest RSA signature produced here (RSA-4096), for stack buffers.
pub(crate) const MAX_SIGNATURE_BYTES: usize = 512;

/// What kind of key a [`SigningKey`](super::SigningKey) or [`VerifyingKey`](super::VerifyingKey)
/// holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KeyKind {
    /// RSA, signing with RSA-PSS, SHA-256, MGF1-SHA-256 and a 32-byte salt.
    Rsa {
        /// Modulus size in bits.
        bits: usize,
    },
    /// Ed25519; signatures are 64 bytes.
    Ed25519,
}

impl fmt::Display for KeyKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Rsa { bits } => write!(f, "RSA-{bits}"),
            Self::Ed25519 => f.write_str("Ed25519"),
        }
    }
}

/// A readable name for an algorithm OID found in a key.
pub(crate) fn algorithm_name(oid: ObjectIdentifier) -> String {
    let name = match oid.to_string().as_str() {
        "1.2.840.10045.2.1" => "EC (ECDSA)",
        "1.2.840.113549.1.1.10" => "RSASSA-PSS-restricted RSA (use a plain rsaEncryption key)",
        "1.3.101.110" => "X25519",
        "1.3.101.111" => "X448",
        "1.3.101.113" => "Ed448",
        "1.2.840.10040.4.1" => "DSA",
        _ => return format!("with OID {oid}"),
    };
    name.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_foreign_algorithms() {
        assert_eq!(
            algorithm_name(ObjectIdentifier::new_unwrap("1.2.840.10045.2.1")),
            "EC (ECDSA)"
        );
        assert_eq!(
            algorithm_name(ObjectIdentifier::new_unwrap("1.2.3.4")),
            "with OID 1.2.3.4"
        );
    }
}
