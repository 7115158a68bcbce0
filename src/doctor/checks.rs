//! The doctor's REST checks: each gathers its answers (unsigned GETs for the public facts that
//! must not depend on the key — exchange status and the `Date` headers — and the engine's
//! gateway actor, which signs, for everything private) and turns them into a [`Verdict`]
//! with a pure function tested here. The clock offset is the gateway's own
//! [`OffsetEstimator`], fed the same way the gateway feeds it.

use actix::Addr;
use kalshi::{
    ApiError, SeriesTicker, Ticker,
    rest::{
        ExchangeStatus, GetAccountLimitsResponse, GetBalanceResponse, GetEndpointCostsResponse,
        Market, market_params::GetMarketsParams, portfolio_params::GetBalanceParams,
    },
    sign::KeyKind,
    types::MarketStatusFilter,
};
use tradewind_actors::gateway::{
    Gateway, GatewayError, GetAccountLimits, GetBalance, GetEndpointCosts, GetMarkets,
    offset::OffsetEstimator,
};

use super::{net, report::Verdict};

/// Answers the clock estimate is taken from.
pub const CLOCK_SAMPLES: usize = 5;

/// Where the signing key came from, for the `key` line.
#[derive(Debug, Clone)]
pub enum KeySource {
    /// A PEM file (its path; the contents are never shown).
    File(String),
    /// Generated in memory for the embedded simulator's fresh account.
    Embedded,
}

/// The `key` line: the key's type, where it came from and the masked key id.
pub fn key(kind: KeyKind, source: &KeySource, masked_id: &str) -> Verdict {
    let from = match source {
        KeySource::File(path) => format!("from {path}"),
        KeySource::Embedded => "generated in memory for the embedded simulator".to_owned(),
    };
    Verdict::Pass(format!("{kind} {from}, key id {masked_id}"))
}

/// `GET /exchange/status`, unsigned.
pub async fn exchange(client: &awc::Client, rest_url: &str) -> Verdict {
    match net::get(client, &format!("{rest_url}/exchange/status")).await {
        Ok(a) => exchange_verdict(a.status, &a.body),
        Err(e) => Verdict::Fail(e),
    }
}

/// Passes only while the exchange is up and trading.
pub fn exchange_verdict(status: u16, body: &[u8]) -> Verdict {
    if status != 200 {
        return Verdict::Fail(ApiError::parse(status, body).to_string());
    }
    let s: ExchangeStatus = match serde_json::from_slice(body) {
        Ok(s) => s,
        Err(e) => return Verdict::Fail(format!("the status does not decode: {e}")),
    };
    let resume = s
        .exchange_estimated_resume_time
        .map(|t| format!(" (resumes about {t})"))
        .unwrap_or_default();
    match (s.exchange_active, s.trading_active) {
        (true, true) => Verdict::Pass("exchange active, trading active".into()),
        (true, false) => Verdict::Fail(format!("exchange active, trading paused{resume}")),
        (false, _) => Verdict::Fail(format!("exchange down (maintenance?){resume}")),
    }
}

/// The offset of the exchange's clock from this machine's, from the `Date` headers of
/// [`CLOCK_SAMPLES`] unsigned answers; answers the verdict and the estimate.
pub async fn clock(
    client: &awc::Client,
    rest_url: &str,
    limit_ms: i64,
) -> (Verdict, OffsetEstimator) {
    let mut estimator = OffsetEstimator::default();
    let mut dated = 0;
    for _ in 0..CLOCK_SAMPLES {
        match net::get(client, &format!("{rest_url}/exchange/status")).await {
            Ok(net::Answer {
                date_s: Some(date_s),
                at_ms,
                ..
            }) => {
                estimator.observe(date_s, at_ms);
                dated += 1;
            }
            Ok(_) => {}
            Err(e) => return (Verdict::Fail(e), estimator),
        }
    }
    let offset = (dated > 0).then(|| estimator.median());
    (clock_verdict(offset, dated, limit_ms), estimator)
}

/// Passes when the offset is within `limit_ms` either way.
pub fn clock_verdict(offset_ms: Option<i64>, samples: usize, limit_ms: i64) -> Verdict {
    let Some(offset) = offset_ms else {
        return Verdict::Fail(format!(
            "no Date header in {CLOCK_SAMPLES} answers: the offset cannot be measured"
        ));
    };
    let figure = format!(
        "exchange clock {} this machine's (median of {samples} Date headers, ±0.5 s; \
         limit ±{})",
        signed_secs(offset),
        secs(limit_ms)
    );
    if offset.abs() <= limit_ms {
        Verdict::Pass(figure)
    } else {
        Verdict::Fail(format!(
            "{figure}: fix this machine's time sync (NTP). The engine corrects its signed \
             timestamps, but blackout windows and expiries run on this clock"
        ))
    }
}

/// `1.2 s ahead of` or `0.3 s behind`.
fn signed_secs(ms: i64) -> String {
    let word = if ms >= 0 { "ahead of" } else { "behind" };
    format!("{} {word}", secs(ms.abs()))
}

fn secs(ms: i64) -> String {
    format!("{:.1} s", ms as f64 / 1000.0)
}

/// `GET /portfolio/balance` through the gateway.
pub async fn auth(gateway: &Addr<Gateway>, masked_id: &str) -> Verdict {
    let answer = gateway
        .send(GetBalance {
            params: GetBalanceParams::default(),
        })
        .await;
    match answer {
        Ok(Ok(b)) => balance_verdict(&b),
        Ok(Err(e)) => Verdict::Fail(gateway_failure(&e, masked_id)),
        Err(e) => Verdict::Fail(format!("the gateway did not answer: {e}")),
    }
}

/// The balance, exact where the exchange sends `balance_dollars`.
pub fn balance_verdict(b: &GetBalanceResponse) -> Verdict {
    let balance = b.balance_dollars.unwrap_or(b.balance);
    Verdict::Pass(format!(
        "GET /portfolio/balance: balance ${balance}, portfolio value ${}",
        b.portfolio_value
    ))
}

/// A gateway error, with what to look at for a 401.
fn gateway_failure(e: &GatewayError, masked_id: &str) -> String {
    match e {
        GatewayError::Unauthorized(api) => format!(
            "401 {}: check that key id {masked_id} belongs to the key file and to this \
             environment (demo keys work only on demo), and the clock",
            api.message
        ),
        other => other.to_string(),
    }
}

/// `GET /account/limits` and `GET /account/endpoint_costs` through the gateway.
pub async fn limits(gateway: &Addr<Gateway>, masked_id: &str) -> Verdict {
    let limits = gateway.send(GetAccountLimits {}).await;
    let costs = gateway.send(GetEndpointCosts {}).await;
    match (limits, costs) {
        (Ok(Ok(l)), Ok(Ok(c))) => limits_verdict(&l, &c),
        (Ok(Err(e)), _) => Verdict::Fail(format!(
            "/account/limits: {}",
            gateway_failure(&e, masked_id)
        )),
        (_, Ok(Err(e))) => Verdict::Fail(format!(
            "/account/endpoint_costs: {}",
            gateway_failure(&e, masked_id)
        )),
        (Err(e), _) | (_, Err(e)) => Verdict::Fail(format!("the gateway did not answer: {e}")),
    }
}

/// The tier, both buckets and the endpoint costs.
pub fn limits_verdict(l: &GetAccountLimitsResponse, c: &GetEndpointCostsResponse) -> Verdict {
    Verdict::Pass(format!(
        "tier {}: read {}/s (burst {}), write {}/s (burst {}); endpoint costs: default {}, \
         {} others",
        l.usage_tier,
        l.read.refill_rate,
        l.read.bucket_capacity,
        l.write.refill_rate,
        l.write.bucket_capacity,
        c.default_cost,
        c.endpoint_costs.len()
    ))
}

/// An open market to subscribe to: the busiest (24 h volume) of the first configured series
/// that has one open, else of any series. Answers it, or why there is none.
pub async fn open_market(gateway: &Addr<Gateway>, series: &[String]) -> Result<Ticker, String> {
    let scopes = series
        .iter()
        .filter_map(|s| SeriesTicker::new(s.as_str()).ok())
        .map(Some)
        .chain([None]);
    for scope in scopes {
        let params = GetMarketsParams {
            limit: Some(200),
            status: Some(MarketStatusFilter::Open),
            series_ticker: scope,
            ..GetMarketsParams::default()
        };
        match gateway.send(GetMarkets { params }).await {
            Ok(Ok(page)) => {
                if let Some(m) = busiest(&page.markets) {
                    return Ok(m.ticker.clone());
                }
            }
            Ok(Err(e)) => return Err(format!("GET /markets: {e}")),
            Err(e) => return Err(format!("the gateway did not answer: {e}")),
        }
    }
    Err("no open market to subscribe to".into())
}

/// The market with the most contracts traded in 24 h, then open (the first of equals).
pub fn busiest(markets: &[Market]) -> Option<&Market> {
    markets
        .iter()
        .rev()
        .max_by_key(|m| (m.volume_24h_fp, m.open_interest_fp))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_exchange_passes_only_when_up_and_trading() {
        let up = br#"{"exchange_active":true,"trading_active":true}"#;
        assert!(matches!(exchange_verdict(200, up), Verdict::Pass(_)));
        let paused = br#"{"exchange_active":true,"trading_active":false,
            "exchange_estimated_resume_time":"2026-11-28T09:00:00Z"}"#;
        let Verdict::Fail(why) = exchange_verdict(200, paused) else {
            panic!("paused passes")
        };
        assert!(
            why.contains("trading paused") && why.contains("resumes"),
            "{why}"
        );
        let Verdict::Fail(why) =
            exchange_verdict(503, br#"{"error":{"code":"x","message":"down"}}"#)
        else {
            panic!("503 passes")
        };
        assert!(why.starts_with("HTTP 503"), "{why}");
        assert!(matches!(exchange_verdict(200, b"{}"), Verdict::Fail(_)));
    }

    #[test]
    fn the_clock_fails_beyond_the_limit_either_way() {
        assert!(matches!(
            clock_verdict(Some(400), 5, 5_000),
            Verdict::Pass(_)
        ));
        assert!(matches!(
            clock_verdict(Some(-5_000), 5, 5_000),
            Verdict::Pass(_)
        ));
        let Verdict::Fail(why) = clock_verdict(Some(-45_200), 5, 5_000) else {
            panic!("45 s behind passes")
        };
        assert!(
            why.contains("45.2 s behind") && why.contains("±5.0 s"),
            "{why}"
        );
        assert!(matches!(clock_verdict(None, 0, 5_000), Verdict::Fail(_)));
        let Verdict::Pass(fig) = clock_verdict(Some(300), 5, 5_000) else {
            panic!()
        };
        assert!(
            fig.starts_with("exchange clock 0.3 s ahead of this machine's"),
            "{fig}"
        );
    }

    #[test]
    fn a_401_says_what_to_look_at_without_the_key_id() {
        let e = GatewayError::Unauthorized(ApiError::parse(
            401,
            br#"{"error":{"code":"unauthorized","message":"API key is not registered"}}"#,
        ));
        let text = gateway_failure(&e, "a952…");
        assert!(text.starts_with("401 API key is not registered"), "{text}");
        assert!(text.contains("a952…"), "{text}");
    }
}
