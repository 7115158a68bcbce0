//! Helpers of the order-manager tests: a temporary journal directory, an order manager wired
//! to a simulator account (gateway, metadata cache, journal), a second account that makes
//! markets for it, and intents written briefly.

#![allow(dead_code)]

use std::{
    path::PathBuf,
    sync::{
        Arc,
        atomic::{AtomicU32, Ordering},
    },
    time::Duration,
};

use actix::{Actor, Addr, Recipient};
use kalshi::{
    ClientOrderId, Count, Price, Ticker,
    rest::{CreateOrderV2Request, Fill as RestFill},
    sign::Signer,
    types::{BookSide, TimeInForce},
    ws,
};
use kalshi_sim::SimHandle;
use tradewind_actors::{
    blackout::{BlackoutChanged, BlackoutState, SubscribeBlackout},
    clock::{LiveClock, SharedClock},
    gateway::{Gateway, GatewayConfig, PlaceOrder},
    metadata::{Metadata, MetadataConfig, MetadataPeers},
    orders::{
        OrderEvent, OrderSpec, Orders, OrdersConfig, OrdersPeers, Submit, WaitReady,
        journal::Journal,
    },
};

use super::common;

/// Longest wait for anything in these tests.
pub const WAIT: Duration = Duration::from_secs(15);

/// A directory under the system temp dir, removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    /// A fresh, empty directory.
    pub fn new(tag: &str) -> TempDir {
        static N: AtomicU32 = AtomicU32::new(0);
        let dir = std::env::temp_dir().join(format!(
            "tw-{tag}-{}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst),
            chrono::Utc::now().timestamp_micros()
        ));
        std::fs::create_dir_all(&dir).expect("temp dir");
        TempDir(dir)
    }

    /// The journal file in it.
    pub fn journal(&self) -> PathBuf {
        self.0.join("journal.sqlite")
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// How to build an order manager for a test.
pub struct Setup {
    /// `[orders]` (its `journal_path` is replaced by the temp dir's).
    pub orders: OrdersConfig,
    /// `[gateway]`.
    pub gateway: GatewayConfig,
    /// The order manager's clock.
    pub clock: SharedClock,
    /// Subscribe to this blackout clock at start; `None`: the order manager is told at once
    /// that no blackout is active or ahead (it takes no new risk before it knows).
    pub blackout: Option<Recipient<SubscribeBlackout>>,
    /// Listeners of order events.
    pub listeners: Vec<Recipient<OrderEvent>>,
}

impl Default for Setup {
    fn default() -> Self {
        Setup {
            orders: OrdersConfig {
                strategy_id: "test".into(),
                positions_check_s: 0,
                ..OrdersConfig::default()
            },
            gateway: GatewayConfig {
                backoff_base_ms: 5,
                ..GatewayConfig::default()
            },
            clock: LiveClock::shared(),
            blackout: None,
            listeners: Vec::new(),
        }
    }
}

/// An order manager on one simulator account, and what it runs on.
pub struct Bot {
    /// The account.
    pub account_id: String,
    /// Its gateway.
    pub gateway: Addr<Gateway>,
    /// The order manager.
    pub orders: Addr<Orders>,
    /// The journal file.
    pub journal: PathBuf,
}

/// Starts a gateway, a metadata cache and an order manager for `signer` with the journal in
/// `dir`, and waits until start-up reconciliation is over. Call inside an actix system.
pub async fn start_bot(
    sim: &SimHandle,
    signer: Arc<Signer>,
    account_id: &str,
    dir: &TempDir,
    setup: Setup,
) -> Bot {
    let mut bot = start_bot_at(&sim.rest_url(), signer, dir, setup).await;
    bot.account_id = account_id.to_owned();
    bot
}

/// [`start_bot`] against a REST base URL (a simulator in another process).
pub async fn start_bot_at(rest_url: &str, signer: Arc<Signer>, dir: &TempDir, setup: Setup) -> Bot {
    let gateway = Gateway::new(setup.gateway.clone(), rest_url, signer, LiveClock::shared())
        .expect("gateway config")
        .start();
    let metadata = Metadata::new(
        MetadataConfig::default(),
        LiveClock::shared(),
        MetadataPeers::from_gateway(&gateway, Vec::new()),
    )
    .expect("metadata config")
    .start();
    let mut peers = OrdersPeers::from_gateway(&gateway, metadata.recipient());
    let no_clock = setup.blackout.is_none();
    peers.blackout = setup.blackout;
    peers.listeners = setup.listeners;
    let cfg = OrdersConfig {
        journal_path: dir.journal().display().to_string(),
        ..setup.orders
    };
    let journal = Journal::open(&dir.journal(), cfg.journal_synchronous).expect("journal");
    let orders = Orders::new(cfg, journal, peers, setup.clock)
        .expect("orders config")
        .start();
    if no_clock {
        no_blackout(&orders).await;
    }
    tokio::time::timeout(WAIT, orders.send(WaitReady))
        .await
        .expect("reconciled in time")
        .expect("order manager alive");
    Bot {
        account_id: String::new(),
        gateway,
        orders,
        journal: dir.journal(),
    }
}

/// Tells `orders` what a blackout clock would: no blackout now or ahead (until told, an order
/// manager takes no new risk).
pub async fn no_blackout(orders: &Addr<Orders>) {
    let state = BlackoutState {
        active: false,
        reason: Vec::new(),
        until: None,
    };
    orders
        .send(BlackoutChanged { state })
        .await
        .expect("order manager alive");
}

/// A good-till-canceled limit intent.
pub fn gtc(ticker: &Ticker, side: BookSide, cents: u32, count: i64) -> Submit {
    Submit {
        spec: OrderSpec {
            ticker: ticker.clone(),
            side,
            price: Price::from_cents(cents).expect("price"),
            count: Count::from_whole(count),
            time_in_force: TimeInForce::GoodTillCanceled,
            post_only: false,
            reduce_only: false,
        },
        book_epoch: Some(1),
        stamps: Default::default(),
    }
}

/// An immediate-or-cancel intent.
pub fn ioc(ticker: &Ticker, side: BookSide, cents: u32, count: i64) -> Submit {
    let mut s = gtc(ticker, side, cents, count);
    s.spec.time_in_force = TimeInForce::ImmediateOrCancel;
    s
}

/// Another account that rests orders for the bot to trade against.
pub struct Maker {
    gateway: Addr<Gateway>,
    n: u32,
}

impl Maker {
    /// A maker account with its own gateway. Call inside an actix system.
    pub fn new(sim: &SimHandle) -> Maker {
        let (signer, _) = common::ed25519_account(sim, "prime");
        Maker {
            gateway: common::gateway(sim, signer, GatewayConfig::default()),
            n: 0,
        }
    }

    /// Rests a GTC order.
    pub async fn rest(&mut self, ticker: &Ticker, side: BookSide, cents: u32, count: i64) {
        self.n += 1;
        let mut req = CreateOrderV2Request::limit(
            ticker.clone(),
            side,
            Price::from_cents(cents).expect("price"),
            Count::from_whole(count),
        );
        req.client_order_id = Some(ClientOrderId::new(format!("maker-{}", self.n)).expect("id"));
        self.gateway
            .send(PlaceOrder {
                request: req,
                deadline: Some(Duration::from_secs(5)),
                stamps: Default::default(),
            })
            .await
            .expect("gateway alive")
            .expect("maker order placed");
    }
}

/// A `GET /portfolio/fills` fill as the WebSocket `fill` channel would carry it.
pub fn ws_fill(f: &RestFill) -> ws::Fill {
    ws::Fill {
        trade_id: f.trade_id.clone(),
        order_id: f.order_id.clone(),
        client_order_id: None,
        market_ticker: f.ticker.clone(),
        exchange_index: Some(0),
        is_taker: f.is_taker,
        side: Some(f.outcome_side.as_str().to_owned()),
        yes_price_dollars: f.yes_price_dollars,
        count_fp: f.count_fp,
        fee_cost: Some(f.fee_cost),
        action: None,
        post_position_fp: None,
        purchased_side: Some(f.outcome_side),
        outcome_side: Some(f.outcome_side),
        book_side: Some(f.book_side),
        ts: f.ts,
        ts_ms: f.created_time.map(|t| t.timestamp_millis()),
        subaccount: None,
    }
}

/// The simulator's position of an account in a market (0 when flat).
pub fn sim_position(sim: &SimHandle, account_id: &str, ticker: &Ticker) -> Count {
    sim.control()
        .positions(account_id)
        .into_iter()
        .find(|p| p.ticker == *ticker)
        .map_or(Count::ZERO, |p| p.position_fp)
}

/// An open market of the default catalogue other than [`common::ny_market`].
pub fn other_market(sim: &SimHandle) -> Ticker {
    let date = kalshi_sim::catalogue::date_code(chrono::Utc::now().date_naive());
    let t = Ticker::new(format!("KXHIGHNY-{date}-B52.5")).expect("ticker");
    assert!(sim.control().true_book(&t).is_some(), "market {t} exists");
    t
}
