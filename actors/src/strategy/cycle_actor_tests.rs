//! The strategy actor through a GFS window's end (file source, a stand-in order manager):
//! it refetches at once, trades on nothing while the forecast is the one it had (rewritten
//! unchanged included), and trades again on the first newer one. The file is looked at on its
//! one-second interval: each step polls the actor's metrics with a deadline.

use std::time::{Duration, Instant, SystemTime};

use super::*;
use crate::blackout::{BlackoutChanged, BlackoutState};

/// Longest wait for the file's next look.
const WAIT: Duration = Duration::from_secs(20);

fn write_forecast(file: &std::path::Path, ticker: &Ticker, p: f64, age: u64) {
    std::fs::write(file, format!(r#"{{"probabilities": {{"{ticker}": {p}}}}}"#)).unwrap();
    // Distinct modification times however coarse the file system's clock.
    let mtime = SystemTime::now() - Duration::from_secs(age);
    let f = std::fs::File::options().write(true).open(file).unwrap();
    f.set_modified(mtime).unwrap();
}

fn blackout(active: bool, reason: &[&str]) -> BlackoutChanged {
    BlackoutChanged {
        state: BlackoutState {
            active,
            reason: reason.iter().map(|r| r.to_string()).collect(),
            until: None,
        },
    }
}

#[actix_rt::test]
async fn after_a_gfs_window_only_a_newer_forecast_is_traded_on() {
    let ticker = Ticker::new("KXHIGHNY-26NOV28-B50.5").unwrap();
    let dir = std::env::temp_dir().join(format!("tw-strategy-cycle-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("forecast.json");
    write_forecast(&file, &ticker, 0.7, 100);
    let asked = Arc::new(Mutex::new(Asked::default()));
    let peer = Peer(asked.clone(), market(ticker.as_str())).start();
    let mut cfg = StrategyConfig::default();
    cfg.forecast.source = ForecastSource::File;
    cfg.forecast.file = file.display().to_string();
    cfg.forecast.reload_check_s = 1;
    let actor = StrategyActor::new(
        cfg,
        StrategyFactory::new(|| Eager),
        String::new(),
        peers(&peer),
        LiveClock::shared(),
    )
    .start();
    actor
        .send(super::super::SeedPositions(Vec::new()))
        .await
        .unwrap();
    let metrics = || async { actor.send(super::super::GetMetrics).await.unwrap() };
    let submits = || asked.lock().unwrap().submits.len();
    // A book, and a round trip through the peer so anything sent has arrived.
    let book = |epoch| {
        let (actor, peer) = (actor.clone(), peer.clone());
        let t = ticker.clone();
        async move {
            actor.send(update(&t, epoch)).await.unwrap();
            let _ = peer.send(CancelAll { ticker: None }).await;
        }
    };
    let mut tries = 0;
    while submits() == 0 {
        book(1).await;
        tries += 1;
        assert!(tries < 1000, "the strategy never acted");
    }
    assert_eq!(metrics().await.state.state, "trading");

    // The GFS window: on, then off. The strategy refetches and waits for a newer forecast.
    actor.send(blackout(true, &["gfs 12z"])).await.unwrap();
    actor.send(blackout(false, &[])).await.unwrap();
    let m = metrics().await;
    assert_eq!(m.counters.forecast_refetches, 1);
    assert!(m.forecast_awaiting_newer);
    assert_eq!(m.state.state, "idle: waiting for a newer forecast");
    let before = submits();
    book(2).await;
    assert_eq!(submits(), before, "traded on the forecast it had");

    // The same forecast again (rewritten): looked at, not newer, still nothing traded.
    write_forecast(&file, &ticker, 0.7, 50);
    let until = |what: &'static str, done: fn(&super::super::StrategyMetrics) -> bool| async move {
        let started = Instant::now();
        loop {
            if done(&metrics().await) {
                return;
            }
            assert!(started.elapsed() < WAIT, "{what} within {WAIT:?}");
            actix_rt::time::sleep(Duration::from_millis(50)).await;
        }
    };
    until("the unchanged forecast looked at", |m| {
        m.counters.forecast_not_newer >= 1
    })
    .await;
    book(3).await;
    assert_eq!(
        submits(),
        before,
        "traded on a forecast no newer than the last"
    );
    assert!(metrics().await.forecast_awaiting_newer);

    // A newer one: traded on.
    write_forecast(&file, &ticker, 0.8, 10);
    until("the newer forecast loaded", |m| !m.forecast_awaiting_newer).await;
    book(4).await;
    assert!(submits() > before, "did not trade on the newer forecast");
    let m = metrics().await;
    assert_eq!(m.state.state, "trading");
    assert_eq!(m.counters.forecast_loads, 2);
    let _ = std::fs::remove_dir_all(&dir);
}
