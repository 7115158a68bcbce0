use std::sync::atomic::{AtomicU32, Ordering};

use chrono::TimeZone;
use kalshi::{
    ClientOrderId, Count, OrderId, Price,
    types::{BookSide, TimeInForce},
};

use super::*;
use crate::orders::{
    spec::OrderSpec,
    state::{Event, Ledger, OrderState, Origin},
};

/// A fresh journal path in the temp dir; the directory is removed on drop.
struct TempPath(PathBuf);

impl TempPath {
    fn new() -> TempPath {
        static N: AtomicU32 = AtomicU32::new(0);
        let dir = std::env::temp_dir().join(format!(
            "tw-journal-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        TempPath(dir)
    }

    fn file(&self) -> PathBuf {
        self.0.join("journal.sqlite")
    }
}

impl Drop for TempPath {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 1, 12, 0, 0).unwrap()
}

fn intent(seq: u64) -> OrderRecord {
    let key = format!("s:T-1:{seq}");
    OrderRecord {
        key: key.clone(),
        client_order_id: Some(ClientOrderId::new(key).unwrap()),
        order_id: None,
        intent_seq: Some(seq),
        origin: Origin::Intent,
        spec: OrderSpec {
            ticker: Ticker::new("T-1").unwrap(),
            side: BookSide::Bid,
            price: Price::from_cents(40).unwrap(),
            count: Count::from_whole(5),
            time_in_force: TimeInForce::GoodTillCanceled,
            post_only: true,
            reduce_only: false,
        },
        fill_sum: Count::ZERO,
        reported_filled: Count::ZERO,
        book_epoch: Some(7),
        state: OrderState::PendingNew,
        reason: None,
        created_at: now(),
        updated_at: now(),
        cancel_requested: false,
    }
}

#[test]
fn a_new_journal_is_migrated_to_the_current_version_and_reopens() {
    let dir = TempPath::new();
    let j = Journal::open(&dir.file(), Synchronous::Full).unwrap();
    assert_eq!(j.schema_version().unwrap(), schema::CURRENT_VERSION);
    drop(j);
    let j = Journal::open(&dir.file(), Synchronous::Normal).unwrap();
    assert_eq!(j.schema_version().unwrap(), schema::CURRENT_VERSION);
    let mode: String = j
        .conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
}

#[test]
fn a_journal_from_a_newer_build_is_refused() {
    let dir = TempPath::new();
    let conn = Connection::open(dir.file()).unwrap();
    conn.pragma_update(None, "user_version", 99).unwrap();
    drop(conn);
    let err = Journal::open(&dir.file(), Synchronous::Full).unwrap_err();
    assert!(
        matches!(err, JournalError::TooNew { found: 99, .. }),
        "{err}"
    );
}

#[test]
fn intents_orders_events_fills_and_positions_read_back() {
    let dir = TempPath::new();
    let mut j = Journal::open(&dir.file(), Synchronous::Full).unwrap();
    let mut ledger = Ledger::default();
    let o = intent(1);
    j.commit(
        now(),
        &[
            Write::Intent {
                order: &o,
                label: "t",
            },
            Write::Order(&o),
            Write::Event(&o, None),
        ],
    )
    .unwrap();
    ledger.insert(o);
    let change = ledger
        .apply(
            "s:T-1:1",
            &Event::Acked {
                order_id: OrderId::new("o-1").unwrap(),
                filled: Count::from_whole(2),
                remaining: Count::from_whole(3),
            },
            now(),
        )
        .unwrap();
    let o = ledger.get("s:T-1:1").unwrap().clone();
    let fill = FillRecord {
        trade_id: "t-1".into(),
        order_id: OrderId::new("o-1").unwrap(),
        client_order_id: Some("s:T-1:1".into()),
        ticker: o.spec.ticker.clone(),
        side: BookSide::Bid,
        yes_price: Price::from_cents(40).unwrap(),
        count: Count::from_whole(2),
        fee: Money::parse("0.02").unwrap(),
        is_taker: true,
        ts: now(),
    };
    let mut pos = Position::default();
    let realized = pos.apply(&fill);
    let writes = [
        Write::Order(&o),
        Write::Event(&o, Some(&change)),
        Write::Fill(&fill, "ws", realized),
        Write::Position(&o.spec.ticker, &pos),
    ];
    j.commit(now(), &writes).unwrap();
    // A fill written twice is stored once.
    j.commit(now(), &[Write::Fill(&fill, "rest_gap", realized)])
        .unwrap();

    let ro = Journal::open_read_only(&dir.file()).unwrap();
    let loaded = ro.load(now() - chrono::Duration::days(1)).unwrap();
    assert_eq!(loaded.max_seq, 1);
    assert_eq!(loaded.orders, vec![o.clone()]);
    assert_eq!(loaded.fills, vec![(fill, realized)]);
    assert_eq!(loaded.positions, vec![(o.spec.ticker.clone(), pos)]);
    assert_eq!(ro.count("order_events").unwrap(), 2);
    let outcomes = ro.intent_outcomes().unwrap();
    assert_eq!(outcomes.len(), 1);
    assert_eq!(outcomes[0].state.as_deref(), Some("resting"));
    assert_eq!(outcomes[0].order_id.as_deref(), Some("o-1"));
}

#[test]
fn finished_orders_older_than_the_cut_off_are_not_loaded() {
    let dir = TempPath::new();
    let mut j = Journal::open(&dir.file(), Synchronous::Full).unwrap();
    let mut done = intent(1);
    done.state = OrderState::Canceled;
    let open = intent(2);
    j.commit(
        now(),
        &[
            Write::Intent {
                order: &done,
                label: "t",
            },
            Write::Order(&done),
            Write::Intent {
                order: &open,
                label: "t",
            },
            Write::Order(&open),
        ],
    )
    .unwrap();
    let loaded = j.load(now() + chrono::Duration::hours(1)).unwrap();
    let keys: Vec<&str> = loaded.orders.iter().map(|o| o.key.as_str()).collect();
    assert_eq!(keys, ["s:T-1:2"]);
    assert_eq!(loaded.max_seq, 2);
}

#[test]
fn a_failed_batch_writes_nothing() {
    let dir = TempPath::new();
    let mut j = Journal::open(&dir.file(), Synchronous::Full).unwrap();
    let o = intent(1);
    // The same intent twice violates the primary key: the whole batch rolls back.
    let err = j.commit(
        now(),
        &[
            Write::Intent {
                order: &o,
                label: "t",
            },
            Write::Order(&o),
            Write::Intent {
                order: &o,
                label: "t",
            },
        ],
    );
    assert!(err.is_err());
    assert_eq!(j.count("intents").unwrap(), 0);
    assert_eq!(j.count("orders").unwrap(), 0);
    let diffs = [crate::orders::reconcile::Difference {
        kind: "foreign_order",
        subject: "o-9".into(),
        detail: "x".into(),
    }];
    j.commit(
        now(),
        &[
            Write::Reconciliation("startup", &diffs),
            Write::KillSwitch {
                halted: true,
                reason: "test",
            },
        ],
    )
    .unwrap();
    assert_eq!(j.count("differences").unwrap(), 1);
    assert_eq!(j.count("halts").unwrap(), 1);
    assert!(j.count("sqlite_master").is_err());
}

#[test]
fn a_journal_of_the_first_schema_with_the_earlier_ids_still_loads() {
    let dir = TempPath::new();
    {
        // Version 1 as an earlier build wrote it: no `label` column, `{strategy}:{ticker}:{seq}`
        // client order ids.
        let conn = Connection::open(dir.file()).unwrap();
        conn.execute_batch(schema::MIGRATIONS[0]).unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        conn.execute(
            "INSERT INTO intents (seq, client_order_id, ticker, side, price, count,
                 time_in_force, post_only, reduce_only, book_epoch, created_at)
             VALUES (7, 'tradewind:KXHIGHLAX-26DEC04-B66.5:7', 'KXHIGHLAX-26DEC04-B66.5',
                 'bid', '0.4000', '5.00', 'good_till_canceled', 1, 0, NULL,
                 '2026-01-01T12:00:00.000Z')",
            [],
        )
        .unwrap();
    }
    let j = Journal::open(&dir.file(), Synchronous::Full).unwrap();
    assert_eq!(j.schema_version().unwrap(), schema::CURRENT_VERSION);
    let outcomes = j.intent_outcomes().unwrap();
    assert_eq!(outcomes.len(), 1);
    assert_eq!(
        crate::orders::ids::seq_of("tradewind", outcomes[0].client_order_id.as_str()),
        Some(7)
    );
    assert_eq!(
        j.load(now() - chrono::Duration::days(30)).unwrap().max_seq,
        7
    );
}

#[path = "writer_tests.rs"]
mod writer;
