//! Fetching an address for a capture: each hop of its redirects is asked and kept, request
//! and response, so that the web-archive file records the whole exchange.

use std::time::Duration;

/// Redirects followed before giving up.
const MAX_REDIRECTS: usize = 10;

/// One request and its answer.
pub(crate) struct Hop {
    pub url: String,
    /// The request as sent: request line and header fields.
    pub request: Vec<u8>,
    pub status: u16,
    pub reason: String,
    /// The response's header fields, in order, names as the server sent them (lowercased
    /// by the HTTP library).
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Hop {
    pub fn header(&self, name: &str) -> Option<&str> {
        crate::snapshots::warc::field(&self.headers, name)
    }

    /// The response message as a WARC response record holds it. The body is stored as
    /// received after its transfer coding is undone, so `Transfer-Encoding` is left out
    /// and `Content-Length` gives the body's length.
    pub(crate) fn response_message(&self) -> Vec<u8> {
        let mut out = format!("HTTP/1.1 {} {}\r\n", self.status, self.reason).into_bytes();
        for (k, v) in &self.headers {
            if k.eq_ignore_ascii_case("transfer-encoding")
                || k.eq_ignore_ascii_case("content-length")
            {
                continue;
            }
            out.extend_from_slice(format!("{k}: {v}\r\n").as_bytes());
        }
        out.extend_from_slice(format!("content-length: {}\r\n\r\n", self.body.len()).as_bytes());
        out.extend_from_slice(&self.body);
        out
    }
}

/// Why a capture was refused.
type Refusal = String;

/// Fetches `url`, following redirects, with `timeout` for each request and `max_mb`
/// for all bodies together, naming itself `user_agent`. The last hop is the answer.
/// Credentials in `url` are sent as HTTP Basic authorisation to its own origin only, and
/// recorded masked.
pub(crate) fn fetch(
    url: &str,
    timeout: Duration,
    max_mb: f64,
    user_agent: &str,
) -> Result<Vec<Hop>, Refusal> {
    let (url, credentials) = crate::base::address::without_credentials(url);
    let url = url.as_str();
    let authorization = credentials.map(|(user, password)| basic(&user, &password));
    let max_bytes = (max_mb * 1_000_000.0) as u64;
    let accept = "text/html,application/xhtml+xml,application/pdf;q=0.9,*/*;q=0.5";
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        .max_redirects(0)
        .user_agent(user_agent)
        .build()
        .into();
    let mut hops: Vec<Hop> = Vec::new();
    let mut current = url.to_string();
    // The bodies of every hop together stay within the limit.
    let mut left = max_bytes;
    loop {
        let authorised = authorization.as_deref().filter(|_| {
            crate::base::address::origin(&current) == crate::base::address::origin(url)
        });
        let mut request = agent.get(&current).header("Accept", accept);
        if let Some(a) = authorised {
            request = request.header("Authorization", a);
        }
        let mut response = request.call().map_err(|e| {
            format!(
                "{current}: {}",
                crate::capture::external::unreachable(e, timeout)
            )
        })?;
        let status = response.status();
        let headers = header_fields(response.headers());
        let declared = crate::snapshots::warc::field(&headers, "content-length")
            .and_then(|v| v.trim().parse::<u64>().ok());
        if declared.is_some_and(|n| n > left) {
            return Err(too_large(&current, max_mb));
        }
        let body = response
            .body_mut()
            .with_config()
            .limit(left)
            .read_to_vec()
            .map_err(|e| match e {
                ureq::Error::BodyExceedsLimit(_) => too_large(&current, max_mb),
                other => format!(
                    "{current}: {}",
                    crate::capture::external::unreachable(other, timeout)
                ),
            })?;
        let (host, path) = split_target(&current);
        let masked = authorised.map_or(String::new(), |_| {
            "authorization: Basic ********\r\n".to_string()
        });
        let request = format!(
            "GET {path} HTTP/1.1\r\nhost: {host}\r\nuser-agent: {user_agent}\r\naccept: {accept}\r\n{masked}\r\n"
        )
        .into_bytes();
        left -= body.len() as u64;
        let hop = Hop {
            url: current.clone(),
            request,
            status: status.as_u16(),
            reason: status.canonical_reason().unwrap_or("").to_string(),
            headers,
            body,
        };
        let location = hop.header("location").map(str::to_string);
        let redirect = status.is_redirection() && location.is_some();
        hops.push(hop);
        if !redirect {
            return Ok(hops);
        }
        if hops.len() > MAX_REDIRECTS {
            return Err(format!("{url}: more than {MAX_REDIRECTS} redirects"));
        }
        let next = location
            .and_then(|l| super::metadata::absolute(&current, &l))
            .filter(|n| crate::base::address::is_http(n))
            .ok_or_else(|| {
                format!("{current} redirects to an address that is not http or https")
            })?;
        current = crate::base::address::without_credentials(&next).0;
    }
}

/// HTTP Basic authorisation for `user` and `password`.
fn basic(user: &str, password: &str) -> String {
    use base64ct::Encoding;
    let pair = format!("{user}:{password}");
    format!("Basic {}", base64ct::Base64::encode_string(pair.as_bytes()))
}

/// A response's header fields as received, each name with its value.
fn header_fields(headers: &ureq::http::HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect()
}

fn too_large(url: &str, max_mb: f64) -> Refusal {
    format!(
        "{url}: the answer is larger than the limit of {max_mb} MB (`[capture] max_mb` in site.toml)"
    )
}

/// The host (with any port) and the path (with any query) of an http address.
fn split_target(url: &str) -> (&str, &str) {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let rest = rest.split('#').next().unwrap_or(rest);
    match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    }
}
