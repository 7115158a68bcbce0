//! The simulator's synthetic ensemble, read by the strategy's Open-Meteo parser, prices each
//! market close to the simulator's hidden truth — so the default run has an edge to find.

mod common;

use kalshi::{SeriesTicker, rest::GetMarketsResponse};
use tradewind_actors::strategy::Forecast;

async fn get(url: String) -> Vec<u8> {
    let mut resp = awc::Client::default().get(url).send().await.unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    resp.body().limit(16 << 20).await.unwrap().to_vec()
}

#[actix::test]
async fn the_simulated_ensemble_prices_markets_near_their_hidden_truth() {
    let sim = common::quiet_sim();
    let body = get(format!(
        "{}/_sim/forecast/v1/ensemble?latitude=40.78&longitude=-73.97&daily=temperature_2m_max",
        sim.base_url()
    ))
    .await;
    let mut forecast = Forecast::default();
    let days = forecast
        .add_open_meteo(
            &SeriesTicker::new("KXHIGHNY").unwrap(),
            std::str::from_utf8(&body).unwrap(),
        )
        .unwrap();
    assert_eq!(days, 3, "one ensemble per listed day");

    let page: GetMarketsResponse = serde_json::from_slice(
        &get(format!(
            "{}/markets?series_ticker=KXHIGHNY&limit=100",
            sim.rest_url()
        ))
        .await,
    )
    .unwrap();
    assert_eq!(page.markets.len(), 18);
    let mut errors = Vec::new();
    for m in &page.markets {
        let fair = forecast
            .fair_probability(m, 0.0)
            .expect("every market priced");
        let truth = sim.control().true_probability(&m.ticker).unwrap();
        errors.push((fair - truth).abs());
    }
    let mean = errors.iter().sum::<f64>() / errors.len() as f64;
    // 31 members: the sampling error of a share is at most √(0.25/31) ≈ 0.09.
    assert!(mean < 0.08, "mean absolute error {mean:.3}");
    assert!(errors.iter().all(|e| *e < 0.3), "{errors:?}");
}
