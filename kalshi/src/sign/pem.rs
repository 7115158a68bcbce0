//! Reading key files and cutting the one PEM block out of them: the shared front half of
//! [`SigningKey`](super::SigningKey) and [`VerifyingKey`](super::VerifyingKey) loading.
//!
//! Everything decoded here may be secret, so it lives in [`Zeroizing`] buffers that are wiped on
//! drop, and no error quotes any of it.

use std::{fs::File, io::Read, path::Path};

use rsa::pkcs8::der::{pem, zeroize::Zeroizing};

use super::error::{KeyProblem, SignError};

/// Key files larger than this are refused unread (a PEM RSA-4096 key is about 3.3 KiB).
const MAX_KEY_FILE_BYTES: u64 = 64 * 1024;

/// One decoded PEM block.
pub(crate) struct PemBlock {
    /// The type label, e.g. `RSA PRIVATE KEY`.
    pub label: String,
    /// The DER body.
    pub der: Zeroizing<Vec<u8>>,
}

/// Reads `path` and hands its bytes to `parse`; any problem becomes a
/// [`SignError::KeyFile`] naming the path.
pub(crate) fn load_file<T>(
    path: &Path,
    parse: impl FnOnce(&[u8]) -> Result<T, KeyProblem>,
) -> Result<T, SignError> {
    let in_file = |problem| SignError::KeyFile {
        path: path.to_owned(),
        problem,
    };
    let bytes = read_limited(path).map_err(in_file)?;
    parse(&bytes).map_err(in_file)
}

fn read_limited(path: &Path) -> Result<Zeroizing<Vec<u8>>, KeyProblem> {
    let file = File::open(path).map_err(KeyProblem::from_io)?;
    let mut bytes = Zeroizing::new(Vec::new());
    file.take(MAX_KEY_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(KeyProblem::from_io)?;
    if bytes.len() as u64 > MAX_KEY_FILE_BYTES {
        return Err(KeyProblem::NotPem {
            hint: "; larger than 64 KiB, so not a key file",
        });
    }
    Ok(bytes)
}

/// Decodes the first PEM block in `text`. Text before `-----BEGIN` and after the matching
/// `-----END ...-----` line is ignored, as OpenSSL does.
pub(crate) fn decode(text: &[u8]) -> Result<PemBlock, KeyProblem> {
    let text = text.trim_ascii();
    if text.is_empty() {
        return Err(KeyProblem::Empty);
    }
    let Some(start) = find(text, b"-----BEGIN ") else {
        return Err(KeyProblem::NotPem {
            hint: not_pem_hint(text),
        });
    };
    let mut block = &text[start..];
    if let Some(end) = find(block, b"-----END ") {
        let after_end = end + b"-----END ".len();
        if let Some(dashes) = find(&block[after_end..], b"-----") {
            block = &block[..after_end + dashes + b"-----".len()];
        }
    }
    if find(block, b"Proc-Type:").is_some() && find(block, b"ENCRYPTED").is_some() {
        return Err(KeyProblem::Encrypted {
            label: "Proc-Type: 4,ENCRYPTED".to_owned(),
        });
    }
    match pem::decode_vec(block) {
        Ok((label, der)) => Ok(PemBlock {
            label: label.to_owned(),
            der: Zeroizing::new(der),
        }),
        Err(err) => Err(KeyProblem::MalformedPem(err.to_string())),
    }
}

/// Encodes `der` as a PEM block with `label` and `\n` line endings.
pub(crate) fn encode(label: &'static str, der: &[u8]) -> Result<String, SignError> {
    pem::encode_string(label, pem::LineEnding::LF, der).map_err(|_| SignError::Crypto {
        operation: "PEM encoding",
    })
}

fn not_pem_hint(text: &[u8]) -> &'static str {
    if text.first() == Some(&0x30) {
        "; looks like binary DER: convert it with openssl pkey -inform DER -in KEY -out KEY.pem"
    } else if text.starts_with(b"ssh-") {
        "; looks like an OpenSSH public key, which Kalshi does not use"
    } else {
        ""
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TINY: &str = "-----BEGIN THING-----\nAAEC\n-----END THING-----\n";

    #[test]
    fn decodes_a_block_with_surrounding_text() {
        let text = format!("comment line\n{TINY}trailing junk\n");
        let block = decode(text.as_bytes()).unwrap();
        assert_eq!(block.label, "THING");
        assert_eq!(block.der.as_slice(), &[0u8, 1, 2]);
    }

    #[test]
    fn decodes_crlf() {
        let block = decode(TINY.replace('\n', "\r\n").as_bytes()).unwrap();
        assert_eq!(block.der.as_slice(), &[0u8, 1, 2]);
    }

    #[test]
    fn classifies_non_pem_input() {
        assert!(matches!(decode(b"  \n"), Err(KeyProblem::Empty)));
        assert!(matches!(
            decode(b"hello"),
            Err(KeyProblem::NotPem { hint: "" })
        ));
        let Err(KeyProblem::NotPem { hint }) = decode(&[0x30, 0x82, 0x01]) else {
            panic!("DER not detected");
        };
        assert!(hint.contains("DER"));
        let broken = "-----BEGIN THING-----\n!!!!\n-----END THING-----\n";
        assert!(matches!(
            decode(broken.as_bytes()),
            Err(KeyProblem::MalformedPem(_))
        ));
        let legacy = "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n\
                      DEK-Info: AES-128-CBC,00\n\nAAEC\n-----END RSA PRIVATE KEY-----\n";
        assert!(matches!(
            decode(legacy.as_bytes()),
            Err(KeyProblem::Encrypted { .. })
        ));
    }

    #[test]
    fn round_trips_through_encode() {
        let pem = encode("PUBLIC KEY", &[9, 8, 7]).unwrap();
        let block = decode(pem.as_bytes()).unwrap();
        assert_eq!(block.label, "PUBLIC KEY");
        assert_eq!(block.der.as_slice(), &[9u8, 8, 7]);
    }
}
