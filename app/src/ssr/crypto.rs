//! Secrets at rest and signed links: AES-256-GCM for account tokens, HMAC-SHA256 for URLs,
//! random opaque ids, and token hashing.

use aes_gcm::{
    aead::{Aead, KeyInit},
    Aes256Gcm, Nonce,
};
use anyhow::{anyhow, Context};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::{Digest, Sha256};

/// Encrypts and decrypts account tokens; signs and checks links. Built from
/// `ATSB_ENCRYPTION_KEY`; the signing key is derived from it so one secret serves both.
#[derive(Clone)]
pub struct Crypto {
    cipher: Aes256Gcm,
    /// The key before the last rotation (`ATSB_PREVIOUS_ENCRYPTION_KEY`): still read, never
    /// written, until `server rotate-key` has re-encrypted everything.
    previous: Option<Aes256Gcm>,
    signing_key: [u8; 32],
}

impl Crypto {
    /// Builds the primitives from the 32-byte master key.
    pub fn new(key: &[u8; 32]) -> Crypto {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("any key length works");
        mac.update(b"atsb link signing v1");
        Crypto {
            cipher: Aes256Gcm::new(key.into()),
            previous: None,
            signing_key: mac.finalize().into_bytes().into(),
        }
    }

    /// Also decrypts values sealed under `previous` (during a key rotation).
    pub fn with_previous(mut self, previous: Option<&[u8; 32]>) -> Crypto {
        self.previous = previous.map(|k| Aes256Gcm::new(k.into()));
        self
    }

    /// Encrypts `plain` as `v1.<base64url(nonce || ciphertext)>`.
    pub fn encrypt(&self, plain: &str) -> anyhow::Result<String> {
        let mut nonce = [0u8; 12];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        let sealed = self
            .cipher
            .encrypt(Nonce::from_slice(&nonce), plain.as_bytes())
            .map_err(|_| anyhow!("encryption failed"))?;
        let mut out = nonce.to_vec();
        out.extend(sealed);
        Ok(format!("v1.{}", URL_SAFE_NO_PAD.encode(out)))
    }

    /// Decrypts a value made by [`Crypto::encrypt`]; fails on a wrong key or tampering.
    pub fn decrypt(&self, sealed: &str) -> anyhow::Result<String> {
        let body = sealed
            .strip_prefix("v1.")
            .context("unknown ciphertext version")?;
        let bytes = URL_SAFE_NO_PAD
            .decode(body)
            .context("ciphertext is not base64")?;
        if bytes.len() < 12 {
            return Err(anyhow!("ciphertext too short"));
        }
        let (nonce, data) = bytes.split_at(12);
        let nonce = Nonce::from_slice(nonce);
        let plain = self
            .cipher
            .decrypt(nonce, data)
            .or_else(|e| match &self.previous {
                Some(previous) => previous.decrypt(nonce, data),
                None => Err(e),
            })
            .map_err(|_| anyhow!("ciphertext does not decrypt with this key"))?;
        String::from_utf8(plain).context("plaintext is not UTF-8")
    }

    /// Signs `purpose` + `subject` until `expires`: `<subject>.<expiry>.<mac>`.
    pub fn sign_link(&self, purpose: &str, subject: &str, expires: DateTime<Utc>) -> String {
        let exp = expires.timestamp();
        format!("{subject}.{exp}.{}", self.mac(purpose, subject, exp))
    }

    /// Checks a token made by [`Crypto::sign_link`] for `purpose`; returns the subject.
    pub fn verify_link(&self, purpose: &str, token: &str, now: DateTime<Utc>) -> LinkCheck {
        let mut parts = token.rsplitn(3, '.');
        let (Some(mac), Some(exp), Some(subject)) = (parts.next(), parts.next(), parts.next())
        else {
            return LinkCheck::Invalid;
        };
        let Ok(exp) = exp.parse::<i64>() else {
            return LinkCheck::Invalid;
        };
        let expected = self.mac(purpose, subject, exp);
        if !bool::from(subtle::ConstantTimeEq::ct_eq(
            expected.as_bytes(),
            mac.as_bytes(),
        )) {
            return LinkCheck::Invalid;
        }
        if now.timestamp() > exp {
            return LinkCheck::Expired;
        }
        LinkCheck::Valid(subject.to_string())
    }

    fn mac(&self, purpose: &str, subject: &str, exp: i64) -> String {
        let mut mac =
            <Hmac<Sha256> as Mac>::new_from_slice(&self.signing_key).expect("any key length works");
        mac.update(purpose.as_bytes());
        mac.update(b"\0");
        mac.update(subject.as_bytes());
        mac.update(b"\0");
        mac.update(exp.to_string().as_bytes());
        URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
    }
}

/// `server rotate-key`: re-encrypts every account token sealed under `previous` with `current`.
/// Values already under `current` are left alone, so the command can be re-run after an
/// interruption. Returns how many were re-encrypted.
pub async fn rotate(
    db: &super::db::Db,
    previous: &[u8; 32],
    current: &[u8; 32],
) -> anyhow::Result<u64> {
    let (new, old) = (Crypto::new(current), Crypto::new(previous));
    let mut n = 0;
    for (tenant, sealed) in db.sealed_account_tokens().await? {
        if new.decrypt(&sealed).is_ok() {
            continue;
        }
        let plain = old
            .decrypt(&sealed)
            .with_context(|| format!("tenant {tenant}'s account token opens with neither key"))?;
        if db
            .replace_sealed_account_token(tenant, &sealed, &new.encrypt(&plain)?)
            .await?
        {
            n += 1;
        }
    }
    Ok(n)
}

/// The outcome of checking a signed link.
#[derive(Debug, PartialEq, Eq)]
pub enum LinkCheck {
    Valid(String),
    Expired,
    Invalid,
}

/// A new random opaque id for URLs and APIs (128 bits, base64url).
pub fn public_id() -> String {
    let mut bytes = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A new random secret token (256 bits, base64url), e.g. for sessions.
pub fn secret_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// SHA-256 of a token, hex; what the database keeps instead of the token.
pub fn hash_token(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    #[test]
    fn account_tokens_round_trip_and_do_not_leak() {
        let c = Crypto::new(&[1; 32]);
        let sealed = c.encrypt("acct-token-123").unwrap();
        assert!(!sealed.contains("acct-token-123"));
        assert_eq!(c.decrypt(&sealed).unwrap(), "acct-token-123");
        assert!(Crypto::new(&[2; 32]).decrypt(&sealed).is_err());
        let mut tampered = sealed.clone();
        tampered.pop();
        tampered.push(if sealed.ends_with('A') { 'B' } else { 'A' });
        assert!(c.decrypt(&tampered).is_err());
    }

    #[test]
    fn signed_links_check_purpose_expiry_and_tampering() {
        let c = Crypto::new(&[1; 32]);
        let now = Utc::now();
        let t = c.sign_link("profile", "req1", now + Duration::minutes(5));
        assert_eq!(
            c.verify_link("profile", &t, now),
            LinkCheck::Valid("req1".into())
        );
        assert_eq!(c.verify_link("respond", &t, now), LinkCheck::Invalid);
        assert_eq!(
            c.verify_link("profile", &t, now + Duration::minutes(6)),
            LinkCheck::Expired
        );
        let forged = t.replacen("req1", "req2", 1);
        assert_eq!(c.verify_link("profile", &forged, now), LinkCheck::Invalid);
        assert_eq!(c.verify_link("profile", "garbage", now), LinkCheck::Invalid);
    }
}
