//! The soak's view of a running engine child from outside: a tiny blocking HTTP/1.0 client
//! for its loopback `/healthz`, `/metrics` and `/_fault/panic/{actor}` endpoints, and the
//! per-actor restart counts read from the Prometheus text (`tradewind_supervision_restarts`).
//! Parsing is pure; only [`request`] touches the network.

use std::{
    collections::BTreeMap,
    io::{Read, Write},
    net::{SocketAddr, TcpStream},
    time::Duration,
};

/// How long one request may take, connect to last byte.
const TIMEOUT: Duration = Duration::from_secs(5);

/// Sends `method path` (empty body) to `addr`; answers the status code and the body.
///
/// # Errors
/// Connect, write or read failures, or a response that is not HTTP.
pub fn request(addr: SocketAddr, method: &str, path: &str) -> Result<(u16, String), String> {
    let mut s = TcpStream::connect_timeout(&addr, TIMEOUT).map_err(|e| e.to_string())?;
    s.set_read_timeout(Some(TIMEOUT))
        .map_err(|e| e.to_string())?;
    s.set_write_timeout(Some(TIMEOUT))
        .map_err(|e| e.to_string())?;
    let head = format!(
        "{method} {path} HTTP/1.0\r\nHost: {addr}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    );
    s.write_all(head.as_bytes()).map_err(|e| e.to_string())?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).map_err(|e| e.to_string())?;
    parse_response(&String::from_utf8_lossy(&raw))
}

/// The status code and body of a raw HTTP/1.x response.
fn parse_response(raw: &str) -> Result<(u16, String), String> {
    let status = raw
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| format!("not an HTTP response: {:?}", raw.get(..40).unwrap_or(raw)))?;
    let body = raw.split_once("\r\n\r\n").map_or("", |(_, b)| b);
    Ok((status, body.to_owned()))
}

/// Whether `/healthz` answers 200.
pub fn healthy(addr: SocketAddr) -> bool {
    matches!(request(addr, "GET", "/healthz"), Ok((200, _)))
}

/// Restarts per actor from `/metrics`.
///
/// # Errors
/// The request failed or did not answer 200.
pub fn restarts(addr: SocketAddr) -> Result<BTreeMap<String, u64>, String> {
    match request(addr, "GET", "/metrics")? {
        (200, body) => Ok(parse_restarts(&body)),
        (code, body) => Err(format!("/metrics answered {code}: {}", body.trim())),
    }
}

/// `tradewind_supervision_restarts{key="feed"} 2` lines, by actor.
fn parse_restarts(text: &str) -> BTreeMap<String, u64> {
    const PREFIX: &str = "tradewind_supervision_restarts{key=\"";
    text.lines()
        .filter_map(|l| l.strip_prefix(PREFIX))
        .filter_map(|rest| {
            let (actor, value) = rest.split_once("\"}")?;
            let n = value.trim().parse::<f64>().ok()?;
            Some((actor.to_owned(), n as u64))
        })
        .collect()
}

/// Asks the engine to make `actor` panic.
///
/// # Errors
/// The request failed, or the engine refused (404: no such actor, or a build without
/// `fault-injection`).
pub fn inject_panic(addr: SocketAddr, actor: &str) -> Result<(), String> {
    match request(addr, "POST", &format!("/_fault/panic/{actor}"))? {
        (202, _) => Ok(()),
        (404, body) if body.trim().is_empty() => Err(
            "the engine does not serve /_fault/panic: build it with `--features fault-injection`"
                .to_owned(),
        ),
        (code, body) => Err(format!(
            "/_fault/panic/{actor} answered {code}: {}",
            body.trim()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn restarts_and_responses_parse() {
        let text = "tradewind_supervision_restarts{key=\"feed\"} 2\n\
                    tradewind_supervision_ready{key=\"feed\"} 1\n\
                    tradewind_supervision_restarts{key=\"orders\"} 0\n";
        let r = parse_restarts(text);
        assert_eq!(r.get("feed"), Some(&2));
        assert_eq!(r.get("orders"), Some(&0));
        assert_eq!(r.len(), 2);
        let (code, body) =
            parse_response("HTTP/1.1 503 Service Unavailable\r\nA: b\r\n\r\nfeed down\n").unwrap();
        assert_eq!((code, body.as_str()), (503, "feed down\n"));
        assert!(parse_response("garbage").is_err());
    }
}
