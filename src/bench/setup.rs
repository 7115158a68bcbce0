//! Set-up shared by the bench scenarios and the soak: which series to watch and a blackout
//! clock that never pauses a measurement. A leaf: it names nothing else in the binary.

use tradewind_actors::{blackout::BlackoutConfig, strategy::ForecastConfig};

/// The daily-high-temperature series: those the strategy has a forecast city for.
pub(crate) fn temperature_series() -> Vec<String> {
    ForecastConfig::default().cities.into_keys().collect()
}

/// A blackout clock with no recurring (GFS) or weekly window, so a measurement is not paused
/// by the time of day it runs at.
pub(crate) fn no_scheduled_blackouts() -> BlackoutConfig {
    BlackoutConfig {
        recurring: Vec::new(),
        weekly_maintenance: false,
        ..Default::default()
    }
}
