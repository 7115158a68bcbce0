//! The records a download makes, their order, and what is left out or changed.

use kalshi::{Count, Price, types::MarketResult, types::MarketStatus, ws::Incoming};

use super::{
    super::frames::{as_listed, quotes, settlement_value},
    *,
};
use crate::backtest::history::timeline::{Counts, Record, timeline};

#[test]
fn quotes_of_a_candle() {
    assert_eq!(
        quotes(cents(40), cents(45)),
        Some((Some(cents(40)), Some(cents(45))))
    );
    assert_eq!(
        quotes(Price::ZERO, Price::ONE),
        Some((None, None)),
        "a quiet market"
    );
    assert_eq!(quotes(cents(45), cents(45)), None, "locked");
    assert_eq!(quotes(cents(46), cents(45)), None, "crossed");
}

#[test]
fn a_listed_market_knows_nothing_of_how_it_ended() {
    let mut ended = ended();
    (ended.is_provisional, ended.expiration_time) = (Some(true), Some(t0()));
    let m = as_listed(&ended);
    assert_eq!(m.status, MarketStatus::Active);
    assert_eq!(m.result, MarketResult::None);
    assert_eq!((m.settlement_ts, m.settlement_value_dollars), (None, None));
    assert_eq!((m.is_provisional, m.expiration_time), (None, None));
    assert_eq!(
        (m.volume_fp, m.last_price_dollars),
        (Count::ZERO, Price::ZERO)
    );
    assert_eq!(
        (m.yes_ask_dollars, m.no_ask_dollars),
        (Price::ONE, Price::ONE),
        "no ask"
    );
}

#[test]
fn a_settlement_value_comes_from_the_market_or_its_result() {
    let mut m = ended();
    assert_eq!(settlement_value(&m), Some((MarketResult::Yes, Price::ONE)));
    m.result = MarketResult::No;
    assert_eq!(settlement_value(&m), Some((MarketResult::No, Price::ZERO)));
    m.result = MarketResult::Scalar;
    assert_eq!(
        settlement_value(&m),
        None,
        "a scalar result without its value"
    );
    m.settlement_value_dollars = Some(cents(37));
    assert_eq!(
        settlement_value(&m),
        Some((MarketResult::Scalar, cents(37)))
    );
    m.result = MarketResult::None;
    assert_eq!(settlement_value(&m), None, "not determined");
}

fn kinds(records: &[(u64, Record)]) -> Vec<String> {
    records
        .iter()
        .map(|(ns, e)| {
            let at = (*ns - T0) / 1_000_000_000;
            match e {
                Record::Market(_) => format!("{at} market"),
                Record::Frame(Incoming::OrderbookSnapshot(s)) => format!(
                    "{at} book {:?}/{:?}",
                    s.msg.yes_dollars_fp.first().map(|l| l.price.to_string()),
                    s.msg
                        .no_dollars_fp
                        .first()
                        .map(|l| l.price.complement().to_string())
                ),
                Record::Frame(Incoming::Trade(t)) => format!("{at} trade {}", t.msg.trade_id),
                Record::Frame(Incoming::MarketLifecycle(l)) => {
                    format!("{at} {}", l.msg.event_type)
                }
                other => format!("{at} {other:?}"),
            }
        })
        .collect()
}

fn records(h: &History) -> (Vec<String>, Counts) {
    let t = timeline(h).unwrap();
    let records: Vec<_> = t.records(h, Count::from_whole(100)).collect();
    (kinds(&records), t.counts)
}

/// [`ended`] with candles and trades of every kind.
fn history() -> History {
    let m = ended();
    let t = m.ticker.to_string();
    let mut block = trade(&t, "c", 100, 45, Some("bid"));
    block.is_block_trade = true;
    History {
        candles: vec![
            candle(&t, 2, 40, 45),
            candle(&t, 1, 40, 45),
            candle(&t, 3, 50, 50),
            candle(&t, 4, 0, 100),
            candle("KXOTHER-26DEC02-B1", 1, 40, 45),
        ],
        trades: vec![
            trade(&t, "b", 90, 45, Some("bid")),
            trade(&t, "a", 90, 45, Some("bid")),
            trade(&t, "a", 90, 45, Some("bid")),
            block,
            trade(&t, "d", 100, 45, None),
            trade(&t, "e", 150, 38, Some("ask")),
            trade(&t, "f", 240, 30, Some("ask")),
        ],
        markets: vec![m],
        ..History::default()
    }
}

#[test]
fn a_download_becomes_records_in_time_order() {
    let (kinds, counts) = records(&history());
    assert_eq!(
        kinds,
        [
            "0 market",
            "60 book Some(\"0.4000\")/Some(\"0.4500\")",
            "90 trade a",
            "90 trade b",
            "150 trade e",
            "150 book Some(\"0.3800\")/Some(\"0.4500\")",
            "240 trade f",
            "240 book Some(\"0.3000\")/Some(\"0.4500\")",
            "240 book None/None",
            "540 determined",
            "600 settled",
        ],
        "the unchanged candle of minute 2 and the locked one of minute 3 make no book; a \
         sell through the bid moves it; the trade at a candle's end comes before its close"
    );
    let want = Counts {
        crossed_candles: 1,
        orphans: 1,
        duplicate_trades: 1,
        block_trades: 1,
        sideless_trades: 1,
        quotes_moved: 2,
        ..Counts::default()
    };
    assert_eq!(counts, want);
}

#[test]
fn markets_once_never_shown_before_listed_and_never_determined_without_a_time() {
    let mut late = other("KXHIGHNY-26DEC02-B99.5");
    late.open_time = t0() + chrono::Duration::minutes(5);
    let mut untimed = other("KXHIGHNY-26DEC02-B98.5");
    untimed.settlement_ts = None;
    let h = History {
        candles: vec![candle("KXHIGHNY-26DEC02-B99.5", 1, 40, 45)],
        markets: vec![late.clone(), late, untimed],
        ..History::default()
    };
    let (kinds, counts) = records(&h);
    assert_eq!(
        kinds,
        [
            "0 market",
            "300 market",
            "300 book Some(\"0.4000\")/Some(\"0.4500\")",
            "540 determined",
            "600 settled",
        ]
    );
    assert_eq!(
        (counts.duplicate_markets, counts.results_without_time),
        (1, 1)
    );
}
