//! Tests of [`super::Subs`]: the commands each change or reply produces, written as short
//! lines (`id cmd ...`) so the tables read like the wire.

use std::collections::BTreeSet;

use kalshi::{
    Ticker,
    ws::{
        Channel, Command, CommandKind, ErrorResponse, MarketFilter, SubscriptionInfo, WsErrorCode,
    },
};

use super::*;

pub(super) fn t(s: &str) -> Ticker {
    Ticker::new(s).unwrap()
}

pub(super) fn set(list: &[&str]) -> BTreeSet<Ticker> {
    list.iter().map(|s| t(s)).collect()
}

pub(super) fn names(ts: &[Ticker]) -> String {
    ts.iter().map(Ticker::as_str).collect::<Vec<_>>().join(",")
}

/// `id cmd details` for one command.
pub(super) fn line(c: &Command) -> String {
    match &c.kind {
        CommandKind::Subscribe(p) => {
            let ch: Vec<&str> = p.channels.iter().map(Channel::as_str).collect();
            let m = match &p.markets {
                MarketFilter::All => "*".to_owned(),
                MarketFilter::Tickers(ts) => names(ts),
                other => format!("{other:?}"),
            };
            format!("{} subscribe {} {m}", c.id, ch.join(","))
        }
        CommandKind::Unsubscribe(p) => format!("{} unsubscribe {:?}", c.id, p.sids),
        CommandKind::UpdateSubscription(p) => format!(
            "{} {} {} {}",
            c.id,
            p.action.as_str(),
            p.sid,
            names(&p.market_tickers)
        ),
        CommandKind::ListSubscriptions => format!("{} list", c.id),
    }
}

pub(super) fn lines(p: &Plan) -> Vec<String> {
    p.commands.iter().map(line).collect()
}

pub(super) fn subscribed(s: &mut Subs, id: u64, channel: Channel, sid: u64) -> Plan {
    s.on_subscribed(Some(id), &SubscriptionInfo { channel, sid })
}

/// An `ok` answering command `id`, naming `sid` and `seq`, with no market list.
pub(super) fn ok(s: &mut Subs, id: u64, sid: Option<u64>, seq: Option<u64>) -> Plan {
    let body = kalshi::ws::OkBody::Empty;
    s.on_ok(&kalshi::ws::OkResponse {
        id: Some(id),
        sid,
        seq,
        body,
    })
}

pub(super) fn error(id: Option<u64>, code: u16, market: Option<&str>) -> ErrorResponse {
    let mut e = ErrorResponse::new(id, WsErrorCode(code));
    e.market_ticker = market.map(str::to_owned);
    e
}

/// Connected with A..E watched, cap 2: user sid 1..3, book sids 10, 11, 12.
pub(super) fn connected() -> Subs {
    let mut s = Subs::new(2, set(&["A", "B", "C", "D", "E"]));
    s.connect();
    for (i, ch) in USER_CHANNELS.iter().enumerate() {
        subscribed(&mut s, 1, ch.clone(), i as u64 + 1);
    }
    for (id, sid) in [(2, 10), (3, 11), (4, 12)] {
        subscribed(&mut s, id, Channel::OrderbookDelta, sid);
    }
    s
}

#[test]
fn public_trades_are_subscribed_with_the_user_channels_when_asked() {
    let mut s = Subs::new(2, set(&["A"])).with_public_trades();
    let p = s.connect();
    assert_eq!(
        lines(&p),
        [
            "1 subscribe fill,user_orders,market_lifecycle_v2,trade *",
            "2 subscribe orderbook_delta A",
        ]
    );
    for (i, ch) in [
        Channel::Fill,
        Channel::UserOrders,
        Channel::MarketLifecycleV2,
    ]
    .into_iter()
    .enumerate()
    {
        assert!(!subscribed(&mut s, 1, ch, i as u64 + 1).ready);
    }
    subscribed(&mut s, 2, Channel::OrderbookDelta, 10);
    assert!(
        subscribed(&mut s, 1, Channel::Trade, 4).ready,
        "ready once trade answers"
    );
}

#[test]
fn connect_subscribes_the_user_channels_and_the_books_in_chunks() {
    let mut s = Subs::new(2, set(&["A", "B", "C", "D", "E"]));
    let p = s.connect();
    assert_eq!(
        lines(&p),
        [
            "1 subscribe fill,user_orders,market_lifecycle_v2 *",
            "2 subscribe orderbook_delta A,B",
            "3 subscribe orderbook_delta C,D",
            "4 subscribe orderbook_delta E",
        ]
    );
    assert_eq!(names(&p.requested), "A,B,C,D,E");
    assert!(!p.ready);
}

#[test]
fn ready_is_reported_once_every_initial_subscription_answered() {
    let mut s = Subs::new(2, set(&["A", "B", "C"]));
    s.connect();
    let mut ready = Vec::new();
    let replies = [
        (1, Channel::Fill, 1),
        (2, Channel::OrderbookDelta, 2),
        (1, Channel::UserOrders, 3),
        (1, Channel::MarketLifecycleV2, 4),
    ];
    for (id, ch, sid) in replies {
        ready.push(subscribed(&mut s, id, ch, sid).ready);
    }
    assert_eq!(ready, [false, false, false, false]);
    let p = s.on_error(&error(Some(3), 16, Some("C")));
    assert!(p.ready, "an error answers a command too");
    assert!(!subscribed(&mut s, 9, Channel::OrderbookDelta, 9).ready);
    assert_eq!(s.counts(), (1, 3));
}

#[test]
fn watch_changes_update_subscriptions_in_place() {
    let mut s = connected();
    assert_eq!(s.members(10), [t("A"), t("B")]);
    let p = s.set_watched(set(&["B", "C", "D", "E", "F", "G"]));
    assert_eq!(
        lines(&p),
        [
            "5 delete_markets 10 A",
            "6 add_markets 12 F",
            "7 subscribe orderbook_delta G",
        ]
    );
    assert_eq!(names(&p.requested), "F,G");
    assert_eq!(s.members(12), [t("E")], "a pending add is not served yet");
    // Sub 10 is busy until its delete is answered; then it takes H.
    let p = s.set_watched(set(&["B", "C", "D", "E", "F", "G", "H"]));
    assert_eq!(lines(&p), ["8 subscribe orderbook_delta H"]);
    assert!(
        lines(&ok(&mut s, 5, Some(10), None)).is_empty(),
        "H is already on its way"
    );
    assert_eq!(s.members(12), [t("E")]);
    ok(&mut s, 6, Some(12), None);
    assert_eq!(s.members(12), [t("E"), t("F")]);
}

#[test]
fn a_subscription_left_empty_is_unsubscribed() {
    let mut s = connected();
    let p = s.set_watched(set(&["C", "D", "E"]));
    assert_eq!(lines(&p), ["5 unsubscribe [10]"]);
    assert_eq!(p.closed, [10]);
    assert_eq!(s.on_unsubscribed(10).closed, [10]);
    assert!(s.members(10).is_empty());
}

#[test]
fn market_not_found_rejects_only_that_market() {
    let mut s = Subs::new(3, set(&["A", "B", "NOPE"]));
    s.connect();
    let p = s.on_error(&error(Some(2), 16, Some("NOPE")));
    assert_eq!(lines(&p), ["3 subscribe orderbook_delta A,B"]);
    assert_eq!(s.rejected().get("NOPE"), Some(&WsErrorCode(16)));
    // The slow retry: the snapshot deadline asks again.
    let p = s.resubscribe(&[t("NOPE")]);
    assert_eq!(lines(&p), ["4 subscribe orderbook_delta NOPE"]);
    assert!(s.rejected().is_empty());
}

#[test]
fn other_refusals_reject_the_whole_command() {
    let mut s = connected();
    let p = s.set_watched(set(&["A", "B", "C", "D", "E", "F"]));
    assert_eq!(lines(&p), ["5 add_markets 12 F"]);
    let p = s.on_error(&error(Some(5), 26, None));
    assert!(lines(&p).is_empty(), "no immediate retry: {:?}", lines(&p));
    assert_eq!(s.rejected().keys().cloned().collect::<Vec<_>>(), [t("F")]);
    assert_eq!(s.members(12), [t("E")]);
}

#[test]
fn snapshots_are_asked_on_the_subscription_and_a_refusal_resubscribes_it() {
    let mut s = connected();
    let p = s.snapshot(11, s.members(11));
    assert_eq!(lines(&p), ["5 get_snapshot 11 C,D"]);
    assert_eq!(names(&p.requested), "C,D");
    assert!(
        s.snapshot(99, vec![t("C")]).commands.is_empty(),
        "unknown sid"
    );
    let p = s.on_error(&error(Some(5), 11, None));
    assert_eq!(
        lines(&p),
        [
            "6 unsubscribe [11]",
            "7 add_markets 12 C",
            "8 subscribe orderbook_delta D"
        ]
    );
    assert_eq!(
        (p.closed.as_slice(), names(&p.lost)),
        ([11].as_slice(), "C,D".into())
    );
}

#[test]
fn an_untraceable_dead_subscription_resubscribes_everything_once() {
    let mut s = connected();
    let p = s.on_error(&error(None, 25, None));
    assert_eq!(
        lines(&p),
        [
            "5 unsubscribe [1, 2, 3, 10, 11, 12]",
            "6 subscribe fill,user_orders,market_lifecycle_v2 *",
            "7 subscribe orderbook_delta A,B",
            "8 subscribe orderbook_delta C,D",
            "9 subscribe orderbook_delta E",
        ]
    );
    assert_eq!(names(&p.lost), "A,B,C,D,E");
    assert!(
        s.on_error(&error(None, 25, None)).commands.is_empty(),
        "once"
    );
    for (i, ch) in USER_CHANNELS.iter().enumerate() {
        subscribed(&mut s, 6, ch.clone(), 20 + i as u64);
    }
    for (id, sid) in [(7, 30), (8, 31), (9, 32)] {
        subscribed(&mut s, id, Channel::OrderbookDelta, sid);
    }
    assert_eq!(
        s.on_error(&error(None, 10, None)).commands.len(),
        5,
        "again"
    );
}

#[test]
fn a_dead_subscription_named_by_its_reply_is_recreated() {
    let mut s = connected();
    s.set_watched(set(&["A", "B", "C", "D", "E", "F"]));
    let p = s.on_error(&error(Some(5), 17, None));
    assert_eq!(
        lines(&p),
        ["6 unsubscribe [12]", "7 subscribe orderbook_delta E,F"]
    );
    let p = s.on_error(&error(None, 5, None));
    assert!(
        p.commands.is_empty(),
        "other untraceable errors are only logged"
    );
}

#[test]
fn a_new_connection_starts_ids_at_one_and_subscribes_the_remembered_set() {
    let mut s = connected();
    s.set_watched(set(&["B", "C"]));
    s.disconnect();
    assert_eq!(s.counts(), (0, 0));
    assert!(
        s.set_watched(set(&["B", "C", "Z"])).commands.is_empty(),
        "offline"
    );
    let p = s.connect();
    assert_eq!(
        lines(&p),
        [
            "1 subscribe fill,user_orders,market_lifecycle_v2 *",
            "2 subscribe orderbook_delta B,C",
            "3 subscribe orderbook_delta Z",
        ]
    );
}

#[test]
fn a_subscription_confirmed_after_it_was_given_up_is_unsubscribed() {
    let mut s = Subs::new(2, set(&["A", "B"]));
    s.connect();
    let p = s.on_error(&error(None, 25, None));
    assert_eq!(
        lines(&p),
        [
            "3 subscribe fill,user_orders,market_lifecycle_v2 *",
            "4 subscribe orderbook_delta A,B",
        ]
    );
    let p = subscribed(&mut s, 2, Channel::OrderbookDelta, 7);
    assert_eq!(lines(&p), ["5 unsubscribe [7]"]);
    assert!(p.opened.is_empty());
    assert_eq!(
        subscribed(&mut s, 4, Channel::OrderbookDelta, 8).opened,
        [(8, 0)]
    );
}
