//! Client commands (kalshi-api.md §6.1–6.2): `subscribe`, `unsubscribe`,
//! `update_subscription` and `list_subscriptions`, answered on the [`Handler`].
//!
//! [`Command::from_json`] already refuses malformed frames (1), missing params (2), channels
//! (3), sids (4), unknown commands (5), bad parameters (11), several sids (12), unknown actions
//! (13), missing tickers (14), a missing action (15) and the shard rules (19–22). Here:
//!
//! - unknown channel → 8; `orderbook_delta` without market tickers (or with `market_id`s) →
//!   14; `market_id(s)` on a channel other than `ticker` → 11; an unknown market → 16 (with
//!   `market_ticker`/`market_id` set). A refused `subscribe` subscribes to nothing.
//! - `unsubscribe`: one `unsubscribed` per known sid (with its `seq`: see
//!   `Subscription::ack_seq` for the two readings), error 7 per unknown one.
//! - `update_subscription`: unknown sid → 7; `get_snapshot` on a channel other than
//!   `orderbook_delta`, or adding/removing markets of a subscription without a market list
//!   (every market, or `market_lifecycle_v2`) → 13; `get_snapshot` of a market the
//!   subscription does not cover → 11. The reply is `ok` with the sid, its `seq` and the
//!   full ticker list (empty with `skip_ticker_ack`), then any snapshots. A delta of the sid
//!   held back by the reorder fault is sent before the `ok`, so the `ok`'s `seq` follows it.
//!
//! `order_group_updates`, `communications` and `multivariate_market_lifecycle` are accepted
//! and stay silent: the simulator has no order groups, RFQs or combo markets. Code 6 (already
//! subscribed) is retired, so subscribing twice gives two sids — unless `ws_merge_subscribes`
//! is on, when a second `orderbook_delta` subscribe joins the first (`merge.rs`).

use std::collections::HashMap;

use kalshi::{
    Ticker,
    rest::OrderbookFp,
    ws::{
        Channel, Command, CommandKind, ErrorResponse, Incoming, MarketFilter, OkBody,
        SubscribeParams, Subscribed, SubscriptionInfo, Unsubscribed, UpdateAction,
        UpdateSubscriptionParams, WsErrorCode as Code,
    },
};

use super::{frames, handler::Handler, merge::Merge};
use crate::{engine::TickerSnapshot, server::convert};

/// A refused command: the code, and the market concerned when there is one.
#[derive(Debug)]
struct Refusal {
    code: Code,
    market_ticker: Option<String>,
    market_id: Option<String>,
}

impl Refusal {
    fn new(code: Code) -> Refusal {
        Refusal {
            code,
            market_ticker: None,
            market_id: None,
        }
    }

    fn market(ticker: &str) -> Refusal {
        Refusal {
            market_ticker: Some(ticker.to_owned()),
            ..Refusal::new(Code::MARKET_NOT_FOUND)
        }
    }

    fn text(self, id: Option<u64>) -> String {
        let mut err = ErrorResponse::new(id, self.code);
        err.market_ticker = self.market_ticker;
        err.market_id = self.market_id;
        frames::text(&Incoming::Error(err))
    }
}

/// What one read of the core returned for a command.
#[derive(Debug, Default)]
struct MarketRead {
    /// A requested market that does not exist.
    missing: Option<Ticker>,
    /// Books of the requested markets, when asked.
    books: Vec<(Ticker, OrderbookFp)>,
    /// Ticker states, when asked (requested markets, or all with no list).
    states: Vec<TickerSnapshot>,
}

/// Channels the simulator knows (it serves data on all but the last three).
fn known(channel: &Channel) -> bool {
    !matches!(channel, Channel::Other(_))
}

impl Handler {
    /// Answers one text frame from the client.
    pub fn on_text(&mut self, text: &str, out: &mut Vec<String>) {
        let cmd = match Command::from_json(text) {
            Ok(cmd) => cmd,
            Err(e) => return out.push(frames::text(&Incoming::Error(e.to_response()))),
        };
        let id = (cmd.id != 0).then_some(cmd.id);
        let done = match cmd.kind {
            CommandKind::Subscribe(p) => self.subscribe(id, p, out),
            CommandKind::Unsubscribe(p) => {
                self.unsubscribe(id, &p.sids, out);
                Ok(())
            }
            CommandKind::UpdateSubscription(p) => self.update(id, p, out),
            CommandKind::ListSubscriptions => {
                out.push(frames::ok(
                    id,
                    None,
                    None,
                    OkBody::Subscriptions(self.subs.infos()),
                ));
                Ok(())
            }
        };
        if let Err(refusal) = done {
            out.push(refusal.text(id));
        }
    }

    fn subscribe(
        &mut self,
        id: Option<u64>,
        p: SubscribeParams,
        out: &mut Vec<String>,
    ) -> Result<(), Refusal> {
        let book = p.channels.contains(&Channel::OrderbookDelta);
        let markets = self.filter(&p, book)?;
        let states = p.send_initial_snapshot == Some(true) && p.channels.contains(&Channel::Ticker);
        let (read, stamp) = self.read_markets(markets.as_deref(), book, states);
        if let Some(t) = read.missing {
            return Err(Refusal::market(&t));
        }
        let skip_ack = p.skip_ticker_ack == Some(true);
        for channel in p.channels {
            if channel == Channel::OrderbookDelta
                && let Some(sid) = self.merge_target()
            {
                let req = Merge {
                    id,
                    markets: markets.as_deref().unwrap_or_default(),
                    books: read.books.clone(),
                    stamp,
                    skip_ack,
                };
                self.merge(sid, req, out);
                continue;
            }
            // The lifecycle channel serves every market whatever filter is sent.
            let filter = match channel {
                Channel::MarketLifecycleV2 | Channel::MultivariateMarketLifecycle => None,
                _ => markets.as_deref(),
            };
            let sid = self.subs.add(channel.clone(), filter, stamp, skip_ack);
            out.push(frames::text(&Incoming::Subscribed(Subscribed {
                id,
                subscription: SubscriptionInfo {
                    channel: channel.clone(),
                    sid,
                },
            })));
            if channel == Channel::OrderbookDelta {
                self.send_snapshots(sid, read.books.clone(), out);
            } else if channel == Channel::Ticker && states {
                for t in &read.states {
                    let market_id = self.market_id(&t.ticker);
                    out.push(frames::text(&frames::ticker(sid, t, &market_id)));
                }
            }
        }
        Ok(())
    }

    /// The markets a `subscribe` names (`None`: every market), after the channel and filter
    /// rules; `book` when it includes `orderbook_delta`.
    fn filter(&self, p: &SubscribeParams, book: bool) -> Result<Option<Vec<Ticker>>, Refusal> {
        if !p.channels.iter().all(known) {
            return Err(Refusal::new(Code::UNKNOWN_CHANNEL));
        }
        let markets: Option<Vec<Ticker>> = match &p.markets {
            MarketFilter::All => None,
            MarketFilter::Ticker(t) => Some(vec![t.clone()]),
            MarketFilter::Tickers(ts) if ts.is_empty() => None,
            MarketFilter::Tickers(ts) => Some(dedup(ts)),
            MarketFilter::MarketId(_) | MarketFilter::MarketIds(_) if book => {
                return Err(Refusal::new(Code::MARKET_TICKER_REQUIRED));
            }
            MarketFilter::MarketId(_) | MarketFilter::MarketIds(_)
                if p.channels.iter().any(|c| *c != Channel::Ticker) =>
            {
                return Err(Refusal::new(Code::INVALID_PARAMETER));
            }
            MarketFilter::MarketId(one) => Some(self.resolve_ids(std::slice::from_ref(one))?),
            MarketFilter::MarketIds(ids) => Some(self.resolve_ids(ids)?),
        };
        if book && markets.is_none() {
            return Err(Refusal::new(Code::MARKET_TICKER_REQUIRED));
        }
        Ok(markets)
    }

    fn unsubscribe(&mut self, id: Option<u64>, sids: &[u64], out: &mut Vec<String>) {
        let takes = self.readings().ws_acks_in_seq;
        for &sid in sids {
            match self.subs.remove(sid) {
                Some(mut sub) => {
                    self.faults.release(Some(sid), out);
                    let seq = sub.ack_seq(takes);
                    out.push(frames::text(&Incoming::Unsubscribed(Unsubscribed {
                        id,
                        sid,
                        seq,
                    })));
                }
                None => out.push(Refusal::new(Code::UNKNOWN_SID).text(id)),
            }
        }
    }

    fn update(
        &mut self,
        id: Option<u64>,
        p: UpdateSubscriptionParams,
        out: &mut Vec<String>,
    ) -> Result<(), Refusal> {
        let sub = self
            .subs
            .get(p.sid)
            .ok_or_else(|| Refusal::new(Code::UNKNOWN_SID))?;
        let book = sub.channel == Channel::OrderbookDelta;
        let supported = match p.action {
            UpdateAction::GetSnapshot => book,
            UpdateAction::AddMarkets | UpdateAction::DeleteMarkets => sub.tickers().is_some(),
        };
        if !supported {
            return Err(Refusal::new(Code::UNSUPPORTED_ACTION));
        }
        let tickers = dedup(&p.market_tickers);
        // The markets to (re)snapshot and move the floor of.
        let wanted: Vec<Ticker> = match p.action {
            UpdateAction::AddMarkets => tickers.iter().filter(|t| !sub.names(t)).cloned().collect(),
            UpdateAction::GetSnapshot => tickers.clone(),
            UpdateAction::DeleteMarkets => Vec::new(),
        };
        let (mut read, stamp) =
            self.read_markets(Some(&tickers), book && !wanted.is_empty(), false);
        // Existence first (16), then coverage for a snapshot (11).
        if let Some(t) = read.missing {
            return Err(Refusal::market(&t));
        }
        if p.action == UpdateAction::GetSnapshot && !tickers.iter().all(|t| sub.names(t)) {
            return Err(Refusal::new(Code::INVALID_PARAMETER));
        }
        read.books.retain(|(t, _)| wanted.contains(t));
        let takes = self.readings().ws_acks_in_seq;
        // A held delta of the sid goes out before the `ok`, whose `seq` counts it.
        self.faults.release(Some(p.sid), out);
        // The sid was found above and nothing removed it since.
        if let Some(sub) = self.subs.get_mut(p.sid) {
            match p.action {
                UpdateAction::AddMarkets => {
                    sub.add_markets(&wanted, stamp);
                }
                UpdateAction::DeleteMarkets => sub.delete_markets(&tickers),
                UpdateAction::GetSnapshot => wanted.iter().for_each(|t| sub.refresh(t, stamp)),
            }
            let body = match sub.tickers() {
                _ if sub.skip_ticker_ack => OkBody::Empty,
                list => OkBody::MarketTickers(list.unwrap_or_default()),
            };
            let seq = sub.ack_seq(takes);
            out.push(frames::ok(id, Some(p.sid), seq, body));
        }
        self.send_snapshots(p.sid, read.books, out);
        Ok(())
    }

    /// Sends `orderbook_snapshot`s on `sid`, each with the next `seq`, after releasing a
    /// held delta of that sid in order.
    pub(super) fn send_snapshots(
        &mut self,
        sid: u64,
        books: Vec<(Ticker, OrderbookFp)>,
        out: &mut Vec<String>,
    ) {
        self.faults.release(Some(sid), out);
        for (ticker, book) in books {
            let seq = self.subs.next_seq(sid);
            let market_id = self.market_id(&ticker);
            out.push(frames::text(&frames::snapshot(
                sid, seq, &ticker, &market_id, book,
            )));
        }
    }

    /// Reads, under one core lock, whether `tickers` exist, their books (`books`) and ticker
    /// states (`states`; every market when `tickers` is `None`), with the stamp of the last
    /// notice the read contains.
    fn read_markets(
        &self,
        tickers: Option<&[Ticker]>,
        books: bool,
        states: bool,
    ) -> (MarketRead, u64) {
        let now = self.shared.clock.now();
        self.shared.read_core(|core| {
            let x = &core.exchange;
            let mut read = MarketRead::default();
            let Some(tickers) = tickers else {
                if states {
                    read.states = x.markets().map(|m| m.ticker_snapshot(now)).collect();
                }
                return read;
            };
            for t in tickers {
                let Some(m) = x.market(t) else {
                    read.missing = Some(t.clone());
                    return read;
                };
                if books {
                    read.books.push((t.clone(), convert::orderbook(&m.book, 0)));
                }
                if states {
                    read.states.push(m.ticker_snapshot(now));
                }
            }
            read
        })
    }

    /// The tickers of `market_id`s (ticker channel); an unknown id is error 16.
    fn resolve_ids(&self, ids: &[String]) -> Result<Vec<Ticker>, Refusal> {
        let (by_id, _) = self.shared.read_core(|core| {
            core.exchange
                .markets()
                .map(|m| (frames::market_id(&m.info.ticker), m.info.ticker.clone()))
                .collect::<HashMap<String, Ticker>>()
        });
        ids.iter()
            .map(|id| {
                by_id.get(id).cloned().ok_or_else(|| Refusal {
                    market_id: Some(id.clone()),
                    ..Refusal::new(Code::MARKET_NOT_FOUND)
                })
            })
            .collect()
    }
}

/// The tickers without repeats, in the order given.
fn dedup(tickers: &[Ticker]) -> Vec<Ticker> {
    let mut seen = std::collections::HashSet::new();
    tickers
        .iter()
        .filter(|t| seen.insert(t.as_str()))
        .cloned()
        .collect()
}
