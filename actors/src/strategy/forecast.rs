//! Forecasts for the temperature markets: per-market probabilities, or ensemble members of a
//! city's daily maximum from which the probability of each market's strike range is counted.
//! Parses this project's JSON file format and Open-Meteo's `/v1/ensemble` daily answer.
//!
//! The strategy may compute probabilities in `f64` (design.md); prices stay fixed-point.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, NaiveDate, Utc};
use kalshi::{
    SeriesTicker, Ticker,
    rest::{Market, markets::StrikeType},
};
use serde::Deserialize;

/// What is known about tomorrow's (and later) weather.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Forecast {
    /// Explicit probabilities per market.
    pub probabilities: HashMap<Ticker, f64>,
    /// Ensemble members (°F, daily maximum) per series and date.
    pub ensembles: HashMap<(SeriesTicker, NaiveDate), Vec<f64>>,
    /// The model run the forecast comes from, when the source says (the file's `model_run`;
    /// Open-Meteo's ensemble answer does not).
    pub model_run: Option<DateTime<Utc>>,
}

/// The JSON file format:
/// `{"probabilities": {"KXHIGHNY-26NOV28-B50.5": 0.31},
///   "ensembles": {"KXHIGHNY": {"2026-11-28": [51.2, 49.8, 50.4]}},
///   "model_run": "2026-11-28T06:00:00Z"}` (`model_run` optional).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ForecastFile {
    #[serde(default)]
    probabilities: HashMap<Ticker, f64>,
    #[serde(default)]
    ensembles: HashMap<SeriesTicker, HashMap<NaiveDate, Vec<f64>>>,
    #[serde(default)]
    model_run: Option<DateTime<Utc>>,
}

/// Open-Meteo's `/v1/ensemble` answer (the parts used): `daily.time` and one
/// `temperature_2m_max[_memberNN]` array per member, `null` where missing.
#[derive(Debug, Deserialize)]
struct OpenMeteo {
    daily: HashMap<String, Vec<serde_json::Value>>,
}

impl Forecast {
    /// Parses the JSON file format; errors say what is wrong.
    pub fn from_file_json(text: &str) -> Result<Forecast, String> {
        let f: ForecastFile =
            serde_json::from_str(text).map_err(|e| format!("forecast file: {e}"))?;
        if let Some((t, p)) = f
            .probabilities
            .iter()
            .find(|(_, p)| !(0.0..=1.0).contains(*p))
        {
            return Err(format!(
                "forecast file: probability of {t} is {p}, not within 0..=1"
            ));
        }
        let ensembles = f
            .ensembles
            .into_iter()
            .flat_map(|(s, days)| days.into_iter().map(move |(d, m)| ((s.clone(), d), m)))
            .collect();
        Ok(Forecast {
            probabilities: f.probabilities,
            ensembles,
            model_run: f.model_run,
        })
    }

    /// Reads one city's Open-Meteo ensemble answer into members per date for `series`.
    pub fn add_open_meteo(&mut self, series: &SeriesTicker, text: &str) -> Result<usize, String> {
        let om: OpenMeteo =
            serde_json::from_str(text).map_err(|e| format!("open-meteo answer: {e}"))?;
        let days = om
            .daily
            .get("time")
            .ok_or("open-meteo answer has no daily.time")?;
        let mut added = 0;
        for (i, day) in days.iter().enumerate() {
            let Some(date) = day
                .as_str()
                .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            else {
                continue;
            };
            let members: Vec<f64> = om
                .daily
                .iter()
                .filter(|(k, _)| k.starts_with("temperature_2m_max"))
                .filter_map(|(_, v)| v.get(i).and_then(serde_json::Value::as_f64))
                .collect();
            if !members.is_empty() {
                self.ensembles.insert((series.clone(), date), members);
                added += 1;
            }
        }
        Ok(added)
    }

    /// The forecast in the JSON file format (keys sorted: the same forecast always gives the
    /// same text), as [`Forecast::from_file_json`] reads it; for a recording.
    pub fn to_file_json(&self) -> String {
        let mut ensembles: BTreeMap<&str, BTreeMap<NaiveDate, &Vec<f64>>> = BTreeMap::new();
        for ((series, date), members) in &self.ensembles {
            ensembles
                .entry(series.as_str())
                .or_default()
                .insert(*date, members);
        }
        let probabilities: BTreeMap<&str, f64> = self
            .probabilities
            .iter()
            .map(|(t, p)| (t.as_str(), *p))
            .collect();
        let file = serde_json::json!({
            "probabilities": probabilities,
            "ensembles": ensembles,
            "model_run": self.model_run,
        });
        file.to_string()
    }

    /// Merges another forecast in (its entries win).
    pub fn merge(&mut self, other: Forecast) {
        self.probabilities.extend(other.probabilities);
        self.ensembles.extend(other.ensembles);
        self.model_run = other.model_run.or(self.model_run);
    }

    /// The fair probability that `market` settles YES: its explicit probability, else the
    /// share of ensemble members (rounded to whole °F, shifted by `bias_f`) in its strike
    /// range, smoothed by half a member at each end so it is never exactly 0 or 1.
    pub fn fair_probability(&self, market: &Market, bias_f: f64) -> Option<f64> {
        if let Some(p) = self.probabilities.get(&market.ticker) {
            return Some(*p);
        }
        let (series, date) = series_and_date(market.event_ticker.as_str())?;
        let members = self.ensembles.get(&(series, date))?;
        let strike = Strike::of(market)?;
        let hits = members
            .iter()
            .filter(|m| strike.pays_yes((**m + bias_f).round()))
            .count();
        Some((hits as f64 + 0.5) / (members.len() as f64 + 1.0))
    }
}

/// A market's strike in °F.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Strike {
    Between(f64, f64),
    Greater(f64),
    Less(f64),
}

impl Strike {
    fn of(m: &Market) -> Option<Strike> {
        let floor = m.floor_strike.map(|d| d.as_f64());
        let cap = m.cap_strike.map(|d| d.as_f64());
        match m.strike_type.as_ref()? {
            StrikeType::Between => Some(Strike::Between(floor?, cap?)),
            StrikeType::Greater => Some(Strike::Greater(floor?)),
            StrikeType::Less => Some(Strike::Less(cap?)),
            _ => None,
        }
    }

    fn pays_yes(self, v: f64) -> bool {
        match self {
            Strike::Between(lo, hi) => v >= lo && v <= hi,
            Strike::Greater(lo) => v > lo,
            Strike::Less(hi) => v < hi,
        }
    }
}

/// The series and date of an event ticker such as `KXHIGHNY-26NOV28`.
pub fn series_and_date(event_ticker: &str) -> Option<(SeriesTicker, NaiveDate)> {
    let (series, code) = event_ticker.split_once('-')?;
    let code = code.split('-').next()?;
    if code.len() != 7 {
        return None;
    }
    let month = match &code[2..5] {
        "JAN" => 1,
        "FEB" => 2,
        "MAR" => 3,
        "APR" => 4,
        "MAY" => 5,
        "JUN" => 6,
        "JUL" => 7,
        "AUG" => 8,
        "SEP" => 9,
        "OCT" => 10,
        "NOV" => 11,
        "DEC" => 12,
        _ => return None,
    };
    let year: i32 = code[..2].parse().ok()?;
    let day: u32 = code[5..].parse().ok()?;
    let date = NaiveDate::from_ymd_opt(2000 + year, month, day)?;
    Some((SeriesTicker::new(series).ok()?, date))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn market(ticker: &str, strike: serde_json::Value) -> Market {
        let mut json = serde_json::json!({
            "ticker": ticker, "event_ticker": ticker.rsplit_once('-').unwrap().0,
            "market_type": "binary", "created_time": "2026-11-28T00:00:00Z",
            "updated_time": "2026-11-28T00:00:00Z", "open_time": "2026-11-28T00:00:00Z",
            "close_time": "2026-11-28T23:59:00Z", "latest_expiration_time": "2026-12-05T00:00:00Z",
            "settlement_timer_seconds": 60, "status": "active", "notional_value_dollars": "1.0000",
            "yes_bid_dollars": "0.4000", "yes_ask_dollars": "0.4200", "no_bid_dollars": "0.5800",
            "no_ask_dollars": "0.6000", "yes_bid_size_fp": "1.00", "yes_ask_size_fp": "1.00",
            "last_price_dollars": "0.4100", "volume_fp": "0.00", "open_interest_fp": "0.00",
            "result": "", "price_level_structure": "linear_cent", "price_ranges": []
        });
        for (k, v) in strike.as_object().unwrap() {
            json[k] = v.clone();
        }
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn the_file_format_round_trips_in_a_stable_order() {
        let text = r#"{"probabilities": {"B": 0.25, "A": 0.5},
            "ensembles": {"KXHIGHNY": {"2026-11-29": [1.5], "2026-11-28": [50.0, 51.25]}},
            "model_run": "2026-11-28T06:00:00Z"}"#;
        let f = Forecast::from_file_json(text).unwrap();
        let json = f.to_file_json();
        assert_eq!(Forecast::from_file_json(&json).unwrap(), f);
        assert_eq!(
            json,
            Forecast::from_file_json(&json).unwrap().to_file_json()
        );
        assert!(json.find("\"A\"").unwrap() < json.find("\"B\"").unwrap());
        let empty = Forecast::default().to_file_json();
        assert_eq!(
            Forecast::from_file_json(&empty).unwrap(),
            Forecast::default()
        );
    }

    #[test]
    fn event_tickers_give_series_and_date() {
        let (s, d) = series_and_date("KXHIGHNY-26NOV28").unwrap();
        assert_eq!(
            (s.as_str(), d.to_string().as_str()),
            ("KXHIGHNY", "2026-11-28")
        );
        assert!(series_and_date("KXHIGHNY-26XYZ28").is_none());
        assert!(series_and_date("KXHIGHNY").is_none());
    }

    #[test]
    fn members_in_range_give_a_smoothed_probability() {
        let text = r#"{"ensembles": {"KXHIGHNY": {"2026-11-28": [49.6, 50.4, 51.0, 52.2, 55.0, 47.1, 50.5]}}}"#;
        let f = Forecast::from_file_json(text).unwrap();
        let between = market(
            "KXHIGHNY-26NOV28-B50.5",
            serde_json::json!({"strike_type": "between", "floor_strike": 50, "cap_strike": 51}),
        );
        // Rounded: 50, 50, 51, 52, 55, 47, 51 (50.5 rounds away from zero) → 4 in 50..=51.
        assert_eq!(f.fair_probability(&between, 0.0), Some(4.5 / 8.0));
        let above = market(
            "KXHIGHNY-26NOV28-T53",
            serde_json::json!({"strike_type": "greater", "floor_strike": 53}),
        );
        assert_eq!(f.fair_probability(&above, 0.0), Some(1.5 / 8.0));
        let below = market(
            "KXHIGHNY-26NOV28-T48",
            serde_json::json!({"strike_type": "less", "cap_strike": 48}),
        );
        assert_eq!(f.fair_probability(&below, 0.0), Some(1.5 / 8.0));
        assert_eq!(
            f.fair_probability(&below, 3.0),
            Some(0.5 / 8.0),
            "a warm bias moves members up"
        );
    }

    #[test]
    fn explicit_probabilities_win_and_bad_ones_are_refused() {
        let f = Forecast::from_file_json(r#"{"probabilities": {"KXHIGHNY-26NOV28-B50.5": 0.3}}"#)
            .unwrap();
        let m = market(
            "KXHIGHNY-26NOV28-B50.5",
            serde_json::json!({"strike_type": "between", "floor_strike": 50, "cap_strike": 51}),
        );
        assert_eq!(f.fair_probability(&m, 0.0), Some(0.3));
        let err = Forecast::from_file_json(r#"{"probabilities": {"KXHIGHNY-26NOV28-B50.5": 1.3}}"#)
            .unwrap_err();
        assert!(err.contains("1.3"), "{err}");
        assert!(
            Forecast::from_file_json(r#"{"probabilites": {}}"#).is_err(),
            "typos are refused"
        );
    }

    #[test]
    fn open_meteo_members_are_read_per_day() {
        let text = r#"{"latitude": 40.78, "longitude": -73.97, "daily": {
            "time": ["2026-11-28", "2026-11-29"],
            "temperature_2m_max": [50.1, 47.0],
            "temperature_2m_max_member01": [51.3, null],
            "temperature_2m_max_member02": [49.0, 46.2]}}"#;
        let mut f = Forecast::default();
        let s = SeriesTicker::new("KXHIGHNY").unwrap();
        assert_eq!(f.add_open_meteo(&s, text).unwrap(), 2);
        let mut day1 =
            f.ensembles[&(s.clone(), NaiveDate::from_ymd_opt(2026, 11, 28).unwrap())].clone();
        day1.sort_by(f64::total_cmp);
        assert_eq!(day1, vec![49.0, 50.1, 51.3]);
        assert_eq!(
            f.ensembles[&(s, NaiveDate::from_ymd_opt(2026, 11, 29).unwrap())].len(),
            2
        );
    }
}
