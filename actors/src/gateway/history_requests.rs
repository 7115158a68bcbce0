//! The market-history reads of `tradewind history fetch`: public trades and candlesticks,
//! live and archived, and the archived market list. All public on Kalshi, all read-bucket
//! requests on the metadata lane, sent through the gateway like every other call so the
//! budget holds and 429s are handled in one place.

use actix::Message;
use kalshi::{
    SeriesTicker, Ticker,
    rest::{
        Endpoint, GetHistoricalMarketsParams, GetMarketCandlesticksHistoricalParams,
        GetMarketCandlesticksHistoricalResponse, GetMarketCandlesticksParams,
        GetMarketCandlesticksResponse, GetMarketsResponse, GetTradesParams, GetTradesResponse,
    },
};

use super::{
    error::GatewayError,
    request::{Answer, ApiRequest, decode_json, read, request},
};

read!(
    /// `GET /markets/trades`: public trades, newest first.
    GetTrades(GetTradesParams) => GetTradesResponse, Endpoint::GetTrades
);
read!(
    /// `GET /historical/trades`: trades made before the cutoff.
    GetHistoricalTrades(GetTradesParams) => GetTradesResponse, Endpoint::GetHistoricalTrades
);
read!(
    /// `GET /historical/markets`: markets settled before the cutoff.
    GetHistoricalMarkets(GetHistoricalMarketsParams) => GetMarketsResponse, Endpoint::GetHistoricalMarkets
);

request! {
    /// `GET /series/{series_ticker}/markets/{ticker}/candlesticks`.
    GetMarketCandlesticks {
        /// The market's series.
        pub series_ticker: SeriesTicker,
        /// The market.
        pub ticker: Ticker,
        /// Window and period.
        pub params: GetMarketCandlesticksParams,
    } => GetMarketCandlesticksResponse, Endpoint::GetMarketCandlesticks;
    fn path(&self) -> String {
        Endpoint::GetMarketCandlesticks.path_with(&[self.series_ticker.as_ref(), self.ticker.as_ref()])
    }
    fn query(&self) -> String {
        self.params.to_query()
    }
    fn decode(answer: Answer) -> Result<GetMarketCandlesticksResponse, GatewayError> {
        decode_json(answer)
    }
}

request! {
    /// `GET /historical/markets/{ticker}/candlesticks`: an archived market's candles.
    GetMarketCandlesticksHistorical {
        /// The market.
        pub ticker: Ticker,
        /// Window and period.
        pub params: GetMarketCandlesticksHistoricalParams,
    } => GetMarketCandlesticksHistoricalResponse, Endpoint::GetMarketCandlesticksHistorical;
    fn path(&self) -> String {
        Endpoint::GetMarketCandlesticksHistorical.path_for(&self.ticker)
    }
    fn query(&self) -> String {
        self.params.to_query()
    }
    fn decode(answer: Answer) -> Result<GetMarketCandlesticksHistoricalResponse, GatewayError> {
        decode_json(answer)
    }
}
