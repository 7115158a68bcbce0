//! # Durability: what survives a crash, and why (documentation only)
//!
//! The promise: after a crash — a SIGKILL at any instant, or a power loss with
//! `journal_synchronous = "full"` — and a restart with its start-up reconciliation, **nothing
//! that was sent is unknown to the engine, and nothing is ever sent twice.** It holds without
//! a journal commit between an intent and its send: the only synchronous commit left on the
//! order path is the reservation of a block of `id_block` intent sequence numbers.
//!
//! ## How an intent goes out
//! 1. Its sequence number comes from a block reserved in the journal (`id_blocks` table) by a
//!    commit that returned before any id of the block was used ([`super::id_blocks::IdSeq`]).
//!    A new block starts at or above the highest end ever reserved (the *high-water mark*)
//!    and above every number the exchange was seen to carry, so no number is handed out
//!    twice — whatever the journal holds of the intents themselves.
//! 2. The client order id is `tw-{strategy}-{seq}-{hash}` ([`super::ids`]): a pure function of
//!    the number, so the exchange's record of the order names its number.
//! 3. The order is in the in-memory ledger and sent at once; its intent, order and event rows
//!    are queued to the journal writer thread ([`super::writer::JournalWriter`]) without
//!    waking it (see the window below), which commits whatever is queued in one
//!    transaction, in queue order. Later changes of the
//!    order follow the same queue, so the journal always holds a *prefix* of what the order
//!    manager did — in particular, the intents it holds are those numbered up to some `M`,
//!    with no gap above the first number of the life's first block.
//!
//! ## Why nothing sent is lost
//! The exchange is the record of what was sent. At start, the journal's highest intent
//! number `M` and its blocks give the *recovery range* `M+1 .. high-water` and the time the
//! earliest block reaching into it was reserved ([`super::id_blocks::recovery`]): every order
//! sent and not journaled has a number in that range (by the prefix property, and because a
//! life journals whatever it recovered before it sends anything — the flush before ready), and
//! was created after that reservation. Start-up reconciliation lists every order created
//! since then (minus 300 s for clock differences), **any market and any status**: resting,
//! executed and cancelled orders alike, from `GET /portfolio/orders?min_ts=…` page by page,
//! and from `GET /historical/orders?min_ts=…` when `GET /historical/cutoff` says orders that
//! recent may have been archived (`fetch::orders_since`). Each order carrying this
//! strategy's prefix with a number in the range that the ledger lacks is recovered as the
//! intent of that number, in the exchange's state ([`super::reconcile::OrderAction::Recover`];
//! difference `sent_not_journaled`); its fills are booked by the same reconciliation's fill
//! pass, and positions are checked against the exchange's as always. Before the first intent
//! is accepted the journal is flushed, so what was recovered is durable before anything new
//! is sent, and a new block is reserved above the high-water mark.
//!
//! Limits: a listing longer than `fetch::MAX_PAGES` pages of 1,000 orders is an error, not a
//! cut (start-up reconciliation fails and the engine accepts no intent); an order whose create request is still travelling when the process dies and reaches the
//! exchange only after the restart's listing would be missed by it (and then treated as a
//! foreign order by a later reconciliation if it rests) — the same window the previous
//! design had between its commit and the exchange's answer.
//!
//! ## Why nothing is sent twice
//! A create is only ever sent under a number handed out from a reserved block, and numbers
//! are never handed out twice (above). A re-send happens only for an order the ledger holds —
//! journaled, or recovered from the exchange — under the same client order id, after
//! reconciliation found no order carrying it (or the gateway's lookup did, after an ambiguous
//! attempt or a 409; see `gateway::adopt`). Numbers reserved and never sent (the rest of a
//! block when the process died, or after a supervised restart) are burned: they are never
//! sent, so nothing needs to be known about them.
//!
//! ## The window between a send and its journal rows
//! An intent's rows are queued to the writer **without waking it**
//! ([`super::writer::JournalWriter::write_deferred`]): a thread wake-up on the order's path
//! cost the engine its tail on two cores. The writer takes them when something next wakes it —
//! the placement's answer (its `Acked`/`Failed` change is queued with a wake), any other
//! journal write, a call (a block reservation, a flush) — or, at the latest, when the order
//! manager's timer fires `journal_wake_ms` (default 5 ms, at most 1 s) after the rows were
//! queued; a writer already awake takes them without a wake. **The bound:** an intent's rows
//! are handed to a commit at most `journal_wake_ms` after the order was handed to the gateway,
//! plus whatever the writer is still committing then, plus the commit itself (the disk) — one
//! timer interval more than before, never unbounded while the arbiter runs. A crash inside
//! the window is the crash below: the order is on the exchange, not in the file.
//!
//! While an order's rows wait in the writer's queue (normally a few milliseconds; as long as
//! the disk stalls), the order manager's ledger knows the order — risk, cancels, fills and
//! answers all work on it — and only the file lags. A crash in that window loses the rows,
//! not the order: the next start recovers it from the exchange, with its number, in whatever
//! state it reached (filled, cancelled or resting). What is lost is only local detail the
//! exchange does not keep: the book epoch the intent was priced on, whether a cancel had been
//! requested before the answer came, and the order's event history before the crash. A batch
//! the writer cannot commit is reported as a `JournalFault`: it is counted, logged and sets
//! the kill switch (no new orders), as a failed commit did before.
//!
//! The queue is bounded for placements: when `journal_queue_max` batches (default 8,192) wait
//! for the writer (a stalled disk), a new intent is refused (`journal_backlog`, counted by
//! reason, logged when it starts and ends) **before** it takes a number or is sent. Rows of
//! orders already sent — their answers, fills, cancels — are always queued, never dropped:
//! past the bound the queue grows only by the changes of orders already out, which the
//! exchange's own limits bound. (A block reservation, a synchronous call, waits behind a
//! stalled disk and blocks the arbiter meanwhile, as before.)
//!
//! Tests: `tests/orders_crash.rs` (SIGKILL at random points, ≥ 20 per run; no duplicate, no
//! unknown order, positions equal), `tests/orders_window.rs` (the writer held so the order is
//! on the exchange and not in the journal; SIGKILL; the restart recovers it with its number
//! and the next intent gets a higher one), `tests/orders_fail_closed.rs` (a held writer's
//! backlog refuses placements, and every row is committed on release), and the unit tests
//! of `id_blocks`, `reconcile`, `journal_queue` and the writer.
