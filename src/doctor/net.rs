//! The doctor's probes below the gateway: a URL's host resolved and connected to and, for
//! `https://`/`wss://`, a TLS handshake with the engine's own rustls settings (`http_client::tls_config`: the same
//! roots and protocol versions the gateway and the feed use); and an unsigned GET that keeps
//! the `Date` header, for the public checks that must not depend on the key.

use std::{
    net::{IpAddr, SocketAddr},
    time::Duration,
};

use awc::http::Uri;
use tokio::{net::TcpStream, time::timeout};
use tokio_rustls::{
    TlsConnector,
    rustls::{ProtocolVersion, pki_types::ServerName},
};
use tradewind_actors::{base_url::BaseUrl, http_client};

/// Where a URL points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Host {
    /// The host name or address, without brackets.
    pub name: String,
    /// The port (the scheme's default when none is written).
    pub port: u16,
    /// Whether the scheme is `https`/`wss`.
    pub tls: bool,
}

impl Host {
    /// The host of an exchange URL, checked as the engine checks it ([`BaseUrl::parse`]).
    pub fn of(url: &str) -> Result<Host, String> {
        let base = BaseUrl::parse(url)?;
        let uri: Uri = base
            .origin
            .parse()
            .map_err(|e| format!("invalid URL {url:?}: {e}"))?;
        let name = uri
            .host()
            .ok_or_else(|| format!("URL {url:?} has no host"))?
            .trim_matches(|c| c == '[' || c == ']')
            .to_owned();
        let port = uri.port_u16().unwrap_or(if base.tls { 443 } else { 80 });
        Ok(Host {
            name,
            port,
            tls: base.tls,
        })
    }
}

/// Resolves `host` and, when it uses TLS, completes a handshake with its first address.
/// Answers the figure (`h → 1.2.3.4, TLS 1.3`) or what failed.
pub async fn probe(host: &Host, limit: Duration) -> Result<String, String> {
    let addrs: Vec<SocketAddr> = timeout(
        limit,
        tokio::net::lookup_host((host.name.as_str(), host.port)),
    )
    .await
    .map_err(|_| format!("{}: no DNS answer within {limit:?}", host.name))?
    .map_err(|e| format!("{}: does not resolve: {e}", host.name))?
    .collect();
    let first = *addrs
        .first()
        .ok_or_else(|| format!("{}: resolves to no address", host.name))?;
    let ips: Vec<IpAddr> = addrs.iter().map(SocketAddr::ip).collect();
    let resolved = describe_addrs(&host.name, &ips);
    if !host.tls {
        // Plain text is loopback only (BaseUrl refuses it elsewhere): no TLS to check, but
        // whether anything listens is.
        timeout(limit, TcpStream::connect(first))
            .await
            .map_err(|_| format!("{resolved}: no TCP connection within {limit:?}"))?
            .map_err(|e| format!("{resolved}: cannot connect to port {}: {e}", host.port))?;
        return Ok(format!(
            "{resolved}, port {} open, TLS not used on loopback (plain http/ws)",
            host.port
        ));
    }
    let version = timeout(limit, handshake(first, &host.name))
        .await
        .map_err(|_| format!("{resolved}: no TLS handshake within {limit:?}"))?
        .map_err(|e| format!("{resolved}: TLS handshake failed: {e}"))?;
    Ok(format!("{resolved}, {version}"))
}

/// `h → 1.2.3.4` or `h → 1.2.3.4 (+2 more)`.
fn describe_addrs(name: &str, ips: &[IpAddr]) -> String {
    let first = ips.first().map(ToString::to_string).unwrap_or_default();
    match ips.len() {
        0 | 1 => format!("{name} → {first}"),
        n => format!("{name} → {first} (+{} more)", n - 1),
    }
}

/// A TLS handshake with the engine's client settings; answers the protocol version.
async fn handshake(addr: SocketAddr, name: &str) -> Result<String, String> {
    let config = http_client::tls_config()?;
    let server = ServerName::try_from(name.to_owned()).map_err(|e| format!("server name: {e}"))?;
    let tcp = TcpStream::connect(addr)
        .await
        .map_err(|e| format!("connect {addr}: {e}"))?;
    let stream = TlsConnector::from(config)
        .connect(server, tcp)
        .await
        .map_err(|e| e.to_string())?;
    Ok(tls_name(stream.get_ref().1.protocol_version()))
}

fn tls_name(v: Option<ProtocolVersion>) -> String {
    match v {
        Some(ProtocolVersion::TLSv1_3) => "TLS 1.3".to_owned(),
        Some(ProtocolVersion::TLSv1_2) => "TLS 1.2".to_owned(),
        Some(other) => format!("{other:?}"),
        None => "TLS (version unknown)".to_owned(),
    }
}

/// An answer to an unsigned GET.
#[derive(Debug, Clone)]
pub struct Answer {
    /// Status.
    pub status: u16,
    /// Body.
    pub body: Vec<u8>,
    /// The `Date` header, Unix seconds.
    pub date_s: Option<i64>,
    /// When the answer's head arrived, this machine's Unix milliseconds.
    pub at_ms: i64,
}

/// An unsigned GET of `url` on `client`, its body read whole (at most 1 MiB).
pub async fn get(client: &awc::Client, url: &str) -> Result<Answer, String> {
    let mut resp = client
        .get(url)
        .send()
        .await
        .map_err(|e| format!("GET {url}: {e}"))?;
    let at_ms = chrono::Utc::now().timestamp_millis();
    let date_s = resp
        .headers()
        .get("date")
        .and_then(|v| v.to_str().ok())
        .and_then(|s| chrono::DateTime::parse_from_rfc2822(s).ok())
        .map(|d| d.timestamp());
    let body = resp
        .body()
        .limit(1 << 20)
        .await
        .map_err(|e| format!("GET {url}: reading the answer: {e}"))?;
    Ok(Answer {
        status: resp.status().as_u16(),
        body: body.to_vec(),
        date_s,
        at_ms,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_come_from_the_urls_with_default_ports() {
        let h = Host::of("https://external-api.demo.kalshi.co/trade-api/v2").unwrap();
        assert_eq!(
            h,
            Host {
                name: "external-api.demo.kalshi.co".into(),
                port: 443,
                tls: true
            }
        );
        let h = Host::of("ws://127.0.0.1:4321/trade-api/ws/v2").unwrap();
        assert_eq!((h.name.as_str(), h.port, h.tls), ("127.0.0.1", 4321, false));
        assert!(
            Host::of("http://example.org/x").is_err(),
            "plain text off loopback"
        );
    }

    #[actix_rt::test]
    async fn a_host_that_speaks_no_tls_fails_the_handshake_and_a_closed_port_the_connect() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        // Accepts one connection and hangs up without a word.
        let server = std::thread::spawn(move || drop(listener.accept()));
        let limit = Duration::from_secs(5);
        let tls = Host {
            name: "127.0.0.1".into(),
            port,
            tls: true,
        };
        let err = probe(&tls, limit).await.unwrap_err();
        assert!(err.contains("TLS handshake failed"), "{err}");
        server.join().unwrap();
        // The listener is gone: nothing listens on the port now.
        let plain = Host { tls: false, ..tls };
        let err = probe(&plain, limit).await.unwrap_err();
        assert!(
            err.contains(&format!("cannot connect to port {port}")),
            "{err}"
        );
    }

    #[test]
    fn addresses_and_versions_read_plainly() {
        let ips: Vec<IpAddr> = vec!["1.2.3.4".parse().unwrap(), "5.6.7.8".parse().unwrap()];
        assert_eq!(describe_addrs("h", &ips[..1]), "h → 1.2.3.4");
        assert_eq!(describe_addrs("h", &ips), "h → 1.2.3.4 (+1 more)");
        assert_eq!(tls_name(Some(ProtocolVersion::TLSv1_3)), "TLS 1.3");
        assert_eq!(tls_name(None), "TLS (version unknown)");
    }
}
