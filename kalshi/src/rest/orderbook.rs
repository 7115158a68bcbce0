//! REST order books: `GET /markets/{ticker}/orderbook` and `GET /markets/orderbooks`.
//!
//! A book holds **bids only**, one list per outcome, each level `[price_dollars, count_fp]`
//! ([`PriceLevel`]), **ascending by price, best bid LAST**. NO levels are NO-leg prices: a NO
//! bid at 0.30 is a YES ask at 0.70, so the best YES ask is `1 − best NO bid`. A side with no
//! bids may be missing, `null` or `[]`.
//!
//! Source: kalshi-api.md §3.2 and §8.4 (OAS `GetMarketOrderbookResponse`,
//! `OrderbookCountFp`, `PriceLevelDollarsCountFp`; QS-orderbook_responses).

use serde::{Deserialize, Serialize};

use super::de::null_default;
use crate::{Price, Ticker, level::PriceLevel};

/// Both sides of one market's book.
///
/// ```json
/// {"yes_dollars":[["0.0800","300.00"],["0.2200","333.00"]],"no_dollars":[["0.5400","20.00"],
///  ["0.5600","146.00"]]}
/// ```
///
/// Source: OAS `OrderbookCountFp`, <https://docs.kalshi.com/openapi.yaml>;
/// <https://docs.kalshi.com/getting_started/orderbook_responses>.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct OrderbookFp {
    /// YES bids, ascending; best is last.
    #[serde(default, deserialize_with = "null_default")]
    pub yes_dollars: Vec<PriceLevel>,
    /// NO bids (NO-leg prices), ascending; best is last.
    #[serde(default, deserialize_with = "null_default")]
    pub no_dollars: Vec<PriceLevel>,
}

impl OrderbookFp {
    /// The best (highest) YES bid: the last level.
    pub fn best_yes_bid(&self) -> Option<PriceLevel> {
        self.yes_dollars.last().copied()
    }

    /// The best (highest) NO bid: the last level.
    pub fn best_no_bid(&self) -> Option<PriceLevel> {
        self.no_dollars.last().copied()
    }

    /// The best YES ask, `1 − best NO bid`, with the NO bid's size.
    pub fn best_yes_ask(&self) -> Option<PriceLevel> {
        self.best_no_bid()
            .map(|l| PriceLevel::new(l.price.complement(), l.count))
    }

    /// The best NO ask, `1 − best YES bid`, with the YES bid's size.
    pub fn best_no_ask(&self) -> Option<PriceLevel> {
        self.best_yes_bid()
            .map(|l| PriceLevel::new(l.price.complement(), l.count))
    }

    /// True when both sides are ascending with strictly increasing prices and positive
    /// sizes, as Kalshi sends them (the simulator checks what it serves).
    pub fn is_well_formed(&self) -> bool {
        let side_ok = |levels: &[PriceLevel]| {
            levels
                .iter()
                .all(|l| l.count.is_positive() && l.price > Price::ZERO)
                && levels.windows(2).all(|w| w[0].price < w[1].price)
        };
        side_ok(&self.yes_dollars) && side_ok(&self.no_dollars)
    }
}

/// `GET /markets/{ticker}/orderbook?depth=N` (0 = all levels).
///
/// ```json
/// {"orderbook_fp":{"yes_dollars":[["0.0800","300.00"]],"no_dollars":[["0.5600","146.00"]]}}
/// ```
///
/// Source: OAS `GetMarketOrderbookResponse`, <https://docs.kalshi.com/openapi.yaml>.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GetMarketOrderbookResponse {
    /// The book.
    pub orderbook_fp: OrderbookFp,
}

/// One market's book in [`GetMarketOrderbooksResponse`].
///
/// ```json
/// {"ticker":"KXHIGHNY-26FEB11-B94.5","orderbook_fp":{"yes_dollars":[["0.5600","10.00"]],
///  "no_dollars":[]}}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarketOrderbook {
    /// The market.
    pub ticker: Ticker,
    /// Its book.
    pub orderbook_fp: OrderbookFp,
}

/// `GET /markets/orderbooks?tickers=A&tickers=B` (1–100 tickers, auth).
///
/// ```json
/// {"orderbooks":[{"ticker":"KXHIGHNY-26FEB11-B94.5","orderbook_fp":{"yes_dollars":[],
///  "no_dollars":[]}}]}
/// ```
///
/// Source: OAS `GetMarketOrderbooksResponse`, <https://docs.kalshi.com/openapi.yaml>.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GetMarketOrderbooksResponse {
    /// One book per requested ticker.
    #[serde(default, deserialize_with = "null_default")]
    pub orderbooks: Vec<MarketOrderbook>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Count;

    #[test]
    fn best_levels_are_last_and_asks_are_complements() {
        let book: OrderbookFp = serde_json::from_str(
            r#"{"yes_dollars":[["0.0800","300.00"],["0.2200","333.00"]],"no_dollars":null}"#,
        )
        .unwrap();
        let best = book.best_yes_bid().unwrap();
        assert_eq!(
            (best.price.to_string(), best.count),
            ("0.2200".into(), Count::from_whole(333))
        );
        assert_eq!(book.best_no_ask().unwrap().price.to_string(), "0.7800");
        assert_eq!(book.best_yes_ask(), None);
        assert!(book.is_well_formed());
        let empty: OrderbookFp = serde_json::from_str("{}").unwrap();
        assert_eq!(empty, OrderbookFp::default());
    }
}
