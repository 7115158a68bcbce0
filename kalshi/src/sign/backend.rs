//! The crypto library behind signing and verification: `crypto`, an alias for `ring` or (with
//! the crate's `aws-lc` feature) `aws-lc-rs` — both expose the same API — and its name,
//! [`CRYPTO_BACKEND`].

#[cfg(feature = "aws-lc")]
pub(crate) use aws_lc_rs as crypto;
#[cfg(not(feature = "aws-lc"))]
pub(crate) use ring as crypto;

/// The library that signs and verifies: `"ring"`, or `"aws-lc-rs"` with the `aws-lc` feature
/// (about twice as fast for RSA signing on x86-64 CPUs with AVX-512 IFMA). Worth logging at
/// start-up.
pub const CRYPTO_BACKEND: &str = if cfg!(feature = "aws-lc") {
    "aws-lc-rs"
} else {
    "ring"
};
