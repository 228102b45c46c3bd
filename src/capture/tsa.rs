//! Asking a time-stamping authority (RFC 3161 over HTTP, section 3.4) to sign a hash.

use std::time::Duration;

use der::asn1::{Int, OctetString};
use der::{Any, Encode};
use x509_tsp::{MessageImprint, TimeStampReq, TspVersion};

use crate::snapshots::timestamp::{Anchors, Expected, MAX_TOKEN_BYTES, SHA256, Stamp, verify};

/// A token received and checked: the `TimeStampResp` as the authority sent it, to keep as
/// `<id>.tsr`, and what it says.
pub struct Received {
    pub bytes: Vec<u8>,
    pub stamp: Stamp,
}

/// Asks `authority` (an http or https address) to time-stamp `sha256` (hexadecimal), within
/// `timeout`, and checks the answer as a build would (with `ca`, against that authority).
pub fn request(
    authority: &str,
    sha256: &str,
    timeout: Duration,
    ca: Option<&Anchors>,
) -> Result<Received, String> {
    let digest: Vec<u8> = (0..sha256.len() / 2)
        .filter_map(|i| u8::from_str_radix(sha256.get(2 * i..2 * i + 2)?, 16).ok())
        .collect();
    let nonce = nonce(sha256);
    let query = TimeStampReq {
        version: TspVersion::V1,
        message_imprint: MessageImprint {
            hash_algorithm: spki::AlgorithmIdentifier {
                oid: SHA256,
                parameters: Some(Any::null()),
            },
            hashed_message: OctetString::new(digest).map_err(|e| e.to_string())?,
        },
        req_policy: None,
        nonce: Some(Int::new(&nonce).map_err(|e| e.to_string())?),
        cert_req: true,
        extensions: None,
    }
    .to_der()
    .map_err(|e| format!("the request cannot be encoded ({e})"))?;
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        .max_redirects(3)
        .user_agent(concat!(
            "dossier/",
            env!("CARGO_PKG_VERSION"),
            " (time-stamp)"
        ))
        .build()
        .into();
    let mut response = agent
        .post(authority)
        .header("Content-Type", "application/timestamp-query")
        .header("Accept", "application/timestamp-reply")
        .send(&query[..])
        .map_err(|e| crate::capture::external::unreachable(e, timeout))?;
    let status = response.status();
    let media = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if !status.is_success() {
        return Err(format!("the authority answered {status}"));
    }
    let body = response
        .body_mut()
        .with_config()
        .limit(MAX_TOKEN_BYTES as u64)
        .read_to_vec()
        .map_err(|e| match e {
            ureq::Error::BodyExceedsLimit(_) => format!(
                "the authority's answer is larger than {MAX_TOKEN_BYTES} bytes, more than any time-stamp"
            ),
            other => crate::capture::external::unreachable(other, timeout),
        })?;
    if media != "application/timestamp-reply" && media != "application/timestamp-response" {
        let what = if media.is_empty() {
            "of no stated type".to_string()
        } else {
            format!("`{media}`")
        };
        return Err(format!(
            "the authority's answer is {what}, not a time-stamp (`application/timestamp-reply`): is the address that of a time-stamping authority?"
        ));
    }
    let expected = Expected {
        sha256,
        nonce: Some(&nonce),
    };
    let stamp = verify(&body, &expected, ca)?;
    Ok(Received { bytes: body, stamp })
}

/// Eight bytes that differ from request to request (the time, the process and the hash),
/// so that an old answer cannot pass for a new one.
fn nonce(sha256: &str) -> [u8; 8] {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let seed = format!("{now} {} {sha256}", std::process::id());
    let hash = crate::base::digest::sha256_hex(seed.as_bytes());
    let mut out = [0u8; 8];
    for (i, b) in out.iter_mut().enumerate() {
        *b = u8::from_str_radix(&hash[2 * i..2 * i + 2], 16).unwrap_or(0);
    }
    // A positive INTEGER of eight bytes.
    out[0] &= 0x7f;
    out[0] |= 0x01;
    out
}
