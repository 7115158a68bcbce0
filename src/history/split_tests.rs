use std::collections::BTreeSet;

use super::*;
use crate::history::plan::MarketJob;

fn at(s: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(s, 0).unwrap()
}

/// A trade made at `s` (seconds) with id `id`.
fn trade(s: i64, id: &str) -> Trade {
    serde_json::from_value(serde_json::json!({
        "trade_id": id, "ticker": "KXHIGHNY-26DEC02-B46.5", "count_fp": "1.00",
        "yes_price_dollars": "0.5000", "no_price_dollars": "0.5000",
        "created_time": at(s).to_rfc3339(), "is_block_trade": false
    }))
    .unwrap()
}

/// Trades at 100‥=110 s, two at 107 (`107b` listed before `107a`), newest first as the
/// exchange lists them.
fn tape() -> Vec<Trade> {
    let mut t: Vec<Trade> = (100..=110).map(|s| trade(s, &s.to_string())).collect();
    t[7].trade_id = "107a".into();
    t.insert(8, trade(107, "107b"));
    t.reverse();
    t
}

/// What an exchange whose trades cutoff is `cut` serves: (live, historical), newest first.
fn served(cut: i64) -> (Vec<Trade>, Vec<Trade>) {
    tape().into_iter().partition(|t| t.created_time >= at(cut))
}

fn market(settled_ts: Option<i64>) -> MarketState {
    let job = MarketJob {
        ticker: "KXHIGHNY-26DEC02-B46.5".into(),
        series: "KXHIGHNY".into(),
        archived: false,
        start_ts: 100,
        end_ts: 110,
        settled_ts,
    };
    MarketState::new(job, vec![Source::Historical, Source::Live])
}

fn ids(trades: &[Trade]) -> Vec<String> {
    trades.iter().map(|t| t.trade_id.clone()).collect()
}

#[test]
fn the_lists_split_at_the_planned_cutoff_whatever_the_exchange_serves() {
    let m = market(None);
    let hist = filter(at(105), &m, List::Trades(Source::Historical));
    let live = filter(at(105), &m, List::Trades(Source::Live));
    // Planned at 105; the historical list is read after the cutoff moved to 108: it keeps
    // only what was made before 105, so the live list's 105‥108 read earlier is not doubled.
    let (live_then, _) = served(105);
    let (_, hist_now) = served(108);
    let mut all = ids(&live.apply(&live_then));
    all.extend(ids(&hist.apply(&hist_now)));
    let unique: BTreeSet<&String> = all.iter().collect();
    assert_eq!((all.len(), unique.len()), (12, 12), "{all:?}");
    // A market with no live list keeps whatever the historical endpoint lists.
    let mut archived = market(None);
    archived.trades.remove(&Source::Live);
    let hist = filter(at(105), &archived, List::Trades(Source::Historical));
    assert_eq!(hist.apply(&hist_now).len(), 9);
}

#[test]
fn a_resumed_live_list_catches_up_what_moved_to_the_historical_side() {
    let mut m = market(None);
    let live = filter(at(105), &m, List::Trades(Source::Live));
    // Before the interrupt: the live list wrote one page, 110 down to 107b (107a not yet).
    let (live_then, _) = served(105);
    let page = live.apply(&live_then[..4]);
    assert_eq!(ids(&page), ["110", "109", "108", "107b"]);
    let oldest = oldest(None, &page);
    assert_eq!(oldest.as_ref().map(|o| o.at), Some(at(107)));
    m.trades.get_mut(&Source::Live).unwrap().oldest = oldest;
    m.trades.get_mut(&Source::Historical).unwrap().done = true;
    // The rerun finds the cutoff at 109: 107a, 106 and 105 are historical only now.
    assert!(replan(&mut m, at(105), (at(0), at(109)), false));
    assert_eq!(m.catch_up.len(), 1);
    assert_eq!(m.live_from, Some(at(109)));
    let (live_now, hist_now) = served(109);
    let catch_up = filter(at(105), &m, List::CatchUp(0)).apply(&hist_now);
    assert_eq!(ids(&catch_up), ["107a", "106", "105"]);
    // The live list continues after 107b: what the exchange still lists live past its
    // cursor (nothing: 110 and 109 are on its first page).
    let unread: Vec<Trade> = live_now
        .into_iter()
        .filter(|t| t.created_time < at(107))
        .collect();
    let rest = filter(at(105), &m, List::Trades(Source::Live)).apply(&unread);
    assert!(rest.is_empty(), "{rest:?}");
    let hist = filter(at(105), &m, List::Trades(Source::Historical)).apply(&hist_now);
    let mut all = ids(&page);
    all.extend(ids(&catch_up));
    all.extend(ids(&hist));
    let unique: BTreeSet<&String> = all.iter().collect();
    assert_eq!(
        (all.len(), unique.len()),
        (12, 12),
        "every trade once: {all:?}"
    );
    // Read again with the same cutoff: nothing more to plan.
    assert!(!replan(&mut m, at(105), (at(0), at(109)), false));
}

#[test]
fn complete_lists_stay_and_a_market_archived_meanwhile_reads_historical_candles() {
    let mut m = market(Some(200));
    m.trades.get_mut(&Source::Live).unwrap().done = true;
    assert!(
        !replan(&mut m, at(105), (at(150), at(109)), false),
        "nothing moved for it"
    );
    assert!(m.catch_up.is_empty() && !m.job.archived);
    assert!(replan(&mut m, at(105), (at(201), at(109)), false));
    assert!(m.job.archived && m.catch_up.is_empty());
    assert_eq!(m.job.candle_source(), Source::Historical);
}

#[test]
fn a_live_page_out_of_order_is_told_apart() {
    let t = tape();
    assert!(newest_first(None, &t));
    assert!(newest_first(None, &[]));
    let written = oldest(None, &t[..4]);
    assert!(newest_first(written.as_ref(), &t[3..]));
    assert!(
        !newest_first(written.as_ref(), &t[2..]),
        "108 after 107b was written"
    );
    let mut swapped = t.clone();
    swapped.swap(0, 1);
    assert!(!newest_first(None, &swapped));
}

#[test]
fn a_market_first_listed_after_the_cutoff_moved_reads_the_gap_from_the_historical_side() {
    // Planned at 105, listed by a rerun that found the cutoff at 109 (as `listing` does).
    let mut m = market(None);
    assert!(replan(&mut m, at(105), (at(0), at(109)), false));
    let (live_now, hist_now) = served(109);
    let list = |l| filter(at(105), &m, l);
    let mut all = ids(&list(List::Trades(Source::Live)).apply(&live_now));
    all.extend(ids(&list(List::CatchUp(0)).apply(&hist_now)));
    all.extend(ids(&list(List::Trades(Source::Historical)).apply(&hist_now)));
    let unique: BTreeSet<&String> = all.iter().collect();
    assert_eq!(
        (all.len(), unique.len()),
        (12, 12),
        "every trade once: {all:?}"
    );
}

#[test]
fn a_live_list_the_cutoff_overtook_during_the_run_is_caught_up_at_its_end() {
    // Planned at 105; the live list wrote 110‥107b, the cutoff then moved to 109 and its
    // next page (past 107b, on the live side only ≥ 109) was empty: the list is complete.
    let mut m = market(None);
    let (live_then, _) = served(105);
    let page = filter(at(105), &m, List::Trades(Source::Live)).apply(&live_then[..4]);
    let live = m.trades.get_mut(&Source::Live).unwrap();
    (live.oldest, live.done) = (oldest(None, &page), true);
    m.trades.get_mut(&Source::Historical).unwrap().done = true;
    assert!(
        !replan(&mut m, at(105), (at(0), at(109)), false),
        "as a rerun"
    );
    // Read again once every list is complete: the rest of [105, 109) is caught up.
    assert!(replan(&mut m, at(105), (at(0), at(109)), true));
    let (_, hist_now) = served(109);
    let catch_up = filter(at(105), &m, List::CatchUp(0)).apply(&hist_now);
    assert_eq!(ids(&catch_up), ["107a", "106", "105"]);
    let hist = filter(at(105), &m, List::Trades(Source::Historical)).apply(&hist_now);
    let mut all = ids(&page);
    all.extend(ids(&catch_up));
    all.extend(ids(&hist));
    let unique: BTreeSet<&String> = all.iter().collect();
    assert_eq!((all.len(), unique.len()), (12, 12), "{all:?}");
}
