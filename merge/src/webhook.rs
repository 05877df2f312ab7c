//! Merge webhook signatures: base64url (with `=` padding) of HMAC-SHA256 over the raw body,
//! keyed with the organisation's webhook signature key, sent in `X-Merge-Webhook-Signature`.
//!
//! Verify the raw bytes before parsing JSON; re-serialising breaks the signature.

use base64::engine::general_purpose::{URL_SAFE, URL_SAFE_NO_PAD};
use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

/// The header Merge sends the signature in.
pub const SIGNATURE_HEADER: &str = "X-Merge-Webhook-Signature";

type HmacSha256 = Hmac<Sha256>;

/// The 32-byte HMAC-SHA256 of `body` under `key`.
fn digest(key: &[u8], body: &[u8]) -> Option<[u8; 32]> {
    // HMAC accepts keys of any length, so this never fails in practice.
    let mut mac = HmacSha256::new_from_slice(key).ok()?;
    mac.update(body);
    Some(mac.finalize().into_bytes().into())
}

/// The signature Merge would send for `body`: base64url with `=` padding (44 characters).
pub fn sign(key: &[u8], body: &[u8]) -> String {
    digest(key, body)
        .map(|d| URL_SAFE.encode(d))
        .unwrap_or_default()
}

/// Whether `header` is the signature of `body` under `key`. Compares in constant time; accepts
/// the value with or without `=` padding and with surrounding whitespace; returns `false` for
/// anything malformed (wrong alphabet, wrong length, empty).
pub fn verify(key: &[u8], body: &[u8], header: &str) -> bool {
    let given = header.trim().trim_end_matches('=');
    if given.is_empty() {
        return false;
    }
    let Ok(given) = URL_SAFE_NO_PAD.decode(given) else {
        return false;
    };
    let Some(expected) = digest(key, body) else {
        return false;
    };
    given.len() == expected.len() && bool::from(given.as_slice().ct_eq(expected.as_slice()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &[u8] = b"whsec_test_key";
    const BODY: &[u8] = br#"{"hook":{"event":"Application.changed"},"data":{}}"#;

    #[test]
    fn signature_is_padded_base64url_of_44_chars() {
        let sig = sign(KEY, BODY);
        assert_eq!(sig.len(), 44);
        assert!(sig.ends_with('='));
        assert!(!sig.contains('+') && !sig.contains('/'));
    }

    #[test]
    fn signed_body_verifies() {
        assert!(verify(KEY, BODY, &sign(KEY, BODY)));
    }

    #[test]
    fn known_vector_matches_python_urlsafe_b64encode() {
        // python3: base64.urlsafe_b64encode(hmac.new(b"key", b"The quick brown fox jumps over
        // the lazy dog", hashlib.sha256).digest())
        assert_eq!(
            sign(b"key", b"The quick brown fox jumps over the lazy dog"),
            "97yD9DBThCSxMpjmqm-xQ-9NWaFJRhdZl0edvC0aPNg="
        );
    }

    #[test]
    fn padding_and_whitespace_are_tolerated() {
        let sig = sign(KEY, BODY);
        let unpadded = sig.trim_end_matches('=');
        assert!(verify(KEY, BODY, unpadded));
        assert!(verify(KEY, BODY, &format!("  {sig}\n")));
        assert!(verify(KEY, BODY, &format!("{unpadded}==")));
    }

    #[test]
    fn wrong_key_is_rejected() {
        assert!(!verify(b"other key", BODY, &sign(KEY, BODY)));
    }

    #[test]
    fn tampered_body_is_rejected() {
        let sig = sign(KEY, BODY);
        let mut tampered = BODY.to_vec();
        tampered[10] ^= 1;
        assert!(!verify(KEY, &tampered, &sig));
    }

    #[test]
    fn garbage_headers_are_rejected_without_panicking() {
        let sig = sign(KEY, BODY);
        let hex: String = digest(KEY, BODY)
            .unwrap()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let standard = base64::engine::general_purpose::STANDARD.encode(digest(KEY, BODY).unwrap());
        for header in [
            "",
            "   ",
            "=",
            "====",
            "not base64 !!",
            "é",
            &sig[..20],
            &format!("{sig}AAAA"),
            &hex,
        ] {
            assert!(!verify(KEY, BODY, header), "accepted {header:?}");
        }
        // The standard alphabet only matches when the digest happens to have no `+`/`/`.
        if standard.contains(['+', '/']) {
            assert!(!verify(KEY, BODY, &standard));
        }
    }
}
