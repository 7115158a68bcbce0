//! The simulator's market catalogue: series → events → markets, shaped like Kalshi's daily
//! high-temperature markets (kalshi-api.md §10), each event carrying the hidden truth its
//! markets settle on.
//!
//! An event is one city and one day (`KXHIGHNY-26NOV28`). Its markets split the day's
//! maximum temperature (whole °F, as the NWS climate report gives it) into two open-ended tails
//! and two-degree brackets: `KXHIGHNY-26NOV28-T46` ("45° or below"), `-B46.5` ("46° to 47°"),
//! …, `-T53` ("54° or above"). The hidden truth is a normal distribution of that maximum whose
//! mean drifts; a market's true probability is the mass its strike range holds.

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use kalshi::{
    EventTicker, SeriesTicker, Ticker,
    fees::FeeType,
    num::{PriceLevelStructure, PriceRanges},
};
use serde::{Deserialize, Serialize};

use crate::engine::{MarketInfo, Strike};

/// One city's series in the catalogue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CitySpec {
    /// Series ticker, e.g. `KXHIGHNY`.
    pub series: String,
    /// Human name, e.g. `New York City`.
    pub name: String,
    /// Typical daily high for the season (°F): the centre of the brackets.
    pub normal_high_f: f64,
    /// Spread of the hidden truth (°F, one standard deviation).
    pub sigma_f: f64,
    /// Settlement station (for the rules text and the forecast endpoint).
    pub station: String,
    /// Station latitude.
    pub latitude: f64,
    /// Station longitude.
    pub longitude: f64,
}

/// The catalogue configuration: which cities, how many days, how many brackets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CatalogueConfig {
    /// Cities (one series each).
    pub cities: Vec<CitySpec>,
    /// Days of events per city, starting today (UTC).
    pub days: u32,
    /// Two-degree brackets per event (plus two tails).
    pub brackets: u32,
    /// Fee model of every series.
    pub fee_type: FeeType,
    /// Seconds between determination and settlement.
    pub settlement_timer_seconds: i64,
}

impl Default for CatalogueConfig {
    fn default() -> Self {
        let city =
            |series: &str, name: &str, high: f64, station: &str, lat: f64, lon: f64| CitySpec {
                series: series.into(),
                name: name.into(),
                normal_high_f: high,
                sigma_f: 3.0,
                station: station.into(),
                latitude: lat,
                longitude: lon,
            };
        CatalogueConfig {
            cities: vec![
                city("KXHIGHNY", "New York City", 50.0, "KNYC", 40.7789, -73.9692),
                city("KXHIGHCHI", "Chicago", 42.0, "KMDW", 41.7868, -87.7522),
                city("KXHIGHMIA", "Miami", 79.0, "KMIA", 25.7881, -80.3169),
                city("KXHIGHLAX", "Los Angeles", 68.0, "KLAX", 33.9382, -118.3866),
                city("KXHIGHAUS", "Austin", 66.0, "KAUS", 30.1831, -97.6799),
                city("KXHIGHDEN", "Denver", 48.0, "KDEN", 39.8466, -104.6562),
            ],
            days: 3,
            brackets: 4,
            fee_type: FeeType::Quadratic,
            settlement_timer_seconds: 300,
        }
    }
}

/// An event of the catalogue with its hidden truth.
#[derive(Debug, Clone)]
pub struct SimEventSpec {
    /// Event ticker.
    pub event_ticker: EventTicker,
    /// Series ticker.
    pub series_ticker: SeriesTicker,
    /// Title, e.g. "Highest temperature in New York City on Nov 28, 2026?".
    pub title: String,
    /// The day the event is about.
    pub date: NaiveDate,
    /// Index into the catalogue's cities.
    pub city: usize,
    /// Hidden truth: mean of the day's maximum temperature (°F); drifts.
    pub mu_f: f64,
    /// Hidden truth: standard deviation (°F).
    pub sigma_f: f64,
    /// Markets of the event, in strike order.
    pub markets: Vec<Ticker>,
}

/// Kalshi's date code in tickers: `26NOV28`.
pub fn date_code(date: NaiveDate) -> String {
    const MONTHS: [&str; 12] = [
        "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
    ];
    format!(
        "{:02}{}{:02}",
        date.year() % 100,
        MONTHS[date.month0() as usize],
        date.day()
    )
}

/// Builds the catalogue for days starting at `now`'s date: events and their market metadata.
/// Markets open an hour before `now` and close at 23:59 UTC of their day.
pub fn build(
    cfg: &CatalogueConfig,
    now: DateTime<Utc>,
) -> Result<(Vec<SimEventSpec>, Vec<MarketInfo>), String> {
    let mut events = Vec::new();
    let mut markets = Vec::new();
    for city in 0..cfg.cities.len() {
        for day in 0..cfg.days {
            let date = now.date_naive() + Duration::days(i64::from(day));
            let (event, event_markets) = build_event(cfg, city, date, now)?;
            events.push(event);
            markets.extend(event_markets);
        }
    }
    Ok((events, markets))
}

/// Builds one event (a city and a day) and its markets, listed at `now`.
pub fn build_event(
    cfg: &CatalogueConfig,
    city_index: usize,
    date: NaiveDate,
    now: DateTime<Utc>,
) -> Result<(SimEventSpec, Vec<MarketInfo>), String> {
    let city = cfg
        .cities
        .get(city_index)
        .ok_or_else(|| format!("no city {city_index}"))?;
    // Kalshi's timestamps are whole seconds.
    let now = DateTime::from_timestamp(now.timestamp(), 0).unwrap_or(now);
    let series = SeriesTicker::new(city.series.as_str()).map_err(|e| e.to_string())?;
    let event_ticker = EventTicker::new(format!("{}-{}", city.series, date_code(date)))
        .map_err(|e| e.to_string())?;
    let title = format!(
        "Highest temperature in {} on {}?",
        city.name,
        date.format("%b %-d, %Y")
    );
    let close = Utc.from_utc_datetime(&date.and_hms_opt(23, 59, 0).unwrap_or_default());
    let mut event = SimEventSpec {
        event_ticker: event_ticker.clone(),
        series_ticker: series.clone(),
        title: title.clone(),
        date,
        city: city_index,
        mu_f: city.normal_high_f,
        sigma_f: city.sigma_f,
        markets: Vec::new(),
    };
    let mut markets = Vec::new();
    for (suffix, strike, yes_sub) in strikes(city.normal_high_f, cfg.brackets) {
        let ticker = Ticker::new(format!("{event_ticker}-{suffix}")).map_err(|e| e.to_string())?;
        event.markets.push(ticker.clone());
        markets.push(MarketInfo {
            ticker,
            event_ticker: event_ticker.clone(),
            series_ticker: series.clone(),
            title: title.clone(),
            no_sub_title: format!("Not {yes_sub}"),
            rules_primary: format!(
                "If the highest temperature recorded at {} for {} is {yes_sub}, then the \
                 market resolves to Yes. Source: NWS Climatological Report (Daily).",
                city.station,
                date.format("%b %-d, %Y")
            ),
            yes_sub_title: yes_sub,
            strike,
            price_level_structure: PriceLevelStructure::LinearCent,
            price_ranges: PriceRanges::linear_cent(),
            fee_type: cfg.fee_type,
            created_time: now - Duration::hours(2),
            open_time: now - Duration::hours(1),
            close_time: close.max(now + Duration::minutes(30)),
            latest_expiration_time: close + Duration::days(7),
            settlement_timer_seconds: cfg.settlement_timer_seconds,
        });
    }
    Ok((event, markets))
}

/// Ticker suffix, strike and YES subtitle of each market of an event centred on `centre` °F.
fn strikes(centre: f64, brackets: u32) -> Vec<(String, Strike, String)> {
    let n = i64::from(brackets.max(1));
    let low = centre.round() as i64 - n; // first bracket covers low..=low+1
    let high = low + 2 * n - 1; // last bracket covers high-1..=high
    let mut out = vec![(
        format!("T{low}"),
        Strike::Less { cap: low as f64 },
        format!("{}° or below", low - 1),
    )];
    for b in 0..n {
        let floor = low + 2 * b;
        out.push((
            format!("B{floor}.5"),
            Strike::Between {
                floor: floor as f64,
                cap: (floor + 1) as f64,
            },
            format!("{floor}° to {}°", floor + 1),
        ));
    }
    out.push((
        format!("T{high}"),
        Strike::Greater { floor: high as f64 },
        format!("{}° or above", high + 1),
    ));
    out
}

/// The probability that the day's whole-degree maximum lands in `strike`, when the maximum
/// is normal(`mu`, `sigma`) before rounding.
pub fn strike_probability(strike: Strike, mu: f64, sigma: f64) -> f64 {
    let cdf = |x: f64| 0.5 * (1.0 + libm::erf((x - mu) / (sigma * std::f64::consts::SQRT_2)));
    match strike {
        Strike::Between { floor, cap } => cdf(cap + 0.5) - cdf(floor - 0.5),
        Strike::Greater { floor } => 1.0 - cdf(floor + 0.5),
        Strike::Less { cap } => cdf(cap - 0.5),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_catalogue_looks_like_kalshi_weather() {
        let now = Utc.with_ymd_and_hms(2026, 11, 28, 12, 0, 0).unwrap();
        let (events, markets) = build(&CatalogueConfig::default(), now).unwrap();
        assert_eq!(events.len(), 18);
        assert_eq!(markets.len(), 18 * 6);
        let ny: Vec<&str> = events[0].markets.iter().map(|t| t.as_str()).collect();
        assert_eq!(
            ny,
            [
                "KXHIGHNY-26NOV28-T46",
                "KXHIGHNY-26NOV28-B46.5",
                "KXHIGHNY-26NOV28-B48.5",
                "KXHIGHNY-26NOV28-B50.5",
                "KXHIGHNY-26NOV28-B52.5",
                "KXHIGHNY-26NOV28-T53",
            ]
        );
        assert_eq!(markets[0].yes_sub_title, "45° or below");
        assert_eq!(markets[5].yes_sub_title, "54° or above");
    }

    #[test]
    fn strike_probabilities_of_an_event_sum_to_one() {
        let specs = strikes(50.0, 4);
        let total: f64 = specs
            .iter()
            .map(|(_, s, _)| strike_probability(*s, 51.3, 2.7))
            .sum();
        assert!((total - 1.0).abs() < 1e-12, "{total}");
        // Every whole degree lands in exactly one market.
        for t in 30..70 {
            let hits = specs
                .iter()
                .filter(|(_, s, _)| s.pays_yes(f64::from(t)))
                .count();
            assert_eq!(hits, 1, "{t}°");
        }
    }
}
