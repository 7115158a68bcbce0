//! The cache's pure state: markets (with when they were fetched and whether they belong to
//! the selection), events and series; which markets the feed should watch; when the next
//! scheduled open or close is due. No I/O, time passed in.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use kalshi::{
    EventTicker, SeriesTicker, Ticker,
    rest::{EventData, Market, Series},
    types::MarketStatus,
};

/// One cached market.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The market as last fetched.
    pub market: Market,
    /// When.
    pub fetched_at: DateTime<Utc>,
    /// Whether it belongs to the configured selection (else it was fetched on a miss).
    pub selected: bool,
}

/// What the cache holds.
#[derive(Debug, Default)]
pub struct Store {
    series_selected: BTreeSet<SeriesTicker>,
    events_selected: BTreeSet<EventTicker>,
    markets: HashMap<Ticker, Entry>,
    events: HashMap<EventTicker, EventData>,
    series: HashMap<SeriesTicker, Series>,
}

/// The series part of an event or market ticker: what comes before the first `-`
/// (`KXHIGHNY-26NOV28-B50.5` → `KXHIGHNY`), Kalshi's naming convention.
pub fn series_prefix(ticker: &str) -> &str {
    ticker.split_once('-').map_or(ticker, |(s, _)| s)
}

impl Store {
    /// A store for a selection of series and events.
    pub fn new(series: Vec<SeriesTicker>, events: Vec<EventTicker>) -> Store {
        Store {
            series_selected: series.into_iter().collect(),
            events_selected: events.into_iter().collect(),
            ..Store::default()
        }
    }

    /// Whether a market (by its ticker and event) belongs to the selection.
    pub fn in_selection(&self, ticker: &str, event: Option<&EventTicker>) -> bool {
        let event_prefix = ticker.rsplit_once('-').map_or(ticker, |(e, _)| e);
        let series = event.map_or(series_prefix(ticker), |e| series_prefix(e.as_str()));
        self.series_selected.iter().any(|s| s.as_str() == series)
            || self
                .events_selected
                .iter()
                .any(|e| event.map_or(e.as_str() == event_prefix, |ev| ev == e))
    }

    /// Replaces the selection with a fresh fetch: these markets are selected now; markets
    /// selected before but missing now stay cached, unselected.
    pub fn replace_selection(&mut self, markets: Vec<Market>, now: DateTime<Utc>) {
        let fresh: BTreeSet<Ticker> = markets.iter().map(|m| m.ticker.clone()).collect();
        for entry in self.markets.values_mut() {
            if entry.selected && !fresh.contains(&entry.market.ticker) {
                entry.selected = false;
            }
        }
        for m in markets {
            self.upsert(m, now, true);
        }
    }

    /// Adds or updates one market.
    pub fn upsert(&mut self, market: Market, now: DateTime<Utc>, selected: bool) {
        let entry = Entry {
            market,
            fetched_at: now,
            selected,
        };
        self.markets.insert(entry.market.ticker.clone(), entry);
    }

    /// Stores events and series details.
    pub fn put_details(&mut self, events: Vec<EventData>, series: Vec<Series>) {
        for e in events {
            self.events.insert(e.event_ticker.clone(), e);
        }
        for s in series {
            self.series.insert(s.ticker.clone(), s);
        }
    }

    /// A cached market.
    pub fn get(&self, ticker: &str) -> Option<&Entry> {
        self.markets.get(ticker)
    }

    /// Whether a cached market is still fresh at `now` under `ttl`.
    pub fn is_fresh(&self, ticker: &str, now: DateTime<Utc>, ttl: chrono::Duration) -> bool {
        self.markets
            .get(ticker)
            .is_some_and(|e| now - e.fetched_at < ttl)
    }

    /// Cached markets matching the filters, by ticker.
    pub fn list(
        &self,
        series: Option<&SeriesTicker>,
        event: Option<&EventTicker>,
        status: Option<&MarketStatus>,
    ) -> Vec<Market> {
        let mut out: Vec<Market> = self
            .markets
            .values()
            .map(|e| &e.market)
            .filter(|m| series.is_none_or(|s| series_prefix(m.event_ticker.as_str()) == s.as_str()))
            .filter(|m| event.is_none_or(|e| m.event_ticker == *e))
            .filter(|m| status.is_none_or(|s| m.status == *s))
            .cloned()
            .collect();
        out.sort_by(|a, b| a.ticker.cmp(&b.ticker));
        out
    }

    /// The selected markets open for trading at `now`: the feed's watch list.
    pub fn watch_set(&self, now: DateTime<Utc>) -> BTreeSet<Ticker> {
        self.markets
            .values()
            .filter(|e| e.selected && trading_at(&e.market, now))
            .map(|e| e.market.ticker.clone())
            .collect()
    }

    /// The next time a selected market opens or closes by its schedule, after `now`.
    pub fn next_schedule_change(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.markets
            .values()
            .filter(|e| e.selected)
            .filter_map(|e| {
                let m = &e.market;
                match m.status {
                    MarketStatus::Initialized if m.open_time > now => Some(m.open_time),
                    MarketStatus::Active | MarketStatus::Inactive if m.close_time > now => {
                        Some(m.close_time)
                    }
                    _ => None,
                }
            })
            .min()
    }

    /// Selected markets whose scheduled open or close has passed since they were fetched:
    /// their status is out of date and worth one refresh.
    pub fn due_for_status(&self, now: DateTime<Utc>) -> Vec<Ticker> {
        self.markets
            .values()
            .filter(|e| e.selected)
            .filter(|e| {
                let m = &e.market;
                (m.status == MarketStatus::Initialized
                    && m.open_time <= now
                    && e.fetched_at < m.open_time)
                    || (matches!(m.status, MarketStatus::Active | MarketStatus::Inactive)
                        && m.close_time <= now
                        && e.fetched_at < m.close_time)
            })
            .map(|e| e.market.ticker.clone())
            .collect()
    }

    /// Markets held.
    pub fn len(&self) -> usize {
        self.markets.len()
    }

    /// Whether nothing is held.
    pub fn is_empty(&self) -> bool {
        self.markets.is_empty()
    }

    /// Events and series held.
    pub fn details_len(&self) -> (usize, usize) {
        (self.events.len(), self.series.len())
    }
}

/// Whether a market accepts orders at `now`: active, or initialized with its open time
/// passed (Kalshi opens markets without an event), and not past its close time.
fn trading_at(m: &Market, now: DateTime<Utc>) -> bool {
    let open = match m.status {
        MarketStatus::Active => true,
        MarketStatus::Initialized => m.open_time <= now,
        _ => false,
    };
    open && m.close_time > now
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone};

    use super::*;

    fn market(ticker: &str, status: MarketStatus, open: i64, close: i64) -> Market {
        let t0 = Utc.with_ymd_and_hms(2026, 11, 28, 12, 0, 0).unwrap();
        let mut json = serde_json::json!({
            "ticker": ticker,
            "event_ticker": ticker.rsplit_once('-').unwrap().0,
            "market_type": "binary",
            "created_time": t0, "updated_time": t0,
            "open_time": t0 + Duration::hours(open),
            "close_time": t0 + Duration::hours(close),
            "latest_expiration_time": t0 + Duration::days(7),
            "settlement_timer_seconds": 60,
            "status": status.as_str(),
            "notional_value_dollars": "1.0000",
            "yes_bid_dollars": "0.4000", "yes_ask_dollars": "0.4200",
            "no_bid_dollars": "0.5800", "no_ask_dollars": "0.6000",
            "yes_bid_size_fp": "10.00", "yes_ask_size_fp": "10.00",
            "last_price_dollars": "0.4100", "volume_fp": "0.00", "open_interest_fp": "0.00",
            "result": "", "price_level_structure": "linear_cent",
            "price_ranges": [{"start": "0.0000", "end": "1.0000", "step": "0.0100"}]
        });
        json["status"] = serde_json::Value::String(status.as_str().to_owned());
        serde_json::from_value(json).unwrap()
    }

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 28, 12, 0, 0).unwrap()
    }

    fn store() -> Store {
        Store::new(
            vec![SeriesTicker::new("KXHIGHNY").unwrap()],
            vec![EventTicker::new("KXHIGHCHI-26NOV28").unwrap()],
        )
    }

    #[test]
    fn selection_covers_series_and_single_events() {
        let s = store();
        assert!(s.in_selection("KXHIGHNY-26NOV30-B50.5", None));
        assert!(s.in_selection("KXHIGHCHI-26NOV28-T40", None));
        assert!(!s.in_selection("KXHIGHCHI-26NOV29-T40", None));
        assert!(!s.in_selection("KXHIGHMIA-26NOV28-T80", None));
    }

    #[test]
    fn watch_set_is_the_open_selected_markets_and_follows_the_schedule() {
        let mut s = store();
        s.replace_selection(
            vec![
                market("KXHIGHNY-26NOV28-A", MarketStatus::Active, -1, 10),
                market("KXHIGHNY-26NOV28-B", MarketStatus::Initialized, 2, 10),
                market("KXHIGHNY-26NOV28-C", MarketStatus::Closed, -5, -1),
            ],
            t0(),
        );
        s.upsert(
            market("KXHIGHMIA-26NOV28-X", MarketStatus::Active, -1, 10),
            t0(),
            false,
        );
        let names =
            |set: BTreeSet<Ticker>| set.into_iter().map(|t| t.to_string()).collect::<Vec<_>>();
        assert_eq!(names(s.watch_set(t0())), ["KXHIGHNY-26NOV28-A"]);
        assert_eq!(
            s.next_schedule_change(t0()),
            Some(t0() + Duration::hours(2))
        );
        let later = t0() + Duration::hours(2);
        assert_eq!(
            names(s.watch_set(later)),
            ["KXHIGHNY-26NOV28-A", "KXHIGHNY-26NOV28-B"]
        );
        assert_eq!(
            names(s.due_for_status(later).into_iter().collect()),
            ["KXHIGHNY-26NOV28-B"]
        );
        let closed = t0() + Duration::hours(10);
        assert!(s.watch_set(closed).is_empty());
        assert_eq!(s.due_for_status(closed).len(), 2);
    }

    #[test]
    fn a_fresh_selection_unselects_what_left_it() {
        let mut s = store();
        s.replace_selection(
            vec![market("KXHIGHNY-26NOV28-A", MarketStatus::Active, -1, 10)],
            t0(),
        );
        s.replace_selection(
            vec![market("KXHIGHNY-26NOV28-B", MarketStatus::Active, -1, 10)],
            t0(),
        );
        assert!(!s.get("KXHIGHNY-26NOV28-A").unwrap().selected);
        assert_eq!(s.watch_set(t0()).len(), 1);
        assert_eq!(
            s.list(Some(&SeriesTicker::new("KXHIGHNY").unwrap()), None, None)
                .len(),
            2
        );
    }
}
