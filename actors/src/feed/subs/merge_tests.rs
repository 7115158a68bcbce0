//! Tests of [`super::Subs`] against an exchange that merges a second `orderbook_delta`
//! subscribe into the first subscription and answers it `ok` (the `ws_merge_subscribes`
//! reading), and against replies no documented exchange sends but the feed must survive: an
//! `ok` naming a sid unknown, given up or absent, and an `unsubscribed` nobody asked for.

use kalshi::ws::Channel;

use super::{
    USER_CHANNELS,
    tests::{connected, lines, names, ok, set, subscribed, t},
    *,
};

/// Connected with A..E watched, cap 2, the account channels on sids 1..3; nothing else
/// answered yet (books asked for by commands 2, 3 and 4).
fn connecting() -> Subs {
    let mut s = Subs::new(2, set(&["A", "B", "C", "D", "E"]));
    s.connect();
    for (i, ch) in USER_CHANNELS.iter().enumerate() {
        subscribed(&mut s, 1, ch.clone(), i as u64 + 1);
    }
    s
}

#[test]
fn subscribes_answered_ok_join_the_subscription_they_name() {
    let mut s = connecting();
    assert_eq!(
        subscribed(&mut s, 2, Channel::OrderbookDelta, 10).opened,
        [(10, 0)]
    );
    let p = ok(&mut s, 3, Some(10), Some(2));
    assert_eq!((p.merged, p.opened.as_slice()), (1, [].as_slice()));
    assert_eq!(names(&s.members(10)), "A,B,C,D");
    let p = ok(&mut s, 4, Some(10), Some(3));
    assert!(p.ready, "every initial subscribe answered");
    assert!(p.commands.is_empty(), "{:?}", lines(&p));
    assert_eq!(s.counts(), (1, 3));
    assert_eq!(names(&s.members(10)), "A,B,C,D,E");

    // Past the cap: new markets go in a new subscribe, which joins the same sid.
    let p = s.set_watched(set(&["B", "C", "D", "E", "F", "G"]));
    assert_eq!(
        lines(&p),
        ["5 delete_markets 10 A", "6 subscribe orderbook_delta F,G"]
    );
    ok(&mut s, 5, Some(10), None);
    assert_eq!(
        names(&s.members(10)),
        "B,C,D,E",
        "F,G not served before their ok"
    );
    assert_eq!(ok(&mut s, 6, Some(10), None).merged, 1);
    assert_eq!(names(&s.members(10)), "B,C,D,E,F,G");
    let p = s.snapshot(10, s.members(10));
    assert_eq!(lines(&p), ["7 get_snapshot 10 B,C,D,E,F,G"]);
}

#[test]
fn a_subscribe_merged_into_a_sid_given_up_meanwhile_is_subscribed_again() {
    let mut s = connecting();
    subscribed(&mut s, 2, Channel::OrderbookDelta, 10);
    // A's snapshot never came: sid 10 is re-created.
    let p = s.resubscribe(&[t("A")]);
    assert_eq!(
        lines(&p),
        ["5 unsubscribe [10]", "6 subscribe orderbook_delta A,B"]
    );
    // The exchange had merged C,D into sid 10 before it saw the unsubscribe.
    let p = ok(&mut s, 3, Some(10), Some(3));
    assert_eq!(lines(&p), ["7 subscribe orderbook_delta C,D"]);
    assert_eq!((names(&p.lost), p.merged), ("C,D".into(), 0));
    assert!(s.on_unsubscribed(10).commands.is_empty());
}

#[test]
fn a_subscribe_answered_ok_with_an_unknown_sid_is_adopted_after_its_seq() {
    let mut s = connecting();
    let p = ok(&mut s, 2, Some(10), Some(3));
    assert_eq!(p.opened, [(10, 3)]);
    assert_eq!(names(&s.members(10)), "A,B");
    assert_eq!(ok(&mut s, 3, Some(11), None).opened, [(11, 0)]);
}

#[test]
fn a_subscribe_answered_ok_without_a_sid_waits_for_the_snapshot_deadline() {
    let mut s = connecting();
    let p = ok(&mut s, 2, None, None);
    assert!(p.commands.is_empty() && p.opened.is_empty());
    assert_eq!(s.counts(), (3, 3), "still unconfirmed");
    let p = s.resubscribe(&[t("A")]);
    assert_eq!(lines(&p), ["5 subscribe orderbook_delta A,B"]);
}

#[test]
fn an_ok_to_the_account_subscribe_answers_one_of_its_channels() {
    let mut s = Subs::new(2, set(&["A"]));
    s.connect();
    assert!(!ok(&mut s, 1, Some(1), None).ready);
    subscribed(&mut s, 1, Channel::UserOrders, 2);
    subscribed(&mut s, 2, Channel::OrderbookDelta, 4);
    assert!(subscribed(&mut s, 1, Channel::MarketLifecycleV2, 3).ready);
    assert_eq!(s.counts(), (1, 3));
}

#[test]
fn an_unsubscribed_nobody_asked_for_loses_the_markets_and_subscribes_them_again() {
    let mut s = connected();
    let p = s.on_unsubscribed(11);
    assert_eq!(
        (p.closed.as_slice(), names(&p.lost)),
        ([11].as_slice(), "C,D".into())
    );
    assert_eq!(
        lines(&p),
        ["5 add_markets 12 C", "6 subscribe orderbook_delta D"]
    );
    assert!(s.members(11).is_empty());
}
