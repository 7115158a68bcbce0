//! Readiness probes of gated windows: "is the new data there?". A file probe asks whether a
//! file exists (and, when `fresh`, was modified after the window started); an HTTP probe asks
//! whether a GET answers 2xx. `{date}` (`YYYYMMDD`) and `{hour}` (`HH`) in the path or URL
//! name the occurrence's UTC cycle. These are the schedule's only impure inputs; the actor
//! runs them and hands the results to [`super::schedule::Schedule::mark_ready`].

use std::{path::Path, time::SystemTime};

use chrono::{DateTime, Utc};

/// What a gated window asks before it ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProbeTarget {
    /// Ready when the file exists (and, when `fresh`, is newer than the window's start).
    File {
        /// Path template.
        path: String,
        /// Require a modification time after the window's start.
        fresh: bool,
    },
    /// Ready when a GET of the URL answers 2xx.
    Http {
        /// URL template.
        url: String,
    },
}

/// Replaces `{date}` and `{hour}` in `template` with the UTC date and hour of `cycle`.
pub fn expand(template: &str, cycle: DateTime<Utc>) -> String {
    template
        .replace("{date}", &cycle.format("%Y%m%d").to_string())
        .replace("{hour}", &cycle.format("%H").to_string())
}

/// Whether the file at `path` exists and, when `not_before` is given, was modified after it.
/// A file whose modification time cannot be read counts as not ready when freshness matters.
pub fn file_ready(path: &Path, not_before: Option<DateTime<Utc>>) -> bool {
    let Ok(meta) = std::fs::metadata(path) else {
        return false;
    };
    match not_before {
        None => true,
        Some(t) => meta
            .modified()
            .ok()
            .and_then(|m| m.duration_since(SystemTime::UNIX_EPOCH).ok())
            .and_then(|d| DateTime::from_timestamp_micros(i64::try_from(d.as_micros()).ok()?))
            .is_some_and(|m| m > t),
    }
}

/// Whether a GET of `url` answers 2xx. `Err` for a transport failure (not ready either).
pub async fn http_ready(client: &awc::Client, url: &str) -> Result<bool, String> {
    let resp = client
        .get(url)
        .send()
        .await
        .map_err(|e| format!("GET {url}: {e}"))?;
    Ok(resp.status().is_success())
}

#[cfg(test)]
mod tests {
    use std::{
        io::{Read, Write},
        net::TcpListener,
        time::Duration,
    };

    use super::*;

    #[test]
    fn placeholders_name_the_cycle() {
        let cycle = DateTime::parse_from_rfc3339("2026-01-05T06:00:00Z")
            .unwrap()
            .to_utc();
        assert_eq!(
            expand("https://x/gfs.{date}/{hour}/atmos/gfs.t{hour}z.idx", cycle),
            "https://x/gfs.20260105/06/atmos/gfs.t06z.idx"
        );
    }

    #[test]
    fn file_probe_needs_the_file_and_optionally_a_fresh_one() {
        let dir = std::env::temp_dir().join(format!("tradewind-probe-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("ready");
        let _ = std::fs::remove_file(&path);
        assert!(!file_ready(&path, None));
        std::fs::write(&path, b"").unwrap();
        assert!(file_ready(&path, None));
        let long_ago = DateTime::from_timestamp(0, 0).unwrap();
        assert!(file_ready(&path, Some(long_ago)));
        let later = Utc::now() + chrono::TimeDelta::hours(1);
        assert!(
            !file_ready(&path, Some(later)),
            "written before the window started"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// A one-connection-per-answer HTTP server on loopback answering `statuses` in turn.
    fn serve(statuses: &'static [u16]) -> String {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        std::thread::spawn(move || {
            for status in statuses {
                let Ok((mut s, _)) = listener.accept() else {
                    return;
                };
                let mut buf = [0u8; 1024];
                let _ = s.read(&mut buf);
                let _ = write!(
                    s,
                    "HTTP/1.1 {status} X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                );
            }
        });
        format!("http://{addr}/gfs")
    }

    #[actix::test]
    async fn http_probe_is_ready_only_on_2xx() {
        let url = serve(&[404, 200, 503]);
        let client = crate::http_client::build(Duration::from_secs(5), false).unwrap();
        assert_eq!(http_ready(&client, &url).await, Ok(false));
        assert_eq!(http_ready(&client, &url).await, Ok(true));
        assert_eq!(http_ready(&client, &url).await, Ok(false));
        // The server is gone: a transport error, not "ready".
        assert!(http_ready(&client, &url).await.is_err());
    }
}
