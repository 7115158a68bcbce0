//! `/metrics` (Prometheus text) and `/healthz` (`ok` or why not, then the strategy's state) on
//! a loopback port; in a build with the
//! `fault-injection` feature only, also `POST /_fault/panic/{actor}`, which makes one actor
//! panic on purpose (`tradewind soak --process-faults` drives it) and answers 202, or 404 for
//! an unknown actor. A normal build does not serve it.

use actix_web::{App, HttpResponse, HttpServer, web};
use tracing::warn;
use tradewind_actors::{
    fault_injection, health,
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

/// `/healthz`: whether the engine is healthy, and the body — `ok` or why not, then the
/// strategy's state (`strategy trading`, `strategy idle: no forecast`). An idle strategy is
/// not a failure: it is reported, the engine stays healthy.
pub fn healthz(m: &EngineMetrics, h: Health) -> (bool, String) {
    let state = m
        .strategy
        .as_ref()
        .map_or("does not answer", |s| s.state.state.as_str());
    match unhealthy(m, h) {
        None => (true, format!("ok\nstrategy {state}\n")),
        Some(why) => (false, format!("{why}\nstrategy {state}\n")),
    }
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
        let app = App::new()
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
                    let (healthy, body) = healthz(&m, d.1);
                    if healthy {
                        HttpResponse::Ok().body(body)
                    } else {
                        HttpResponse::ServiceUnavailable().body(body)
                    }
                }),
            );
        if fault_injection::ENABLED {
            app.route("/_fault/panic/{actor}", web::post().to(inject_panic))
        } else {
            app
        }
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

/// `POST /_fault/panic/{actor}` (fault-injection builds only): 202 once the panic is sent.
async fn inject_panic(d: web::Data<(Engine, Health)>, actor: web::Path<String>) -> HttpResponse {
    warn!(actor = %actor, "injecting a panic on request (fault-injection build)");
    match fault_injection::panic_actor(&d.0, &actor, "requested on /_fault/panic") {
        Ok(()) => HttpResponse::Accepted().body("panic sent\n"),
        Err(e) => {
            warn!(actor = %actor, error = %e, "panic not injected");
            HttpResponse::NotFound().body(format!("{e}\n"))
        }
    }
}
