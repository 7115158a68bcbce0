//! The journal's schema and its migrations. The schema version is SQLite's `user_version`;
//! migration `n` (1-based) takes a database from version `n − 1` to `n` inside one
//! transaction, so a crash mid-migration leaves the old version intact. Numbers are stored as
//! the exchange's decimal strings (exact; `CAST(count AS REAL)` to add them up in `sqlite3`)
//! and times as RFC 3339 UTC text, which sorts in time order.

/// Every migration, in order; the schema version is their count.
pub const MIGRATIONS: &[&str] = &[V1, V2, V3];

/// The version a journal has after every migration.
pub const CURRENT_VERSION: u32 = MIGRATIONS.len() as u32;

const V1: &str = r#"
-- One row per intent accepted by the order manager, written before its first send.
CREATE TABLE intents (
    seq             INTEGER PRIMARY KEY,        -- intent sequence number
    client_order_id TEXT    NOT NULL UNIQUE,    -- fixed before the first send
    ticker          TEXT    NOT NULL,
    side            TEXT    NOT NULL,           -- bid | ask (YES book)
    price           TEXT    NOT NULL,           -- YES price, dollars
    count           TEXT    NOT NULL,           -- contracts
    time_in_force   TEXT    NOT NULL,
    post_only       INTEGER NOT NULL,
    reduce_only     INTEGER NOT NULL,
    book_epoch      INTEGER,
    created_at      TEXT    NOT NULL
);

-- The current state of every order: our intents and adopted ones.
CREATE TABLE orders (
    key              TEXT PRIMARY KEY,          -- client order id, or 'order:<order_id>'
    client_order_id  TEXT,
    order_id         TEXT UNIQUE,               -- the exchange's id once known
    intent_seq       INTEGER REFERENCES intents(seq),
    origin           TEXT    NOT NULL,          -- intent | adopted
    ticker           TEXT    NOT NULL,
    side             TEXT    NOT NULL,
    price            TEXT    NOT NULL,
    count            TEXT    NOT NULL,          -- total size, filled included
    fill_sum         TEXT    NOT NULL,          -- fills booked for it
    reported_filled  TEXT    NOT NULL,          -- filled as the exchange last reported
    time_in_force    TEXT    NOT NULL,
    post_only        INTEGER NOT NULL,
    reduce_only      INTEGER NOT NULL,
    book_epoch       INTEGER,
    state            TEXT    NOT NULL,          -- pending_new | resting | pending_cancel |
                                                -- executed | canceled | rejected | unknown |
                                                -- not_sent
    reason           TEXT,
    cancel_requested INTEGER NOT NULL DEFAULT 0,
    created_at       TEXT    NOT NULL,
    updated_at       TEXT    NOT NULL
);
CREATE INDEX orders_state ON orders(state);
CREATE INDEX orders_ticker ON orders(ticker);

-- Every state change of every order, append-only.
CREATE TABLE order_events (
    id         INTEGER PRIMARY KEY,
    key        TEXT NOT NULL,
    at         TEXT NOT NULL,
    from_state TEXT,                            -- NULL when the order was created
    to_state   TEXT NOT NULL,
    filled     TEXT NOT NULL,
    remaining  TEXT NOT NULL,
    detail     TEXT NOT NULL
);
CREATE INDEX order_events_key ON order_events(key);

-- Every fill booked, once: (trade_id, order_id) is the dedup key.
CREATE TABLE fills (
    trade_id        TEXT    NOT NULL,
    order_id        TEXT    NOT NULL,
    client_order_id TEXT,
    ticker          TEXT    NOT NULL,
    side            TEXT    NOT NULL,
    yes_price       TEXT    NOT NULL,
    count           TEXT    NOT NULL,
    fee             TEXT    NOT NULL,
    is_taker        INTEGER NOT NULL,
    realized_pnl    TEXT    NOT NULL,           -- P&L this fill realised
    ts              TEXT    NOT NULL,
    ts_ms           INTEGER NOT NULL,
    source          TEXT    NOT NULL,           -- ws | rest_gap | reconcile | periodic
    PRIMARY KEY (trade_id, order_id)
);
CREATE INDEX fills_ts ON fills(ts_ms);

-- Current position per market (+ YES, − NO).
CREATE TABLE positions (
    ticker       TEXT PRIMARY KEY,
    position     TEXT NOT NULL,
    exposure     TEXT NOT NULL,                 -- cost basis of the open contracts
    realized_pnl TEXT NOT NULL,
    fees         TEXT NOT NULL,
    last_price   TEXT,
    updated_at   TEXT NOT NULL
);

-- Every reconciliation and the differences it found.
CREATE TABLE reconciliations (
    id          INTEGER PRIMARY KEY,
    at          TEXT    NOT NULL,
    kind        TEXT    NOT NULL,               -- startup | unknown | reconnect | periodic
    differences INTEGER NOT NULL
);
CREATE TABLE differences (
    id                INTEGER PRIMARY KEY,
    reconciliation_id INTEGER NOT NULL REFERENCES reconciliations(id),
    kind              TEXT NOT NULL,
    subject           TEXT NOT NULL,
    detail            TEXT NOT NULL
);

-- Kill-switch history.
CREATE TABLE halts (
    id     INTEGER PRIMARY KEY,
    at     TEXT    NOT NULL,
    halted INTEGER NOT NULL,                    -- 1 halt, 0 resume
    reason TEXT    NOT NULL
);

-- For people: each intent with where its order ended up.
CREATE VIEW intent_outcomes AS
    SELECT i.seq, i.client_order_id, i.ticker, i.side, i.price, i.count,
           o.state, o.order_id, o.fill_sum, o.reported_filled, i.created_at, o.updated_at
    FROM intents i LEFT JOIN orders o ON o.key = i.client_order_id;
"#;

/// Version 2: client order ids became `tw-{strategy}-{seq}-{hash}` (only `[A-Za-z0-9_-]`); the
/// readable `{strategy}:{ticker}:{seq}` each intent is known by stays here. Intents of
/// version 1 have none: their client order id is that readable form.
const V2: &str = r#"
ALTER TABLE intents ADD COLUMN label TEXT;
"#;

/// Version 3: blocks of intent sequence numbers reserved (durably, before any of their ids is
/// sent). An intent inside a reserved block is sent before its own rows are written; after a
/// crash the engine looks for orders of the blocks on the exchange (see `orders::durability`),
/// and never hands out a number below the highest `end`.
const V3: &str = r#"
CREATE TABLE id_blocks (
    start       INTEGER PRIMARY KEY,            -- first sequence number of the block
    end         INTEGER NOT NULL,               -- one past the last
    reserved_at TEXT    NOT NULL                -- no order of the block was created before
);
"#;
