//! Fault switches: how the simulator misbehaves on purpose. Set from the control handle or
//! `POST /_sim/faults` (a JSON object with any of the [`FaultPatch`] fields); read back with
//! `GET /_sim/faults`.

use serde::{Deserialize, Serialize};

use crate::readings::{DuplicateRule, Readings};

/// The largest `clock_skew_ms` accepted: a day.
pub const MAX_CLOCK_SKEW_MS: i64 = 86_400_000;

/// How to drop WebSocket connections.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DropMode {
    /// Send a Close frame, then close.
    Close,
    /// Reset the TCP connection with no Close frame.
    Cut,
}

/// The standing fault state.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Faults {
    /// Answer 429 to the next N API requests.
    pub rest_429_next: u32,
    /// Answer 429 to this fraction of API requests.
    pub rest_429_fraction: f64,
    /// Add `Retry-After: N` to 429 answers (Kalshi sends none).
    pub retry_after_s: Option<u32>,
    /// Answer 5xx to the next N API requests.
    pub rest_5xx_next: u32,
    /// Answer 5xx to this fraction of API requests.
    pub rest_5xx_fraction: f64,
    /// The 5xx status to answer (500, 502, 503 or 504).
    pub rest_5xx_status: Option<u16>,
    /// Delay every API request by this long, ms.
    pub latency_ms: u64,
    /// Accept the next N order creates, then reset the connection before the response.
    pub reset_after_accept_next: u32,
    /// Drop every WebSocket connection every this many seconds.
    pub ws_drop_every_s: Option<f64>,
    /// How the periodic drop happens.
    pub ws_drop_mode: Option<DropMode>,
    /// Stalled connections send nothing (no data, no pings) but keep TCP open.
    pub ws_stall: bool,
    /// Skip one `seq` in the next N orderbook messages (per connection).
    pub ws_skip_seq_next: u32,
    /// Send the next N orderbook deltas twice.
    pub ws_duplicate_next: u32,
    /// Swap the next N pairs of consecutive orderbook deltas.
    pub ws_reorder_next: u32,
    /// The exchange's clock runs this far ahead of the simulator's (negative: behind), ms:
    /// the `Date` header of every API answer and the time the auth check holds signed
    /// timestamps against both move; markets, orders and token buckets keep the real clock.
    pub clock_skew_ms: i64,
    /// Refuse every new WebSocket upgrade with 503 before authenticating it (connections
    /// already open stay open).
    pub ws_refuse_upgrades: bool,
    /// How the exchange behaves where Kalshi's documents leave it open (`clear` keeps it).
    #[serde(flatten)]
    pub readings: Readings,
}

/// A change to the faults, plus one-shot actions. Absent fields leave things as they are.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultPatch {
    /// Reset every switch first.
    #[serde(default)]
    pub clear: bool,
    /// See [`Faults::rest_429_next`].
    pub rest_429_next: Option<u32>,
    /// See [`Faults::rest_429_fraction`].
    pub rest_429_fraction: Option<f64>,
    /// See [`Faults::retry_after_s`] (0 removes it).
    pub retry_after_s: Option<u32>,
    /// See [`Faults::rest_5xx_next`].
    pub rest_5xx_next: Option<u32>,
    /// See [`Faults::rest_5xx_fraction`].
    pub rest_5xx_fraction: Option<f64>,
    /// See [`Faults::rest_5xx_status`].
    pub rest_5xx_status: Option<u16>,
    /// See [`Faults::latency_ms`].
    pub latency_ms: Option<u64>,
    /// See [`Faults::reset_after_accept_next`].
    pub reset_after_accept_next: Option<u32>,
    /// See [`Faults::ws_drop_every_s`] (0 turns it off).
    pub ws_drop_every_s: Option<f64>,
    /// See [`Faults::ws_drop_mode`].
    pub ws_drop_mode: Option<DropMode>,
    /// See [`Faults::ws_stall`].
    pub ws_stall: Option<bool>,
    /// See [`Faults::ws_skip_seq_next`].
    pub ws_skip_seq_next: Option<u32>,
    /// See [`Faults::ws_duplicate_next`].
    pub ws_duplicate_next: Option<u32>,
    /// See [`Faults::ws_reorder_next`].
    pub ws_reorder_next: Option<u32>,
    /// See [`Faults::clock_skew_ms`] (0 turns it off).
    pub clock_skew_ms: Option<i64>,
    /// See [`Faults::ws_refuse_upgrades`].
    pub ws_refuse_upgrades: Option<bool>,
    /// One shot: drop every WebSocket connection now, this way.
    pub ws_drop_now: Option<DropMode>,
    /// One shot: pause this market.
    pub pause_market: Option<String>,
    /// One shot: unpause this market (cancels its resting orders, as Kalshi does).
    pub unpause_market: Option<String>,
    /// Switch trading on or off exchange-wide.
    pub trading_active: Option<bool>,
    /// See [`Readings::duplicate_client_id`].
    pub duplicate_client_id: Option<DuplicateRule>,
    /// See [`Readings::ws_acks_in_seq`].
    pub ws_acks_in_seq: Option<bool>,
    /// See [`Readings::ws_merge_subscribes`].
    pub ws_merge_subscribes: Option<bool>,
}

impl FaultPatch {
    /// Checks values that cannot work, naming the field.
    pub fn validate(&self) -> Result<(), String> {
        for (name, v) in [
            ("rest_429_fraction", self.rest_429_fraction),
            ("rest_5xx_fraction", self.rest_5xx_fraction),
        ] {
            if let Some(f) = v
                && !(0.0..=1.0).contains(&f)
            {
                return Err(format!("{name}: must be within 0..=1, got {f}"));
            }
        }
        if let Some(s) = self.rest_5xx_status
            && !(500..=599).contains(&s)
        {
            return Err(format!("rest_5xx_status: must be a 5xx status, got {s}"));
        }
        if let Some(s) = self.ws_drop_every_s
            && (s.is_nan() || s < 0.0)
        {
            return Err(format!("ws_drop_every_s: must be ≥ 0, got {s}"));
        }
        if let Some(ms) = self.clock_skew_ms
            && ms.abs() > MAX_CLOCK_SKEW_MS
        {
            return Err(format!(
                "clock_skew_ms: must be within ±{MAX_CLOCK_SKEW_MS} (a day), got {ms}"
            ));
        }
        Ok(())
    }

    /// Applies the switch changes (not the one-shot actions) to `faults`.
    pub fn apply(&self, faults: &mut Faults) {
        if self.clear {
            *faults = Faults {
                readings: faults.readings,
                ..Faults::default()
            };
        }
        macro_rules! set {
            ($($f:ident),*) => { $(if let Some(v) = self.$f { faults.$f = v; })* };
        }
        set!(
            rest_429_next,
            rest_429_fraction,
            rest_5xx_next,
            rest_5xx_fraction,
            latency_ms,
            reset_after_accept_next,
            ws_stall,
            ws_skip_seq_next,
            ws_duplicate_next,
            ws_reorder_next,
            clock_skew_ms,
            ws_refuse_upgrades
        );
        if let Some(s) = self.retry_after_s {
            faults.retry_after_s = (s > 0).then_some(s);
        }
        if let Some(s) = self.rest_5xx_status {
            faults.rest_5xx_status = Some(s);
        }
        if let Some(s) = self.ws_drop_every_s {
            faults.ws_drop_every_s = (s > 0.0).then_some(s);
        }
        if let Some(m) = self.ws_drop_mode {
            faults.ws_drop_mode = Some(m);
        }
        let r = &mut faults.readings;
        if let Some(d) = self.duplicate_client_id {
            r.duplicate_client_id = d;
        }
        if let Some(v) = self.ws_acks_in_seq {
            r.ws_acks_in_seq = v;
        }
        if let Some(v) = self.ws_merge_subscribes {
            r.ws_merge_subscribes = v;
        }
    }
}
