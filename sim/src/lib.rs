//! # kalshi-sim — a simulated Kalshi exchange that speaks the real API
//!
//! # Layout
//! - [`engine`]: the exchange core — accounts, markets, matching, lifecycle — pure and
//!   synchronous.
//! - [`catalogue`]: the default temperature-market catalogue and its hidden truths.
//! - [`config`]: [`config::SimConfig`], the simulator's settings.
//! - [`clock`]: real or manual time.
//! - [`readings`]: how it behaves where Kalshi's documents leave it open (duplicate client
//!   ids, WebSocket acknowledgements), chosen per run.
//! - [`server`]: the actix-web server, [`SimServer`] / [`SimHandle`] / [`SimControl`]; its
//!   rate limits run [`kalshi::bucket::TokenBucket`], the same arithmetic as the gateway's.
//! - [`world`]: truth drift, background market makers, determination.
//! - [`account`]: [`fresh_account`], an account with an in-memory key and its signer.

pub mod account;
pub mod catalogue;
pub mod clock;
pub mod config;
pub mod engine;
pub mod readings;
pub mod server;
pub mod world;

pub use account::fresh_account;
pub use clock::SimClock;
pub use config::SimConfig;
pub use server::{SimControl, SimHandle, SimServer};
