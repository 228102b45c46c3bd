//! Trusted time-stamps (RFC 3161): checking a token an authority signed over a snapshot's
//! SHA-256 ([`verify`]); `capture::tsa` asks an authority for one. The ASN.1, CMS and
//! X.509 structures are the RustCrypto `der`, `cms`, `x509-cert` and `x509-tsp` crates';
//! signatures (RSA PKCS #1 v1.5, ECDSA on P-256 and P-384) are checked with `ring`, which
//! the HTTP client's TLS already uses.

use der::asn1::{Int, ObjectIdentifier, OctetString};
use der::{Any, Decode, Encode, Sequence, Tagged};
use x509_cert::Certificate;
use x509_cert::ext::pkix::ExtendedKeyUsage;

use cms::cert::CertificateChoices;
use cms::signed_data::{SignedData, SignerIdentifier, SignerInfo};

/// The largest token read: real ones are a few kilobytes.
pub(crate) const MAX_TOKEN_BYTES: usize = 1_000_000;

const SIGNED_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.2");
const TST_INFO: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.1.4");
const CONTENT_TYPE: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.3");
const MESSAGE_DIGEST: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.4");
const TIME_STAMPING: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.8");
const EXT_KEY_USAGE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.37");
const SUBJECT_KEY_ID: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.14");
const COMMON_NAME: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.3");
const ORGANIZATION: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.10");
const SHA1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.14.3.2.26");
pub(crate) const SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");
const SHA384: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.2");
const SHA512: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.3");
const RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const RSA_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.11");
const RSA_SHA384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.12");
const RSA_SHA512: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.13");
const EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const ECDSA_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.2");
const ECDSA_SHA384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.3");
const P256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
const P384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");

/// `TSTInfo` as RFC 3161 defines it, with `genTime` kept as it is encoded: authorities
/// give fractions of a second, which `der`'s `GeneralizedTime` does not read.
#[derive(Clone, Debug, Sequence)]
struct TstInfo {
    version: Int,
    policy: ObjectIdentifier,
    message_imprint: x509_tsp::MessageImprint,
    serial_number: Int,
    gen_time: Any,
    #[asn1(optional = "true")]
    accuracy: Option<Any>,
    #[asn1(default = "Default::default")]
    ordering: bool,
    #[asn1(optional = "true")]
    nonce: Option<Int>,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    tsa: Option<Any>,
    #[asn1(context_specific = "1", tag_mode = "IMPLICIT", optional = "true")]
    extensions: Option<Any>,
}

/// A token that verified: when the authority saw the hash, and who it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    /// The time the authority gives, in UTC: year, month, day, hour, minute, second.
    pub time: (u16, u8, u8, u8, u8, u8),
    /// The authority's name: its certificate's common name, else its organisation.
    pub authority: String,
    /// The token's serial number, in hexadecimal.
    pub serial: String,
}

impl Stamp {
    /// The time as ISO 8601: `2026-12-04T12:03:09Z`.
    pub(crate) fn iso(&self) -> String {
        let (y, mo, d, h, mi, s) = self.time;
        format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
    }
}

/// What the token's imprint and nonce must be.
pub struct Expected<'a> {
    /// The snapshot's SHA-256 in hexadecimal.
    pub sha256: &'a str,
    /// The nonce sent with the request, when checking an answer just received.
    pub nonce: Option<&'a [u8]>,
}

/// The certificates every token must chain to (`[capture] timestamp_ca`), remembering the
/// certificates already found issued under them: an authority signs every token with
/// the same one, and checking its issuer's signature again would double a build's cost.
#[derive(Debug)]
pub struct Anchors {
    certs: Vec<Certificate>,
    /// SHA-256 digests of the certificates found issued under `certs`.
    proven: std::sync::Mutex<std::collections::HashSet<Vec<u8>>>,
}

impl Anchors {
    pub fn new(certs: Vec<Certificate>) -> Anchors {
        Anchors {
            certs,
            proven: Default::default(),
        }
    }
}

/// Checks a `TimeStampResp` (as an authority answers and `<id>.tsr` keeps it): granted, over
/// `expected.sha256` with SHA-256, signed by the certificate it carries, which is for
/// time-stamping, valid at the time given and, with `ca`, issued under one of those
/// certificates. The error says what failed, in words.
pub fn verify(resp: &[u8], expected: &Expected, ca: Option<&Anchors>) -> Result<Stamp, String> {
    if resp.len() > MAX_TOKEN_BYTES {
        return Err(format!(
            "it is {} bytes, larger than any time-stamp token",
            resp.len()
        ));
    }
    let resp = x509_tsp::TimeStampResp::from_der(resp)
        .map_err(|e| format!("it is not a time-stamp answer that can be read ({e})"))?;
    let granted = matches!(
        resp.status.status,
        cmpv2::status::PkiStatus::Accepted | cmpv2::status::PkiStatus::GrantedWithMods
    );
    let Some(token) = resp.time_stamp_token.filter(|_| granted) else {
        return Err(format!(
            "the authority did not grant it (status {:?})",
            resp.status.status
        ));
    };
    if token.content_type != SIGNED_DATA {
        return Err("its token is not signed data".into());
    }
    let sd: SignedData = token
        .content
        .decode_as()
        .map_err(|e| format!("its signed data cannot be read ({e})"))?;
    if sd.encap_content_info.econtent_type != TST_INFO {
        return Err("it signs something other than a time-stamp".into());
    }
    let tst_der = sd
        .encap_content_info
        .econtent
        .as_ref()
        .and_then(|c| c.decode_as::<OctetString>().ok())
        .ok_or("it holds no time-stamp")?;
    let tst = TstInfo::from_der(tst_der.as_bytes())
        .map_err(|e| format!("its time-stamp cannot be read ({e})"))?;
    check_imprint(&tst, expected)?;
    let signer = only_signer(&sd)?;
    let cert = signer_certificate(&sd, signer)?;
    check_signature(signer, cert, tst_der.as_bytes())?;
    check_purpose(cert)?;
    let time = gen_time(&tst.gen_time)?;
    check_validity(cert, time)?;
    if let Some(ca) = ca {
        let digest = cert
            .to_der()
            .map(|der| digest_of(SHA256, &der))
            .map_err(|e| format!("its certificate cannot be encoded ({e})"))??;
        let proven = |ca: &Anchors| ca.proven.lock().is_ok_and(|p| p.contains(&digest));
        if !proven(ca) {
            check_chain(cert, &sd, &ca.certs)?;
            if let Ok(mut p) = ca.proven.lock() {
                p.insert(digest);
            }
        }
    }
    Ok(Stamp {
        time,
        authority: authority_name(cert),
        serial: tst
            .serial_number
            .as_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect(),
    })
}

/// The imprint must be the SHA-256 of the snapshot; the nonce the one sent.
fn check_imprint(tst: &TstInfo, expected: &Expected) -> Result<(), String> {
    let imprint = &tst.message_imprint;
    let algorithm = imprint.hash_algorithm.oid;
    if algorithm != SHA256 {
        let name = match algorithm {
            SHA1 => "SHA-1".to_string(),
            SHA384 => "SHA-384".to_string(),
            SHA512 => "SHA-512".to_string(),
            other => format!("the algorithm {other}"),
        };
        return Err(format!(
            "it time-stamps a hash made with {name}, not the SHA-256 of the snapshot"
        ));
    }
    let hex: String = imprint
        .hashed_message
        .as_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    if !hex.eq_ignore_ascii_case(expected.sha256) {
        return Err(format!(
            "it is for another file: it time-stamps the SHA-256 {hex}, and the snapshot's is {}",
            expected.sha256
        ));
    }
    if let Some(sent) = expected.nonce {
        let got = tst.nonce.as_ref().map(Int::as_bytes);
        let trim = |b: &[u8]| {
            b.iter()
                .skip_while(|&&x| x == 0)
                .copied()
                .collect::<Vec<u8>>()
        };
        if got.map(trim) != Some(trim(sent)) {
            return Err(
                "its nonce is not the one sent with the request (an old or replayed answer)".into(),
            );
        }
    }
    Ok(())
}

fn only_signer(sd: &SignedData) -> Result<&SignerInfo, String> {
    let mut signers = sd.signer_infos.0.iter();
    match (signers.next(), signers.next()) {
        (Some(s), None) => Ok(s),
        (None, _) => Err("it carries no signature".into()),
        _ => Err("it carries more than one signature".into()),
    }
}

/// The certificate among those the token carries that `signer` names.
fn signer_certificate<'a>(
    sd: &'a SignedData,
    signer: &SignerInfo,
) -> Result<&'a Certificate, String> {
    certificates(sd)
        .find(|c| match &signer.sid {
            SignerIdentifier::IssuerAndSerialNumber(id) => {
                c.tbs_certificate.issuer == id.issuer
                    && c.tbs_certificate.serial_number == id.serial_number
            }
            SignerIdentifier::SubjectKeyIdentifier(id) => extension(c, SUBJECT_KEY_ID)
                .and_then(|v| OctetString::from_der(v).ok())
                .is_some_and(|k| k == id.0),
        })
        .ok_or_else(|| "it does not carry the certificate that signed it (the authority must be asked for it: `dossier timestamp` asks)".into())
}

fn certificates(sd: &SignedData) -> impl Iterator<Item = &Certificate> {
    sd.certificates.iter().flat_map(|set| {
        set.0.iter().filter_map(|c| match c {
            CertificateChoices::Certificate(c) => Some(c),
            _ => None,
        })
    })
}

/// The value of a certificate's extension `oid`.
fn extension(cert: &Certificate, oid: ObjectIdentifier) -> Option<&[u8]> {
    cert.tbs_certificate
        .extensions
        .iter()
        .flatten()
        .find(|e| e.extn_id == oid)
        .map(|e| e.extn_value.as_bytes())
}

/// The signed attributes must name the time-stamp as content and give its digest; their
/// encoding (or, without them, the time-stamp itself) must verify with `cert`'s key.
fn check_signature(signer: &SignerInfo, cert: &Certificate, tst_der: &[u8]) -> Result<(), String> {
    let digest_alg = signer.digest_alg.oid;
    let signed = match &signer.signed_attrs {
        Some(attrs) => {
            let value = |oid| {
                attrs
                    .iter()
                    .find(|a| a.oid == oid)
                    .and_then(|a| a.values.iter().next())
            };
            let content_type =
                value(CONTENT_TYPE).and_then(|v| v.decode_as::<ObjectIdentifier>().ok());
            let digest = value(MESSAGE_DIGEST).and_then(|v| v.decode_as::<OctetString>().ok());
            let wanted = digest_of(digest_alg, tst_der)?;
            if content_type != Some(TST_INFO)
                || digest.as_ref().map(OctetString::as_bytes) != Some(&wanted[..])
            {
                return Err("its signature does not cover its time-stamp: the token was changed after it was signed".into());
            }
            attrs
                .to_der()
                .map_err(|e| format!("its signed attributes cannot be encoded ({e})"))?
        }
        None => tst_der.to_vec(),
    };
    let algorithm = match signer.signature_algorithm.oid {
        RSA | EC_PUBLIC_KEY => digest_alg,
        other => other,
    };
    verify_signature(cert, algorithm, &signed, signer.signature.as_bytes()).map_err(|e| {
        format!("its signature does not verify with the certificate it carries ({e}): the token was changed after it was signed, or is not what it claims")
    })
}

fn digest_of(algorithm: ObjectIdentifier, bytes: &[u8]) -> Result<Vec<u8>, String> {
    use sha2::Digest;
    Ok(match algorithm {
        SHA256 => sha2::Sha256::digest(bytes).to_vec(),
        SHA384 => sha2::Sha384::digest(bytes).to_vec(),
        SHA512 => sha2::Sha512::digest(bytes).to_vec(),
        other => {
            return Err(format!(
                "it is signed over a digest dossier cannot make ({other})"
            ));
        }
    })
}

/// Checks `signature` over `message` with `cert`'s public key, by `algorithm`: a
/// signature algorithm, or a digest algorithm for a key that says how it signs.
fn verify_signature(
    cert: &Certificate,
    algorithm: ObjectIdentifier,
    message: &[u8],
    signature: &[u8],
) -> Result<(), String> {
    use ring::signature as sig;
    let spki = &cert.tbs_certificate.subject_public_key_info;
    let curve = || {
        spki.algorithm
            .parameters
            .as_ref()
            .and_then(|p| p.decode_as::<ObjectIdentifier>().ok())
    };
    let scheme: &dyn sig::VerificationAlgorithm = match (spki.algorithm.oid, algorithm) {
        (RSA, SHA256 | RSA_SHA256) => &sig::RSA_PKCS1_2048_8192_SHA256,
        (RSA, SHA384 | RSA_SHA384) => &sig::RSA_PKCS1_2048_8192_SHA384,
        (RSA, SHA512 | RSA_SHA512) => &sig::RSA_PKCS1_2048_8192_SHA512,
        (EC_PUBLIC_KEY, SHA256 | ECDSA_SHA256) if curve() == Some(P256) => {
            &sig::ECDSA_P256_SHA256_ASN1
        }
        (EC_PUBLIC_KEY, SHA384 | ECDSA_SHA384) if curve() == Some(P384) => {
            &sig::ECDSA_P384_SHA384_ASN1
        }
        (key, how) => {
            return Err(format!(
                "a signature by {how} with a key of type {key}, which dossier cannot check"
            ));
        }
    };
    sig::UnparsedPublicKey::new(scheme, spki.subject_public_key.raw_bytes())
        .verify(message, signature)
        .map_err(|_| "the signature is not the key's over what it signs (an RSA key must have 2,048 bits at least)".to_string())
}

/// The signing certificate must be for time-stamping (RFC 3161, 2.3).
fn check_purpose(cert: &Certificate) -> Result<(), String> {
    let usage = extension(cert, EXT_KEY_USAGE).and_then(|v| ExtendedKeyUsage::from_der(v).ok());
    if usage.is_some_and(|u| u.0.contains(&TIME_STAMPING)) {
        Ok(())
    } else {
        Err(format!(
            "the certificate that signed it ({}) is not one for time-stamping (it lacks the timeStamping extended key usage)",
            cert.tbs_certificate.subject
        ))
    }
}

/// `genTime`: `YYYYMMDDHHMMSS[.f…]Z`.
fn gen_time(any: &Any) -> Result<(u16, u8, u8, u8, u8, u8), String> {
    let bad = || "its time cannot be read".to_string();
    if any.tag() != der::Tag::GeneralizedTime {
        return Err(bad());
    }
    let text = std::str::from_utf8(any.value()).map_err(|_| bad())?;
    let text = text.strip_suffix('Z').ok_or_else(bad)?;
    let whole = text.split('.').next().unwrap_or(text);
    if whole.len() != 14 || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let n = |r: std::ops::Range<usize>| whole[r].parse::<u16>().unwrap_or(0);
    let t = (
        n(0..4),
        n(4..6) as u8,
        n(6..8) as u8,
        n(8..10) as u8,
        n(10..12) as u8,
        n(12..14) as u8,
    );
    der::DateTime::new(t.0, t.1, t.2, t.3, t.4, t.5).map_err(|_| bad())?;
    Ok(t)
}

/// The time must fall within the signing certificate's validity.
fn check_validity(cert: &Certificate, t: (u16, u8, u8, u8, u8, u8)) -> Result<(), String> {
    let at = der::DateTime::new(t.0, t.1, t.2, t.3, t.4, t.5)
        .map_err(|_| "its time cannot be read".to_string())?
        .unix_duration();
    let v = &cert.tbs_certificate.validity;
    if at < v.not_before.to_unix_duration() || at > v.not_after.to_unix_duration() {
        return Err(format!(
            "its time falls outside the validity of the certificate that signed it ({} to {})",
            v.not_before, v.not_after
        ));
    }
    Ok(())
}

/// The signing certificate must be issued by one of `ca`, directly or through
/// certificates the token carries (at most four deep).
fn check_chain(cert: &Certificate, sd: &SignedData, ca: &[Certificate]) -> Result<(), String> {
    let mut current = cert;
    for _ in 0..5 {
        let issuer_name = &current.tbs_certificate.issuer;
        let tbs = current
            .tbs_certificate
            .to_der()
            .map_err(|e| format!("its certificate cannot be encoded ({e})"))?;
        let signature = current.signature.raw_bytes();
        let algorithm = current.signature_algorithm.oid;
        let signed_by = |c: &&Certificate| {
            c.tbs_certificate.subject == *issuer_name
                && verify_signature(c, algorithm, &tbs, signature).is_ok()
        };
        if ca.iter().any(|c| signed_by(&c)) {
            return Ok(());
        }
        match certificates(sd)
            .filter(|c| !std::ptr::eq(*c, current))
            .find(signed_by)
        {
            Some(next) => current = next,
            None => break,
        }
    }
    Err(format!(
        "the certificate that signed it ({}) is not issued under the certificate authority `timestamp_ca` names",
        cert.tbs_certificate.subject
    ))
}

/// A certificate's common name, else its organisation, else its whole subject.
fn authority_name(cert: &Certificate) -> String {
    let subject = &cert.tbs_certificate.subject;
    for oid in [COMMON_NAME, ORGANIZATION] {
        let found = subject
            .0
            .iter()
            .flat_map(|rdn| rdn.0.iter())
            .find(|atv| atv.oid == oid)
            .and_then(|atv| std::str::from_utf8(atv.value.value()).ok());
        if let Some(name) = found {
            return name.to_string();
        }
    }
    subject.to_string()
}

/// The certificates of a PEM file, for `[capture] timestamp_ca`.
pub(crate) fn load_ca(pem: &[u8]) -> Result<Anchors, String> {
    match Certificate::load_pem_chain(pem) {
        Ok(certs) if !certs.is_empty() => Ok(Anchors::new(certs)),
        Ok(_) => Err("it holds no certificate".into()),
        Err(e) => Err(format!("it is not a PEM file of certificates ({e})")),
    }
}
