//! A parsed exchange base URL ([`BaseUrl`]: origin, path prefix, TLS or not) and the check
//! that a URL off loopback is encrypted (`https://`/`wss://`).

use awc::http::Uri;

/// A parsed exchange URL: origin (`scheme://host:port`) and path prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl {
    /// `https://host[:port]`.
    pub origin: String,
    /// The path, e.g. `/trade-api/v2`, without a trailing slash.
    pub prefix: String,
    /// Whether it uses TLS.
    pub tls: bool,
}

impl BaseUrl {
    /// Parses and checks a base URL: `http(s)://` for REST or `ws(s)://` for WebSocket;
    /// plain-text schemes only on loopback hosts.
    pub fn parse(url: &str) -> Result<BaseUrl, String> {
        let uri: Uri = url
            .parse()
            .map_err(|e| format!("invalid URL {url:?}: {e}"))?;
        let scheme = uri
            .scheme_str()
            .ok_or_else(|| format!("URL {url:?} has no scheme"))?;
        let authority = uri
            .authority()
            .ok_or_else(|| format!("URL {url:?} has no host"))?;
        let tls = match scheme {
            "https" | "wss" => true,
            "http" | "ws" => false,
            other => return Err(format!("URL {url:?}: unsupported scheme {other:?}")),
        };
        let host = authority.host();
        let loopback = host == "localhost"
            || host
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback())
            || host
                .trim_matches(|c| c == '[' || c == ']')
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback());
        if !tls && !loopback {
            return Err(format!(
                "URL {url:?}: plain-text {scheme}:// is only allowed on loopback; use {}://",
                if scheme == "http" { "https" } else { "wss" }
            ));
        }
        Ok(BaseUrl {
            origin: format!("{scheme}://{authority}"),
            prefix: uri.path().trim_end_matches('/').to_owned(),
            tls,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_origin_and_prefix() {
        let b = BaseUrl::parse("https://external-api.kalshi.com/trade-api/v2").unwrap();
        assert_eq!(b.origin, "https://external-api.kalshi.com");
        assert_eq!(b.prefix, "/trade-api/v2");
        assert!(b.tls);
        let b = BaseUrl::parse("http://127.0.0.1:4321/trade-api/v2/").unwrap();
        assert_eq!(
            (b.origin.as_str(), b.prefix.as_str(), b.tls),
            ("http://127.0.0.1:4321", "/trade-api/v2", false)
        );
        assert!(BaseUrl::parse("ws://localhost:9/trade-api/ws/v2").is_ok());
    }

    #[test]
    fn refuses_plain_text_off_loopback() {
        let err = BaseUrl::parse("http://api.elections.kalshi.com/trade-api/v2").unwrap_err();
        assert!(
            err.contains("only allowed on loopback") && err.contains("https://"),
            "{err}"
        );
        assert!(BaseUrl::parse("ftp://x/y").is_err());
        assert!(BaseUrl::parse("not a url").is_err());
    }
}
