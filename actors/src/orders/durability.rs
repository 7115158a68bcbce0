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
//!    are queued to the journal writer thread ([`super::writer::JournalWriter`]), which
//!    commits whatever is queued in one transaction, in queue order. Later changes of the
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
//! While an order's rows wait in the writer's queue (normally well under a millisecond; as
//! long as the disk stalls), the order manager's ledger knows the order — risk, cancels, fills
//! and answers all work on it — and only the file lags. A crash in that window loses the
//! rows, not the order: the next start recovers it from the exchange, with its number, in
//! whatever state it reached (filled, cancelled or resting). What is lost is only local
//! detail the exchange does not keep: the book epoch the intent was priced on, whether a
//! cancel had been requested before the answer came, and the order's event history before
//! the crash. A batch the writer cannot commit is reported as a `JournalFault`: it is
//! counted, logged and sets the kill switch (no new orders), as a failed commit did before.
//!
//! Tests: `tests/orders_crash.rs` (SIGKILL at random points, ≥ 20 per run; no duplicate, no
//! unknown order, positions equal), `tests/orders_window.rs` (the writer held so the order is
//! on the exchange and not in the journal; SIGKILL; the restart recovers it with its number
//! and the next intent gets a higher one), and the unit tests of `id_blocks` and `reconcile`.
