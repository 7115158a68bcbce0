//! Bad intents are refused with a reason and change nothing — no journal row, no request to
//! the exchange, no intent number used — and nothing is accepted before start-up
//! reconciliation has finished.

mod common;
mod orders_support;

use kalshi::{Count, Price, Ticker, types::BookSide};
use kalshi_sim::server::faults::FaultPatch;
use orders_support::{Setup, TempDir, WAIT, gtc, ioc, start_bot};
use tradewind_actors::{
    gateway::GatewayConfig,
    orders::{
        Amend, Cancel, FlushJournal, GetMetrics, OrderState, OrdersConfig, Refusal, Submit,
        WaitReady, journal::Journal,
    },
};

#[actix::test]
async fn bad_intents_are_refused_with_a_reason_and_change_nothing() {
    let sim = common::quiet_sim();
    let (signer, account) = common::ed25519_account(&sim, "prime");
    let dir = TempDir::new("orders-input");
    let bot = start_bot(&sim, signer, &account, &dir, Setup::default()).await;
    let ticker = common::ny_market(&sim);
    let unknown = Ticker::new("KXHIGHNY-01JAN01-B99.5").unwrap();
    let with = |f: &dyn Fn(&mut Submit)| {
        let mut s = gtc(&ticker, BookSide::Bid, 10, 1);
        f(&mut s);
        s
    };
    // (what, intent, the reason expected)
    let cases: Vec<(&str, Submit, &str)> = vec![
        (
            "unknown ticker",
            gtc(&unknown, BookSide::Bid, 10, 1),
            "unknown_market",
        ),
        (
            "off-tick price",
            with(&|s| s.spec.price = Price::from_micros(105_000).unwrap()),
            "invalid:price",
        ),
        (
            "zero price",
            with(&|s| s.spec.price = Price::ZERO),
            "invalid:price",
        ),
        (
            "price of one dollar",
            with(&|s| s.spec.price = Price::ONE),
            "invalid:price",
        ),
        (
            "zero count",
            with(&|s| s.spec.count = Count::ZERO),
            "invalid:count",
        ),
        (
            "negative count",
            with(&|s| s.spec.count = Count::from_whole(-3)),
            "invalid:count",
        ),
        (
            "reduce-only GTC",
            with(&|s| s.spec.reduce_only = true),
            "invalid:reduce_only",
        ),
        (
            "reduce-only with nothing to reduce",
            {
                let mut s = ioc(&ticker, BookSide::Ask, 10, 1);
                s.spec.reduce_only = true;
                s
            },
            "invalid:reduce_only",
        ),
    ];
    for (what, intent, reason) in cases {
        let r = bot.orders.send(intent).await.unwrap();
        let err = r.expect_err(what);
        assert_eq!(err.reason(), reason, "{what}: {err}");
        assert!(!err.to_string().is_empty());
    }
    let off_tick = bot
        .orders
        .send(with(&|s| {
            s.spec.price = Price::from_micros(105_000).unwrap()
        }))
        .await
        .unwrap()
        .unwrap_err();
    assert!(off_tick.to_string().contains("not on a tick"), "{off_tick}");
    let missing = bot
        .orders
        .send(Cancel { key: "nope".into() })
        .await
        .unwrap();
    assert_eq!(missing, Err(Refusal::NoSuchOrder("nope".into())));
    let amend = Amend {
        key: "nope".into(),
        price: Price::from_cents(5).unwrap(),
        remaining: Count::ONE,
    };
    assert!(matches!(
        bot.orders.send(amend).await.unwrap(),
        Err(Refusal::NoSuchOrder(_))
    ));

    // Nothing changed: no journal rows, nothing sent, no intent number used.
    assert!(
        bot.orders.send(FlushJournal).await.unwrap(),
        "journal flushed"
    );
    let j = Journal::open_read_only(&bot.journal).unwrap();
    assert_eq!(j.count("intents").unwrap(), 0);
    assert_eq!(j.count("orders").unwrap(), 0);
    assert!(sim.control().order_log(Some(&account)).is_empty());
    let m = bot.orders.send(GetMetrics).await.unwrap();
    assert_eq!(m.counters.intents, 0);
    assert_eq!(m.counters.refused.values().sum::<u64>(), 11);
    assert_eq!(m.counters.refused.get("invalid:price"), Some(&4));
    let ok = bot
        .orders
        .send(gtc(&ticker, BookSide::Bid, 10, 1))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        ok.key,
        tradewind_actors::orders::ids::client_order_id("test", &ticker, 1)
            .unwrap()
            .to_string(),
        "the first good intent is number 1"
    );
    assert_eq!(ok.state, OrderState::Resting);
}

#[actix::test]
async fn no_intent_is_accepted_before_start_up_reconciliation_finishes() {
    let sim = common::quiet_sim();
    let (signer, account) = common::ed25519_account(&sim, "prime");
    let dir = TempDir::new("orders-notready");
    // Every REST call fails until the faults are cleared: reconciliation keeps retrying.
    sim.control()
        .set_faults(&FaultPatch {
            rest_5xx_fraction: Some(1.0),
            ..Default::default()
        })
        .unwrap();
    let gw = common::gateway(
        &sim,
        signer,
        GatewayConfig {
            backoff_base_ms: 1,
            backoff_cap_ms: 5,
            max_read_retries: 1,
            ..GatewayConfig::default()
        },
    );
    let metadata = actix::Actor::start(
        tradewind_actors::metadata::Metadata::new(
            Default::default(),
            tradewind_actors::clock::LiveClock::shared(),
            tradewind_actors::metadata::MetadataPeers::from_gateway(&gw, Vec::new()),
        )
        .unwrap(),
    );
    let cfg = OrdersConfig {
        strategy_id: "test".into(),
        reconcile_retry_ms: 20,
        positions_check_s: 0,
        ..OrdersConfig::default()
    };
    let journal = Journal::open(&dir.journal(), cfg.journal_synchronous).unwrap();
    let peers = tradewind_actors::orders::OrdersPeers::from_gateway(&gw, metadata.recipient());
    let orders = actix::Actor::start(
        tradewind_actors::orders::Orders::new(
            cfg,
            journal,
            peers,
            tradewind_actors::clock::LiveClock::shared(),
        )
        .unwrap(),
    );
    let ticker = common::ny_market(&sim);
    let early = orders
        .send(gtc(&ticker, BookSide::Bid, 10, 1))
        .await
        .unwrap();
    assert_eq!(early.unwrap_err(), Refusal::NotReady);
    let m = orders.send(GetMetrics).await.unwrap();
    assert!(!m.ready);

    sim.control()
        .set_faults(&FaultPatch {
            clear: true,
            ..Default::default()
        })
        .unwrap();
    tokio::time::timeout(WAIT, orders.send(WaitReady))
        .await
        .expect("ready in time")
        .unwrap();
    let m = orders.send(GetMetrics).await.unwrap();
    assert!(m.ready);
    assert!(m.counters.reconciliations >= 1, "{m:?}");
    // Ready, but no blackout clock has spoken: nothing that adds risk passes (fail closed).
    let unknown = orders
        .send(gtc(&ticker, BookSide::Bid, 10, 1))
        .await
        .unwrap();
    assert!(
        matches!(&unknown, Err(Refusal::Blackout(why)) if why.contains("not told its state")),
        "{unknown:?}"
    );
    orders
        .send(tradewind_actors::blackout::BlackoutChanged {
            state: tradewind_actors::blackout::BlackoutState {
                active: false,
                reason: Vec::new(),
                until: None,
            },
        })
        .await
        .unwrap();
    let late = orders
        .send(gtc(&ticker, BookSide::Bid, 10, 1))
        .await
        .unwrap();
    assert_eq!(late.unwrap().state, OrderState::Resting);
    assert_eq!(sim.control().order_log(Some(&account)).len(), 1);
}
