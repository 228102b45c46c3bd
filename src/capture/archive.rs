//! `capture --archive` and `dossier archive [ID…]`: asking the Internet Archive's Save
//! Page Now 2 API to archive a source's address, waiting for its job within a bounded
//! time, and writing the copy's address as `archive_url` with its date as `archived`.
//!
//! The API lies under `[capture] archive_endpoint` (`https://web.archive.org` by
//! default): `POST /save` with the form field `url` starts a job and answers its
//! `job_id`; `GET /save/status/<job_id>` answers `pending`, `success` (with the copy's
//! `timestamp` and `original_url`) or `error`. When the archive refuses to save a page it
//! saved lately, its availability answer (`GET /wayback/available?url=…`) gives the
//! closest copy. Access keys come from `IA_ACCESS_KEY_ID` and `IA_SECRET_ACCESS_KEY`,
//! and are never written or printed.

use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::Value;

use super::Outcome;
use crate::load::config::Settings;
use crate::load::content::CONTENT_DIR;

/// An archived copy: its address and the day it was made (`YYYY-MM-DD`).
#[derive(Debug, PartialEq, Eq)]
pub struct Copy {
    pub url: String,
    pub date: String,
}

/// How one request to the archive is made.
struct Client {
    endpoint: String,
    agent: ureq::Agent,
    timeout: Duration,
    /// How long to wait for a job to finish.
    wait: Duration,
    auth: Option<String>,
}

impl Client {
    fn new(settings: &Settings) -> Client {
        let timeout = Duration::from_secs_f64(settings.config.link_check.timeout);
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(timeout))
            .http_status_as_error(false)
            .user_agent(concat!("dossier/", env!("CARGO_PKG_VERSION"), " (archive)"))
            .build()
            .into();
        let key = |name| std::env::var(name).ok().filter(|v: &String| !v.is_empty());
        let auth = key("IA_ACCESS_KEY_ID")
            .zip(key("IA_SECRET_ACCESS_KEY"))
            .map(|(a, s)| format!("LOW {a}:{s}"));
        Client {
            endpoint: settings
                .config
                .capture
                .archive_endpoint
                .trim_end_matches('/')
                .to_string(),
            agent,
            timeout,
            wait: Duration::from_secs_f64(settings.config.capture.archive_wait),
            auth,
        }
    }

    /// One JSON answer from `path` under the endpoint: posted with `form`, or got.
    fn json(&self, path: &str, form: Option<&str>) -> Result<Value, String> {
        let url = format!("{}{path}", self.endpoint);
        let unreachable = |e| crate::capture::external::unreachable(e, self.timeout);
        let mut response = match form {
            Some(body) => {
                let mut r = self
                    .agent
                    .post(&url)
                    .header("Accept", "application/json")
                    .header("Content-Type", "application/x-www-form-urlencoded");
                if let Some(auth) = &self.auth {
                    r = r.header("Authorization", auth);
                }
                r.send(body).map_err(unreachable)?
            }
            None => {
                let mut r = self.agent.get(&url).header("Accept", "application/json");
                if let Some(auth) = &self.auth {
                    r = r.header("Authorization", auth);
                }
                r.call().map_err(unreachable)?
            }
        };
        let status = response.status();
        let text = response
            .body_mut()
            .with_config()
            .limit(1_000_000)
            .read_to_string()
            .map_err(unreachable)?;
        match serde_json::from_str::<Value>(&text) {
            Ok(v) if v.is_object() => Ok(v),
            _ if !status.is_success() => Err(format!("the archive answered {status}")),
            _ => Err("the archive's answer is not the JSON its API gives".into()),
        }
    }

    /// Archives `url`; the copy, or why there is none.
    fn archive(&self, url: &str) -> Result<Copy, String> {
        let form = format!("url={}&skip_first_archive=1", form_encode(url));
        let started = self.json("/save", Some(&form))?;
        let Some(job) = started["job_id"].as_str() else {
            return self.refused(url, &started);
        };
        let begun = Instant::now();
        let mut pause = Duration::from_millis(250);
        loop {
            let status = self.json(&format!("/save/status/{}", path_encode(job)), None)?;
            match status["status"].as_str() {
                Some("success") => return self.copy_of(&status, url),
                Some("pending") => {}
                _ => return self.refused(url, &status),
            }
            if begun.elapsed() + pause > self.wait {
                return Err(format!(
                    "the archive's job {job} was not done within {} s (`[capture] archive_wait`); `dossier archive` asks again",
                    self.wait.as_secs_f64()
                ));
            }
            std::thread::sleep(pause);
            pause = (pause * 2).min(Duration::from_secs(5));
        }
    }

    /// The copy a successful job made.
    fn copy_of(&self, status: &Value, url: &str) -> Result<Copy, String> {
        let stamp = status["timestamp"].as_str().unwrap_or_default();
        let original = status["original_url"].as_str().unwrap_or(url);
        let date = wayback_date(stamp).ok_or_else(|| {
            format!("the archive's answer gives no time for its copy ({stamp:?})")
        })?;
        Ok(Copy {
            url: format!("{}/web/{stamp}/{original}", self.endpoint),
            date,
        })
    }

    /// Why the archive did not save `url`; when it had saved it lately, its closest copy.
    fn refused(&self, url: &str, answer: &Value) -> Result<Copy, String> {
        let why = answer["message"]
            .as_str()
            .or(answer["status_ext"].as_str())
            .unwrap_or("no reason given")
            .to_string();
        let path = format!("/wayback/available?url={}", form_encode(url));
        let closest = self.json(&path, None).ok().and_then(|v| {
            let c = &v["archived_snapshots"]["closest"];
            let ok = c["available"].as_bool() == Some(true)
                && c["status"].as_str().is_none_or(|s| s.starts_with('2'));
            let date = wayback_date(c["timestamp"].as_str()?)?;
            ok.then(|| Copy {
                url: c["url"].as_str().unwrap_or_default().to_string(),
                date,
            })
        });
        closest
            .filter(|c| !c.url.is_empty())
            .ok_or_else(|| format!("the archive did not save it: {why}"))
    }
}

/// `YYYY-MM-DD` from a Wayback timestamp (`YYYYMMDDhhmmss`).
fn wayback_date(stamp: &str) -> Option<String> {
    let digits = stamp
        .get(..8)
        .filter(|d| d.bytes().all(|b| b.is_ascii_digit()))?;
    Some(format!(
        "{}-{}-{}",
        &digits[..4],
        &digits[4..6],
        &digits[6..8]
    ))
}

fn form_encode(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}

fn path_encode(s: &str) -> String {
    const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.');
    percent_encoding::utf8_percent_encode(s, SEGMENT).to_string()
}

/// Archives `url` and writes the copy's address and date into the source file at `path`;
/// what was done, in words.
pub(crate) fn archive_into(settings: &Settings, url: &str, path: &Path) -> Result<String, String> {
    let copy = Client::new(settings).archive(url)?;
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let edited = super::edit::set_keys(
        &text,
        &[
            ("archive_url", &copy.url, true),
            ("archived", &copy.date, false),
        ],
        "url",
    );
    super::edit::write_replacing(path, edited.as_bytes())?;
    Ok(format!("archived as {} ({})", copy.url, copy.date))
}

/// Archives the sources `ids`, or every source with a `url` and no `archive_url`.
pub fn run(root: &Path, ids: &[String]) -> Outcome {
    let (settings, d) = match super::resolved(root) {
        Ok(r) => r,
        Err(refused) => return refused,
    };
    if let Some(usage) = super::unknown_source(&d, ids) {
        return usage;
    }
    let chosen = d.sources.iter().filter(|s| {
        if ids.is_empty() {
            s.meta.url.is_some() && s.meta.archive_url.is_none()
        } else {
            ids.contains(&s.id)
        }
    });
    let nothing = "every source with a url has an archive_url already; name a source to ask again";
    super::for_each_source(chosen, "archived", nothing, |s| match &s.meta.url {
        None => Err("it has no `url` to archive".to_string()),
        Some(url) => {
            let path = root.join(CONTENT_DIR).join(&s.body.doc.content_path);
            archive_into(&settings, url, &path)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::wayback_date;

    #[test]
    fn wayback_timestamps_give_their_day() {
        assert_eq!(
            wayback_date("20261204120301").as_deref(),
            Some("2026-12-04")
        );
        assert_eq!(wayback_date("2026"), None);
        assert_eq!(wayback_date("2026x204120301"), None);
    }
}
