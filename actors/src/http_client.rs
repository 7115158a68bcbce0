//! HTTP clients for the gateway, the feed, the blackout probes and the forecast: awc with
//! rustls (the `ring` provider, webpki roots) for `https://`/`wss://`, ALPN `http/1.1` only (a
//! WebSocket upgrade is HTTP/1.1), no redirects.

use std::{sync::Arc, time::Duration};

/// The rustls client configuration: ring provider, webpki roots, ALPN `http/1.1`.
pub fn tls_config() -> Result<Arc<rustls::ClientConfig>, String> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let roots = rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    let mut cfg = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS setup: {e}"))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    cfg.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(cfg))
}

/// An awc client with the given timeout, TLS-capable when `tls`. Build it on the arbiter
/// that uses it: awc is `!Send`.
pub fn build(timeout: Duration, tls: bool) -> Result<awc::Client, String> {
    if tls {
        let connector = awc::Connector::new().rustls_0_23(tls_config()?);
        return Ok(awc::Client::builder()
            .connector(connector)
            .timeout(timeout)
            .disable_redirects()
            .finish());
    }
    Ok(awc::Client::builder()
        .timeout(timeout)
        .disable_redirects()
        .finish())
}
