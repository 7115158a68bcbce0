//! `/metrics` (Prometheus text) and `/healthz` on a loopback port.

use actix_web::{App, HttpResponse, HttpServer, web};
use tradewind_actors::{
    health,
    root::{Engine, EngineMetrics},
};

use super::prometheus;

/// What `/healthz` holds against.
#[derive(Debug, Clone, Copy)]
pub struct Health {
    /// Unhealthy when more than this share of books is stale, percent.
    pub max_stale_pct: f64,
}

/// Why the engine is unhealthy, or `None` ([`health::unhealthy`]).
pub fn unhealthy(m: &EngineMetrics, h: Health) -> Option<String> {
    health::unhealthy(m, h.max_stale_pct)
}

/// Prometheus text of every actor's metrics.
pub fn render(m: &EngineMetrics) -> String {
    let mut out = String::new();
    for (actor, value) in m.by_actor() {
        prometheus::render(&mut out, actor, &value);
    }
    out
}

/// Starts the server on `listen` (loopback); answers the bound address.
pub fn start(
    listen: &str,
    engine: Engine,
    health: Health,
) -> std::io::Result<(std::net::SocketAddr, actix_web::dev::ServerHandle)> {
    let data = web::Data::new((engine, health));
    let server = HttpServer::new(move || {
        App::new()
            .app_data(data.clone())
            .route(
                "/metrics",
                web::get().to(|d: web::Data<(Engine, Health)>| async move {
                    let m = d.0.metrics().await;
                    HttpResponse::Ok()
                        .content_type("text/plain; version=0.0.4")
                        .body(render(&m))
                }),
            )
            .route(
                "/healthz",
                web::get().to(|d: web::Data<(Engine, Health)>| async move {
                    let m = d.0.metrics().await;
                    match unhealthy(&m, d.1) {
                        None => HttpResponse::Ok().body("ok\n"),
                        Some(why) => HttpResponse::ServiceUnavailable().body(format!("{why}\n")),
                    }
                }),
            )
    })
    .workers(1)
    .disable_signals()
    .bind(listen)?;
    let addr = server
        .addrs()
        .first()
        .copied()
        .ok_or_else(|| std::io::Error::other("bound to no address"))?;
    let server = server.run();
    let handle = server.handle();
    actix_rt::spawn(server);
    Ok((addr, handle))
}
