//! The simulator as a server: an actix-web app on its own thread and actix system, serving
//! Kalshi's REST API under `/trade-api/v2`, its WebSocket at `/trade-api/ws/v2`, and the
//! simulator's admin interface under `/_sim`. [`SimServer::start`] binds (loopback, port 0 by
//! default) and returns a [`SimHandle`] with the URLs and a [`SimControl`] for tests.
//!
//! # Layout
//! - [`state`]: [`state::Shared`], the core lock and everything sessions share.
//! - [`control`]: [`SimControl`], ground truth and fault switches as Rust calls.
//! - [`sessions`]: what the server keeps of each live WebSocket session.
//! - `routes`: the URL map and the request log.
//! - [`gate`], [`auth`], [`error`]: admission (auth, faults, token buckets) and error bodies.
//! - `rest_*`: REST handlers (`rest_history`: trades, candlesticks; `rest_historical`: the
//!   historical cutoff and `/historical/*`;
//!   `rest_events`: fee changes and event metadata; `rest_forecast`: an event's implied
//!   forecast history; `rest_queue`: queue positions and the
//!   value of resting orders; `rest_orders`: V2 orders and order groups);
//!   `convert`: engine records → wire types; `respond`: the JSON, pagination and common-400
//!   helpers every handler uses.
//! - `admin`: `/_sim/...` over HTTP; `forecast`: the synthetic Open-Meteo ensemble.
//! - `ws`: WebSocket sessions.
//! - [`faults`]: the fault switches.

pub mod auth;
pub mod control;
pub mod error;
pub mod faults;
pub mod gate;
pub mod sessions;
pub mod state;

mod admin;
mod conn;
pub mod convert;
mod forecast;
mod respond;
mod rest_account;
mod rest_events;
mod rest_exchange;
mod rest_forecast;
mod rest_historical;
mod rest_history;
mod rest_markets;
mod rest_orders;
mod rest_portfolio;
mod rest_queue;
mod routes;
mod ws;

use std::{
    io,
    net::{SocketAddr, TcpListener},
    sync::Arc,
    thread::JoinHandle,
    time::Duration,
};

use actix_web::{App, HttpServer, dev::ServerHandle, web};

pub use control::SimControl;

use crate::{catalogue, clock::SimClock, config::SimConfig, engine::Exchange, world::World};
use state::{Core, Shared};

/// Starts simulators.
#[derive(Debug)]
pub struct SimServer;

impl SimServer {
    /// Starts a simulator on the real clock.
    pub fn start(config: SimConfig) -> io::Result<SimHandle> {
        SimServer::start_with_clock(config, SimClock::Real)
    }

    /// Starts a simulator on `clock` (tests pass [`SimClock::manual`]).
    pub fn start_with_clock(config: SimConfig, clock: SimClock) -> io::Result<SimHandle> {
        config
            .validate()
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e.join("; ")))?;
        let now = clock.now();
        let (events, markets) = catalogue::build(&config.catalogue, now)
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
        let mut exchange = Exchange::new(config.seed);
        exchange.set_duplicate_rule(config.readings.duplicate_client_id);
        for m in markets {
            exchange.add_market(m);
        }
        exchange.tick(now);
        let world = World::new(config.liquidity.clone(), events, &mut exchange, config.seed);
        let listener = TcpListener::bind((config.bind, config.port))?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared::new(config, clock, Core { exchange, world }));
        let control = SimControl::new(shared.clone());
        for spec in shared.config.accounts.clone() {
            control
                .register_spec(&spec)
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
        }

        let (tx, rx) = std::sync::mpsc::channel();
        let thread_shared = shared.clone();
        let thread = std::thread::Builder::new()
            .name("kalshi-sim".into())
            .spawn(move || {
                let system = actix_web::rt::System::new();
                system.block_on(async move {
                    let result = serve(thread_shared, listener);
                    match result {
                        Ok(server) => {
                            let _ = tx.send(Ok(server.handle()));
                            let _ = server.await;
                        }
                        Err(e) => {
                            let _ = tx.send(Err(e));
                        }
                    }
                });
            })?;
        let server = rx
            .recv()
            .map_err(|_| io::Error::other("simulator thread ended before starting"))??;
        Ok(SimHandle {
            addr,
            control,
            server,
            thread: Some(thread),
        })
    }
}

fn serve(shared: Arc<Shared>, listener: TcpListener) -> io::Result<actix_web::dev::Server> {
    let workers = shared.config.workers;
    let data = web::Data::from(shared.clone());
    let server = HttpServer::new(move || {
        App::new()
            .app_data(data.clone())
            .configure(routes::configure)
    })
    .workers(workers)
    .disable_signals()
    .shutdown_timeout(1)
    .on_connect(conn::on_connect)
    .listen(listener)?
    .run();
    background(shared);
    Ok(server)
}

/// The world's ticker and the periodic WebSocket drops, on the server's own arbiter.
fn background(shared: Arc<Shared>) {
    let world = shared.clone();
    actix_web::rt::spawn(async move {
        let mut every =
            actix_web::rt::time::interval(Duration::from_millis(world.config.world_tick_ms));
        loop {
            every.tick().await;
            world.with_core(|c, now| c.world.step(&mut c.exchange, now));
        }
    });
    actix_web::rt::spawn(async move {
        let mut every = actix_web::rt::time::interval(Duration::from_millis(50));
        let mut last = std::time::Instant::now();
        loop {
            every.tick().await;
            let (period, mode) = {
                let f = state::lock(&shared.faults);
                (f.ws_drop_every_s, f.ws_drop_mode)
            };
            if let Some(period) = period {
                if last.elapsed().as_secs_f64() >= period {
                    last = std::time::Instant::now();
                    SimControl::new(shared.clone())
                        .drop_ws(mode.unwrap_or(faults::DropMode::Close));
                }
            } else {
                last = std::time::Instant::now();
            }
        }
    });
}

/// A running simulator. Dropping it stops the server.
#[derive(Debug)]
pub struct SimHandle {
    addr: SocketAddr,
    control: SimControl,
    server: ServerHandle,
    thread: Option<JoinHandle<()>>,
}

impl SimHandle {
    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT` — the admin interface lives under `/_sim`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The REST base URL, `http://127.0.0.1:PORT/trade-api/v2`.
    pub fn rest_url(&self) -> String {
        format!("http://{}{}", self.addr, kalshi::rest::API_PREFIX)
    }

    /// The WebSocket URL, `ws://127.0.0.1:PORT/trade-api/ws/v2`.
    pub fn ws_url(&self) -> String {
        format!("ws://{}{}", self.addr, kalshi::rest::WS_PATH)
    }

    /// Ground truth and fault switches.
    pub fn control(&self) -> &SimControl {
        &self.control
    }

    /// Stops the server and waits for its thread.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        // The stop command is sent when `stop` is called; the returned future only waits.
        drop(self.server.stop(false));
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for SimHandle {
    fn drop(&mut self) {
        self.shutdown();
    }
}
