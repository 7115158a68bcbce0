//! Scenario tests of the exchange core: matching, priorities, flags, amends, lifecycle,
//! accounting — and a seeded random run checking the book and money invariants.

use chrono::{DateTime, Duration, TimeZone, Utc};
use kalshi::{
    ClientOrderId, Count, EventTicker, Money, Price, SeriesTicker, Ticker,
    num::{PriceLevelStructure, PriceRanges},
    types::{BookSide, MarketResult, MarketStatus, OrderStatus, SelfTradePrevention, TimeInForce},
};
use rand::{Rng, SeedableRng, rngs::StdRng};

use kalshi::fees::FeeType;

use super::{
    AccountIdx, Exchange, MarketInfo, Notice, OrderRequest, Strike,
    modify::{AmendRequest, Decrease},
};

const T: &str = "KXHIGHNY-26NOV28-B50.5";

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 28, 12, 0, 0).unwrap()
}
fn p(s: &str) -> Price {
    Price::parse(s).unwrap()
}
fn c(n: i64) -> Count {
    Count::from_whole(n)
}
fn m(s: &str) -> Money {
    Money::parse(s).unwrap()
}

fn exchange(fee: FeeType) -> (Exchange, AccountIdx, AccountIdx) {
    let mut x = Exchange::new(7);
    let a = x.add_account("basic", m("1000"), false);
    let b = x.add_account("basic", m("1000"), false);
    x.add_market(MarketInfo {
        ticker: Ticker::new(T).unwrap(),
        event_ticker: EventTicker::new("KXHIGHNY-26NOV28").unwrap(),
        series_ticker: SeriesTicker::new("KXHIGHNY").unwrap(),
        title: "t".into(),
        yes_sub_title: "50° to 51°".into(),
        no_sub_title: "not".into(),
        rules_primary: "r".into(),
        strike: Strike::Between {
            floor: 50.0,
            cap: 51.0,
        },
        price_level_structure: PriceLevelStructure::LinearCent,
        price_ranges: PriceRanges::linear_cent(),
        fee_type: fee,
        created_time: now() - Duration::hours(2),
        open_time: now() - Duration::hours(1),
        close_time: now() + Duration::hours(6),
        latest_expiration_time: now() + Duration::days(7),
        settlement_timer_seconds: 60,
    });
    x.tick(now());
    x.drain_notices(); // the listing's `created` event
    (x, a, b)
}

fn order(side: BookSide, price: &str, n: i64) -> OrderRequest {
    OrderRequest::limit(Ticker::new(T).unwrap(), side, p(price), c(n))
}

fn with_cid(mut r: OrderRequest, cid: &str) -> OrderRequest {
    r.client_order_id = Some(ClientOrderId::new(cid).unwrap());
    r
}

#[test]
fn crossing_order_trades_at_the_resting_price() {
    let (mut x, a, b) = exchange(FeeType::Free);
    let bid = x
        .create_order(a, order(BookSide::Bid, "0.40", 10), now())
        .unwrap();
    assert_eq!(bid.order.status, OrderStatus::Resting);
    let ask = x
        .create_order(b, order(BookSide::Ask, "0.35", 4), now())
        .unwrap();
    assert_eq!(ask.fill_count, c(4));
    assert_eq!(ask.average_fill_price, Some(p("0.40")));
    assert_eq!(ask.order.status, OrderStatus::Executed);
    let bid = x.order(bid.order.key).unwrap();
    assert_eq!((bid.fill_count, bid.remaining_count), (c(4), c(6)));
    assert_eq!(x.account(a).unwrap().position(T), c(4));
    assert_eq!(x.account(b).unwrap().position(T), c(-4));
    // b bought 4 NO at 0.60.
    assert_eq!(x.account(b).unwrap().balance, m("997.60"));
    let (yes, no) = x.market(T).unwrap().book.public_levels();
    assert_eq!(
        yes,
        vec![kalshi::level::PriceLevel {
            price: p("0.40"),
            count: c(6)
        }]
    );
    assert!(no.is_empty());
}

#[test]
fn older_order_at_a_price_fills_first() {
    let (mut x, a, b) = exchange(FeeType::Free);
    let first = x
        .create_order(a, order(BookSide::Bid, "0.40", 5), now())
        .unwrap()
        .order
        .key;
    let second = x
        .create_order(a, order(BookSide::Bid, "0.40", 5), now())
        .unwrap()
        .order
        .key;
    let better = x
        .create_order(a, order(BookSide::Bid, "0.41", 1), now())
        .unwrap()
        .order
        .key;
    x.create_order(b, order(BookSide::Ask, "0.40", 3), now())
        .unwrap();
    assert_eq!(x.order(better).unwrap().status, OrderStatus::Executed);
    assert_eq!(x.order(first).unwrap().fill_count, c(2));
    assert_eq!(x.order(second).unwrap().fill_count, Count::ZERO);
}

#[test]
fn ioc_cancels_its_rest_and_fok_needs_the_whole_count() {
    let (mut x, a, b) = exchange(FeeType::Free);
    x.create_order(a, order(BookSide::Bid, "0.40", 5), now())
        .unwrap();
    let mut ioc = order(BookSide::Ask, "0.40", 8);
    ioc.time_in_force = TimeInForce::ImmediateOrCancel;
    let out = x.create_order(b, ioc, now()).unwrap();
    assert_eq!(
        (out.fill_count, out.order.remaining_count),
        (c(5), Count::ZERO)
    );
    assert_eq!(out.order.status, OrderStatus::Canceled);

    x.create_order(a, order(BookSide::Bid, "0.40", 5), now())
        .unwrap();
    let mut fok = order(BookSide::Ask, "0.40", 6);
    fok.time_in_force = TimeInForce::FillOrKill;
    let out = x.create_order(b, fok.clone(), now()).unwrap();
    assert_eq!(
        (out.fill_count, out.order.status.clone()),
        (Count::ZERO, OrderStatus::Canceled)
    );
    fok.count = c(5);
    let out = x.create_order(b, fok, now()).unwrap();
    assert_eq!(
        (out.fill_count, out.order.status),
        (c(5), OrderStatus::Executed)
    );
}

#[test]
fn post_only_that_would_cross_is_refused() {
    let (mut x, a, b) = exchange(FeeType::Free);
    x.create_order(a, order(BookSide::Bid, "0.40", 5), now())
        .unwrap();
    let mut po = order(BookSide::Ask, "0.40", 1);
    po.post_only = true;
    let refused = x.create_order(b, po.clone(), now()).unwrap_err();
    assert_eq!(
        (refused.code, refused.details.as_deref()),
        ("invalid_order", Some("post only cross"))
    );
    po.price = p("0.41");
    assert!(x.create_order(b, po, now()).is_ok());
}

#[test]
fn self_trade_prevention_modes() {
    let (mut x, a, b) = exchange(FeeType::Free);
    let own = x
        .create_order(a, order(BookSide::Bid, "0.40", 5), now())
        .unwrap()
        .order
        .key;
    x.create_order(b, order(BookSide::Bid, "0.39", 5), now())
        .unwrap();
    // taker_at_cross: the incoming order is canceled on reaching the own order.
    let out = x
        .create_order(a, order(BookSide::Ask, "0.39", 3), now())
        .unwrap();
    assert_eq!(
        (out.fill_count, out.order.status),
        (Count::ZERO, OrderStatus::Canceled)
    );
    assert_eq!(x.order(own).unwrap().status, OrderStatus::Resting);
    // maker: the own resting order is canceled and matching goes on.
    let mut req = order(BookSide::Ask, "0.39", 3);
    req.self_trade_prevention = SelfTradePrevention::Maker;
    let out = x.create_order(a, req, now()).unwrap();
    assert_eq!(out.fill_count, c(3));
    assert_eq!(x.order(own).unwrap().status, OrderStatus::Canceled);
}

#[test]
fn refusals_name_the_problem_and_leave_no_trace() {
    let (mut x, a, _) = exchange(FeeType::Free);
    let req = with_cid(order(BookSide::Bid, "0.40", 1), "cid-1");
    x.create_order(a, req.clone(), now()).unwrap();
    let dup = x.create_order(a, req, now()).unwrap_err();
    assert_eq!((dup.status, dup.code), (409, "order_already_exists"));
    let off = x
        .create_order(a, order(BookSide::Bid, "0.405", 1), now())
        .unwrap_err();
    assert_eq!((off.status, off.code), (400, "invalid_order"));
    assert!(
        off.describe().contains("not on a tick"),
        "{}",
        off.describe()
    );
    let zero = x
        .create_order(a, order(BookSide::Bid, "0.40", 0), now())
        .unwrap_err();
    assert_eq!(zero.code, "invalid_order");
    let mut ro = order(BookSide::Bid, "0.40", 1);
    ro.reduce_only = true;
    assert_eq!(
        x.create_order(a, ro, now()).unwrap_err().code,
        "invalid_order"
    );
    let rich = x
        .create_order(a, order(BookSide::Bid, "0.50", 5000), now())
        .unwrap_err();
    assert_eq!(rich.code, "insufficient_balance");
    let mut bad = order(BookSide::Bid, "0.40", 1);
    bad.ticker = Ticker::new("NOPE").unwrap();
    assert_eq!(x.create_order(a, bad, now()).unwrap_err().status, 404);
    assert_eq!(x.account(a).unwrap().orders.len(), 1);
}

#[test]
fn a_client_id_comes_free_when_its_order_ends_only_under_the_open_only_rule() {
    for (rule, reusable) in [
        (crate::readings::DuplicateRule::Ever, false),
        (crate::readings::DuplicateRule::OpenOnly, true),
    ] {
        let (mut x, a, b) = exchange(FeeType::Free);
        x.set_duplicate_rule(rule);
        // Resting: taken under either rule.
        let resting = with_cid(order(BookSide::Bid, "0.40", 2), "rest-1");
        x.create_order(a, resting.clone(), now()).unwrap();
        let again = x.create_order(a, resting, now()).unwrap_err();
        assert_eq!(
            (again.status, again.code),
            (409, "order_already_exists"),
            "{rule:?}"
        );
        // An IOC that fills at once and ends: free again only under `open_only`.
        let mut ioc = with_cid(order(BookSide::Ask, "0.40", 1), "ioc-1");
        ioc.time_in_force = TimeInForce::ImmediateOrCancel;
        let first = x.create_order(b, ioc.clone(), now()).unwrap();
        assert_eq!(first.order.status, OrderStatus::Executed, "{rule:?}");
        let second = x.create_order(b, ioc, now());
        assert_eq!(second.is_ok(), reusable, "{rule:?}: {second:?}");
    }
}

#[test]
fn amend_keeps_priority_only_when_shrinking_at_the_same_price() {
    let (mut x, a, b) = exchange(FeeType::Free);
    let first = x
        .create_order(a, order(BookSide::Bid, "0.40", 5), now())
        .unwrap()
        .order;
    let second = x
        .create_order(b, order(BookSide::Bid, "0.40", 5), now())
        .unwrap()
        .order;
    let amend = |price: &str, count: i64| AmendRequest {
        ticker: Ticker::new(T).unwrap(),
        side: BookSide::Bid,
        price: p(price),
        count: c(count),
        updated_client_order_id: None,
    };
    // Shrink: stays first in the queue.
    x.amend_order(a, first.order_id.as_str(), amend("0.40", 3), now())
        .unwrap();
    let c3 = x
        .create_order(b, order(BookSide::Ask, "0.40", 1), now())
        .unwrap();
    assert_eq!(c3.fill_count, c(1));
    assert_eq!(x.order(first.key).unwrap().fill_count, c(1));
    // Grow: goes behind `second`.
    x.amend_order(a, first.order_id.as_str(), amend("0.40", 6), now())
        .unwrap();
    x.create_order(a, order(BookSide::Ask, "0.40", 1), now())
        .unwrap();
    assert_eq!(x.order(second.key).unwrap().fill_count, c(1));
    assert_eq!(x.order(first.key).unwrap().fill_count, c(1));
    // Price change that crosses trades at once.
    x.create_order(b, order(BookSide::Ask, "0.45", 2), now())
        .unwrap();
    let out = x
        .amend_order(a, first.order_id.as_str(), amend("0.45", 6), now())
        .unwrap();
    assert_eq!(out.average_fill_price, Some(p("0.45")));
    assert_eq!(out.order.fill_count, c(3));
}

#[test]
fn decrease_by_and_to() {
    let (mut x, a, _) = exchange(FeeType::Free);
    let o = x
        .create_order(a, order(BookSide::Bid, "0.40", 10), now())
        .unwrap()
        .order;
    let id = o.order_id.as_str();
    assert_eq!(
        x.decrease_order(a, id, Decrease::By(c(3)), now())
            .unwrap()
            .remaining_count,
        c(7)
    );
    assert_eq!(
        x.decrease_order(a, id, Decrease::To(c(2)), now())
            .unwrap()
            .remaining_count,
        c(2)
    );
    assert!(x.decrease_order(a, id, Decrease::To(c(5)), now()).is_err());
    let done = x
        .decrease_order(a, id, Decrease::To(Count::ZERO), now())
        .unwrap();
    assert_eq!(done.status, OrderStatus::Canceled);
    assert_eq!(x.account(a).unwrap().reserved, Money::ZERO);
}

#[test]
fn pause_cancels_flagged_orders_and_unpause_cancels_all() {
    let (mut x, a, _) = exchange(FeeType::Free);
    let mut flagged = order(BookSide::Bid, "0.30", 1);
    flagged.cancel_order_on_pause = true;
    let flagged = x.create_order(a, flagged, now()).unwrap().order.key;
    let plain = x
        .create_order(a, order(BookSide::Bid, "0.31", 1), now())
        .unwrap()
        .order
        .key;
    x.pause_market(T, now()).unwrap();
    assert_eq!(x.order(flagged).unwrap().status, OrderStatus::Canceled);
    assert_eq!(x.order(plain).unwrap().status, OrderStatus::Resting);
    assert_eq!(
        x.create_order(a, order(BookSide::Bid, "0.30", 1), now())
            .unwrap_err()
            .code,
        "trading_paused"
    );
    x.unpause_market(T, now()).unwrap();
    assert_eq!(x.order(plain).unwrap().status, OrderStatus::Canceled);
    let lifecycle: Vec<String> = x
        .drain_notices()
        .into_iter()
        .filter_map(|n| match n {
            Notice::Lifecycle(l) => Some(l.event_type.to_string()),
            _ => None,
        })
        .collect();
    assert_eq!(lifecycle, ["deactivated", "activated"]);
}

#[test]
fn close_determine_settle_pays_winners() {
    let (mut x, a, b) = exchange(FeeType::Free);
    x.create_order(a, order(BookSide::Bid, "0.40", 10), now())
        .unwrap();
    x.create_order(b, order(BookSide::Ask, "0.40", 10), now())
        .unwrap();
    let later = now() + Duration::hours(7);
    x.tick(later);
    assert_eq!(x.market(T).unwrap().status, MarketStatus::Closed);
    assert!(
        x.create_order(a, order(BookSide::Bid, "0.40", 1), later)
            .is_err()
    );
    x.determine(T, MarketResult::Yes, Price::ONE, later)
        .unwrap();
    x.tick(later + Duration::seconds(59));
    assert_eq!(x.market(T).unwrap().status, MarketStatus::Determined);
    x.tick(later + Duration::seconds(60));
    assert_eq!(x.market(T).unwrap().status, MarketStatus::Finalized);
    // a paid 4.00 for 10 YES and got 10.00; b paid 6.00 for 10 NO and got nothing.
    assert_eq!(x.account(a).unwrap().balance, m("1006"));
    assert_eq!(x.account(b).unwrap().balance, m("994"));
    assert_eq!(x.account(a).unwrap().settlements[0].revenue, m("10"));
}

#[test]
fn taker_pays_the_fee() {
    let (mut x, a, b) = exchange(FeeType::Quadratic);
    x.create_order(a, order(BookSide::Bid, "0.50", 100), now())
        .unwrap();
    let out = x
        .create_order(b, order(BookSide::Ask, "0.50", 100), now())
        .unwrap();
    assert_eq!(out.order.taker_fees, m("1.75"));
    assert_eq!(
        x.account(b).unwrap().balance,
        m("1000") - m("50") - m("1.75")
    );
    assert_eq!(x.account(a).unwrap().balance, m("950"));
}

/// Random orders, cancels, amends and decreases from three accounts: the public book always
/// equals the sum of resting orders, collateral equals resting value, positions net to zero,
/// and cash + fees + $1 per open contract pair is conserved.
#[test]
fn random_run_keeps_book_and_money_invariants() {
    let (mut x, a, b) = exchange(FeeType::Quadratic);
    let c3 = x.add_account("basic", m("1000"), false);
    let accounts = [a, b, c3];
    let start: Money = accounts
        .iter()
        .map(|i| x.account(*i).unwrap().balance)
        .sum();
    let mut rng = StdRng::seed_from_u64(42);
    for step in 0..3_000 {
        let who = accounts[rng.random_range(0..3)];
        let side = if rng.random() {
            BookSide::Bid
        } else {
            BookSide::Ask
        };
        let price = Price::from_cents(rng.random_range(30..=70)).unwrap();
        match rng.random_range(0..10) {
            0..=5 => {
                let mut req = OrderRequest::limit(
                    Ticker::new(T).unwrap(),
                    side,
                    price,
                    c(rng.random_range(1..20)),
                );
                req.time_in_force = [
                    TimeInForce::GoodTillCanceled,
                    TimeInForce::ImmediateOrCancel,
                    TimeInForce::FillOrKill,
                ][rng.random_range(0..3)];
                if rng.random_bool(0.2) {
                    req.self_trade_prevention = SelfTradePrevention::Maker;
                }
                let _ = x.create_order(who, req, now());
            }
            6 | 7 => {
                let resting: Vec<_> = x
                    .account(who)
                    .unwrap()
                    .orders
                    .iter()
                    .filter(|k| x.order(**k).unwrap().is_resting())
                    .copied()
                    .collect();
                if let Some(k) = resting.first() {
                    let id = x.order(*k).unwrap().order_id.clone();
                    x.cancel_order(who, id.as_str(), now()).unwrap();
                }
            }
            8 => {
                let resting: Vec<_> = x
                    .account(who)
                    .unwrap()
                    .orders
                    .iter()
                    .filter(|k| x.order(**k).unwrap().is_resting())
                    .copied()
                    .collect();
                if let Some(k) = resting.last() {
                    let o = x.order(*k).unwrap().clone();
                    let req = AmendRequest {
                        ticker: o.ticker.clone(),
                        side: o.side,
                        price,
                        count: o.fill_count + c(rng.random_range(1..10)),
                        updated_client_order_id: None,
                    };
                    let _ = x.amend_order(who, o.order_id.as_str(), req, now());
                }
            }
            _ => {
                let resting: Vec<_> = x
                    .account(who)
                    .unwrap()
                    .orders
                    .iter()
                    .filter(|k| x.order(**k).unwrap().is_resting())
                    .copied()
                    .collect();
                if let Some(k) = resting.last() {
                    let id = x.order(*k).unwrap().order_id.clone();
                    let _ = x.decrease_order(who, id.as_str(), Decrease::By(Count::ONE), now());
                }
            }
        }
        x.drain_notices();
        check_invariants(&x, &accounts, start, step);
    }
}

fn check_invariants(x: &Exchange, accounts: &[AccountIdx], start: Money, step: usize) {
    let market = x.market(T).unwrap();
    let mut yes = std::collections::BTreeMap::new();
    let mut no = std::collections::BTreeMap::new();
    let mut reserved = std::collections::HashMap::new();
    for (idx, acct) in x.accounts() {
        for k in &acct.orders {
            let o = x.order(*k).unwrap();
            if o.is_resting() {
                assert!(
                    o.remaining_count.is_positive(),
                    "step {step}: resting order with nothing left"
                );
                match o.side {
                    BookSide::Bid => {
                        *yes.entry(o.price).or_insert(Count::ZERO) += o.remaining_count
                    }
                    BookSide::Ask => {
                        *no.entry(o.price.complement()).or_insert(Count::ZERO) += o.remaining_count
                    }
                }
                *reserved.entry(idx).or_insert(Money::ZERO) +=
                    o.leg_price().notional(o.remaining_count);
            }
        }
    }
    let (pub_yes, pub_no) = market.book.public_levels();
    let levels = |m: std::collections::BTreeMap<Price, Count>| -> Vec<kalshi::level::PriceLevel> {
        m.into_iter()
            .map(|(price, count)| kalshi::level::PriceLevel { price, count })
            .collect()
    };
    assert_eq!(pub_yes, levels(yes), "step {step}: yes book");
    assert_eq!(pub_no, levels(no), "step {step}: no book");
    if let (Some(bid), Some(ask)) = market.book.top() {
        assert!(bid.price < ask.price, "step {step}: crossed book");
    }
    let mut cash = Money::ZERO;
    let mut fees = Money::ZERO;
    let mut net = Count::ZERO;
    for i in accounts {
        let acct = x.account(*i).unwrap();
        assert_eq!(
            acct.reserved,
            reserved.get(i).copied().unwrap_or_default(),
            "step {step}: reserve"
        );
        cash += acct.balance;
        for pos in acct.positions.values() {
            fees += pos.fees_paid;
            net += pos.position;
        }
    }
    assert_eq!(net, Count::ZERO, "step {step}: positions net");
    assert_eq!(
        cash + fees + Price::ONE.notional(market.open_interest),
        start,
        "step {step}: money"
    );
}
