//! [`Tally`]: what one WebSocket session showed the doctor, and the verdicts of the
//! `orderbook`, `heartbeat` and `decode` checks drawn from it. Pure: `ws.rs` feeds it the
//! frames and the times, this file decides. Frames decode with the engine's decoder
//! ([`kalshi::ws::decode`]) and `seq` is checked by the feed's own [`SeqTracker`], so the
//! doctor sees the stream as the engine would.

use std::{collections::BTreeMap, time::Duration};

use kalshi::ws::{Channel, Incoming, decode};
use tradewind_actors::feed::seq::{SeqCheck, SeqTracker};

use super::report::Verdict;

/// Command id of the `orderbook_delta` subscription.
pub const BOOK_CMD: u64 = 1;
/// Command id of the private channels' subscription.
pub const PRIVATE_CMD: u64 = 2;
/// The channels the feed subscribes besides order books.
pub const PRIVATE: [Channel; 3] = [
    Channel::Fill,
    Channel::UserOrders,
    Channel::MarketLifecycleV2,
];
/// Deltas after which the order book has shown enough.
pub const MIN_DELTAS: u64 = 3;
/// The payload of Kalshi's pings.
pub const PING_PAYLOAD: &[u8] = b"heartbeat";

/// The first ping from the server.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Ping {
    /// Time since the session began.
    at: Duration,
    /// Its payload.
    payload: Vec<u8>,
    /// The pong: `None` not yet, `Some(Err)` it could not be sent.
    pong: Option<Result<(), String>>,
}

/// What a session showed.
#[derive(Debug)]
pub struct Tally {
    market: Result<String, String>,
    seq: SeqTracker,
    book_sid: Option<u64>,
    book_refused: Option<String>,
    private_ok: Vec<Channel>,
    private_refused: Option<String>,
    snapshot: Option<(u64, usize)>,
    deltas: u64,
    last_seq: u64,
    anomalies: Vec<String>,
    kinds: BTreeMap<String, u64>,
    unknown: BTreeMap<String, u64>,
    errors: u64,
    first_error: Option<String>,
    ping: Option<Ping>,
    own_pong: Option<Duration>,
    ended: Option<String>,
}

impl Tally {
    /// A session subscribing to `market` (or with none to subscribe to, and why).
    pub fn new(market: Result<String, String>) -> Tally {
        Tally {
            market,
            seq: SeqTracker::default(),
            book_sid: None,
            book_refused: None,
            private_ok: Vec::new(),
            private_refused: None,
            snapshot: None,
            deltas: 0,
            last_seq: 0,
            anomalies: Vec::new(),
            kinds: BTreeMap::new(),
            unknown: BTreeMap::new(),
            errors: 0,
            first_error: None,
            ping: None,
            own_pong: None,
            ended: None,
        }
    }

    /// A text frame.
    pub fn on_text(&mut self, text: &str) {
        let frame = match decode(text) {
            Ok(f) => f,
            Err(e) => return self.undecodable(e.to_string()),
        };
        *self.kinds.entry(frame.kind().to_owned()).or_default() += 1;
        match frame {
            Incoming::Subscribed(s) => {
                let (channel, sid) = (s.subscription.channel, s.subscription.sid);
                if s.id == Some(BOOK_CMD) && channel == Channel::OrderbookDelta {
                    self.book_sid = Some(sid);
                    self.seq.open(sid, 0);
                } else if PRIVATE.contains(&channel) && !self.private_ok.contains(&channel) {
                    self.private_ok.push(channel);
                }
            }
            Incoming::Error(e) => {
                let why = format!("error {}: {}", e.code, e.message);
                match e.id {
                    Some(PRIVATE_CMD) => self.private_refused = Some(why),
                    _ => self.book_refused = Some(why),
                }
            }
            Incoming::OrderbookSnapshot(f) => {
                let levels = f.msg.yes_dollars_fp.len() + f.msg.no_dollars_fp.len();
                self.book_frame(f.sid, f.seq, Some(levels));
            }
            Incoming::OrderbookDelta(f) => self.book_frame(f.sid, f.seq, None),
            Incoming::Unknown(u) => *self.unknown.entry(u.kind.into_owned()).or_default() += 1,
            _ => {}
        }
    }

    fn book_frame(&mut self, sid: u64, seq: u64, levels: Option<usize>) {
        if self.book_sid != Some(sid) {
            self.anomalies.push(format!(
                "order-book frame on sid {sid}, not the subscription's"
            ));
            return;
        }
        match self.seq.check(sid, seq) {
            SeqCheck::InOrder => {}
            SeqCheck::Gap { expected } => {
                self.anomalies
                    .push(format!("seq gap: {seq} came where {expected} was due"));
            }
            SeqCheck::Duplicate => self.anomalies.push(format!("seq {seq} came twice")),
            SeqCheck::OutOfOrder => self.anomalies.push(format!("seq {seq} out of order")),
            SeqCheck::UnknownSid => self.anomalies.push(format!("seq {seq} on a closed sid")),
        }
        self.last_seq = seq;
        match levels {
            Some(n) => self.snapshot = Some((seq, n)),
            None if self.snapshot.is_none() => {
                self.anomalies
                    .push(format!("delta seq {seq} before the snapshot"));
            }
            None => self.deltas += 1,
        }
    }

    /// A frame that could not be decoded (or a binary one).
    pub fn undecodable(&mut self, why: String) {
        self.errors += 1;
        self.first_error.get_or_insert(why);
    }

    /// A ping from the server, `at` after the session began.
    pub fn on_ping(&mut self, at: Duration, payload: &[u8]) {
        self.ping.get_or_insert(Ping {
            at,
            payload: payload.to_vec(),
            pong: None,
        });
    }

    /// The pong to the first ping was sent, or could not be.
    pub fn on_pong_sent(&mut self, sent: Result<(), String>) {
        if let Some(p) = self.ping.as_mut().filter(|p| p.pong.is_none()) {
            p.pong = Some(sent);
        }
    }

    /// The server answered our ping after `rtt`.
    pub fn on_own_pong(&mut self, rtt: Duration) {
        self.own_pong.get_or_insert(rtt);
    }

    /// The connection ended (or could not be used).
    pub fn on_end(&mut self, why: String) {
        self.ended.get_or_insert(why);
    }

    /// Whether there is nothing more to wait for.
    pub fn done(&self) -> bool {
        let book = self.market.is_err()
            || self.book_refused.is_some()
            || !self.anomalies.is_empty()
            || (self.snapshot.is_some() && self.deltas >= MIN_DELTAS);
        let private = self.private_refused.is_some() || self.private_ok.len() == PRIVATE.len();
        let ping = self.ping.as_ref().is_some_and(|p| p.pong.is_some());
        self.ended.is_some() || (book && private && ping)
    }

    /// `; the connection ended: …` when it did.
    fn ended_note(&self) -> String {
        self.ended
            .as_ref()
            .map(|e| format!("; the connection ended: {e}"))
            .unwrap_or_default()
    }

    /// The `orderbook` verdict after waiting `waited`.
    pub fn orderbook(&self, waited: Duration) -> Verdict {
        let market = match &self.market {
            Ok(m) => m,
            Err(why) => return Verdict::Fail(why.clone()),
        };
        let (end, waited) = (self.ended_note(), secs(waited));
        if let Some(why) = &self.book_refused {
            return Verdict::Fail(format!("{market}: subscribe refused: {why}"));
        }
        if let Some(why) = &self.private_refused {
            return Verdict::Fail(format!("fill, user_orders, market_lifecycle_v2: {why}"));
        }
        if !self.anomalies.is_empty() {
            return Verdict::Fail(format!("{market}: {}", self.anomalies.join("; ")));
        }
        let Some(sid) = self.book_sid else {
            return Verdict::Fail(format!("{market}: no `subscribed` in {waited}{end}"));
        };
        let Some((seq, levels)) = self.snapshot else {
            return Verdict::Fail(format!(
                "{market}: sid {sid} but no snapshot in {waited}{end}"
            ));
        };
        if self.private_ok.len() < PRIVATE.len() {
            return Verdict::Fail(format!(
                "{market} ok, but only {} of fill, user_orders, market_lifecycle_v2 subscribed \
                 in {waited}{end}",
                self.private_ok.len()
            ));
        }
        let deltas = match self.deltas {
            0 => format!("no delta in {waited} (a quiet market)"),
            n => format!("{n} deltas in seq ({}–{})", seq + 1, self.last_seq),
        };
        Verdict::Pass(format!(
            "{market}: snapshot seq {seq} ({levels} levels), {deltas}; fill, user_orders, \
             market_lifecycle_v2 subscribed"
        ))
    }

    /// The `heartbeat` verdict after waiting `waited`.
    pub fn heartbeat(&self, waited: Duration) -> Verdict {
        let Some(ping) = &self.ping else {
            return Verdict::Fail(format!(
                "no ping from the server in {} (Kalshi pings every 10 s){}",
                secs(waited),
                self.ended_note()
            ));
        };
        let payload = if ping.payload == PING_PAYLOAD {
            "\"heartbeat\"".to_owned()
        } else {
            format!("{:?}", String::from_utf8_lossy(&ping.payload))
        };
        let own = match self.own_pong {
            Some(rtt) => format!("our ping answered in {:.1} ms", rtt.as_secs_f64() * 1e3),
            None => "our ping not answered (Kalshi need not)".to_owned(),
        };
        match &ping.pong {
            Some(Ok(())) => Verdict::Pass(format!(
                "server ping {payload} after {} answered with a pong; {own}",
                secs(ping.at)
            )),
            Some(Err(e)) => Verdict::Fail(format!("the pong could not be sent: {e}")),
            None => Verdict::Fail(format!("server ping {payload} not answered")),
        }
    }

    /// The `decode` verdict.
    pub fn decode(&self) -> Verdict {
        let total = self.kinds.values().sum::<u64>() + self.errors;
        if total == 0 {
            return Verdict::Fail(format!("no frame arrived{}", self.ended_note()));
        }
        if let Some(first) = &self.first_error {
            return Verdict::Fail(format!(
                "{} of {total} frames did not decode; the first: {first}",
                self.errors
            ));
        }
        let mut kinds: Vec<(&String, &u64)> = self.kinds.iter().collect();
        kinds.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        let kinds: Vec<String> = kinds.iter().map(|(k, n)| format!("{k} ×{n}")).collect();
        let unknown = if self.unknown.is_empty() {
            String::new()
        } else {
            let names: Vec<&str> = self.unknown.keys().map(String::as_str).collect();
            format!(
                " (not modelled, skipped as the feed skips them: {})",
                names.join(", ")
            )
        };
        Verdict::Pass(format!(
            "{total} frames, 0 decode errors: {}{unknown}",
            kinds.join(", ")
        ))
    }
}

/// `1.0 s`.
fn secs(d: Duration) -> String {
    format!("{:.1} s", d.as_secs_f64())
}

#[cfg(test)]
mod tests {
    use super::*;

    const WAIT: Duration = Duration::from_secs(12);

    fn subscribed(id: u64, channel: &str, sid: u64) -> String {
        format!(r#"{{"type":"subscribed","id":{id},"msg":{{"channel":"{channel}","sid":{sid}}}}}"#)
    }

    fn snapshot(seq: u64) -> String {
        format!(
            r#"{{"type":"orderbook_snapshot","sid":1,"seq":{seq},"msg":{{"market_ticker":"T",
            "market_id":"u","yes_dollars_fp":[["0.4000","10.00"]],"no_dollars_fp":[["0.5000","3.00"]]}}}}"#
        )
    }

    fn delta(seq: u64) -> String {
        format!(
            r#"{{"type":"orderbook_delta","sid":1,"seq":{seq},"msg":{{"market_ticker":"T",
            "market_id":"u","price_dollars":"0.4000","delta_fp":"-1.00","side":"yes"}}}}"#
        )
    }

    /// A tally that has seen every subscription answered.
    fn subscribed_tally() -> Tally {
        let mut t = Tally::new(Ok("T".into()));
        t.on_text(&subscribed(BOOK_CMD, "orderbook_delta", 1));
        for (i, c) in ["fill", "user_orders", "market_lifecycle_v2"]
            .iter()
            .enumerate()
        {
            t.on_text(&subscribed(PRIVATE_CMD, c, 2 + i as u64));
        }
        t
    }

    #[test]
    fn a_healthy_session_passes_all_three_and_is_done() {
        let mut t = subscribed_tally();
        t.on_text(&snapshot(1));
        for seq in 2..=4 {
            assert!(!t.done());
            t.on_text(&delta(seq));
        }
        assert!(!t.done(), "no ping yet");
        t.on_ping(Duration::from_millis(1_000), b"heartbeat");
        t.on_pong_sent(Ok(()));
        t.on_own_pong(Duration::from_micros(400));
        assert!(t.done());
        assert_eq!(
            t.orderbook(WAIT),
            Verdict::Pass(
                "T: snapshot seq 1 (2 levels), 3 deltas in seq (2–4); fill, user_orders, \
                 market_lifecycle_v2 subscribed"
                    .into()
            )
        );
        let Verdict::Pass(hb) = t.heartbeat(WAIT) else {
            panic!()
        };
        assert!(hb.contains("\"heartbeat\" after 1.0 s answered") && hb.contains("0.4 ms"));
        assert_eq!(
            t.decode(),
            Verdict::Pass(
                "8 frames, 0 decode errors: subscribed ×4, orderbook_delta ×3, \
                 orderbook_snapshot ×1"
                    .into()
            )
        );
    }

    #[test]
    fn a_gap_a_duplicate_and_a_foreign_sid_fail_the_orderbook() {
        let mut t = subscribed_tally();
        t.on_text(&snapshot(1));
        t.on_text(&delta(3));
        let Verdict::Fail(why) = t.orderbook(WAIT) else {
            panic!()
        };
        assert!(why.contains("seq gap: 3 came where 2 was due"), "{why}");
        t.on_ping(Duration::from_millis(200), b"heartbeat");
        t.on_pong_sent(Ok(()));
        assert!(
            t.done(),
            "after a gap there is nothing more to learn about the book"
        );

        let mut t = subscribed_tally();
        t.on_text(&snapshot(1));
        t.on_text(&delta(2));
        t.on_text(&delta(2));
        t.on_text(&delta(4).replace("\"sid\":1", "\"sid\":9"));
        let Verdict::Fail(why) = t.orderbook(WAIT) else {
            panic!()
        };
        assert!(
            why.contains("seq 2 came twice") && why.contains("sid 9"),
            "{why}"
        );
    }

    #[test]
    fn refusals_silence_and_no_market_say_what_is_missing() {
        let mut t = Tally::new(Ok("T".into()));
        t.on_text(r#"{"type":"error","id":1,"msg":{"code":16,"msg":"Market not found"}}"#);
        let Verdict::Fail(why) = t.orderbook(WAIT) else {
            panic!()
        };
        assert!(
            why.contains("subscribe refused") && why.contains("Market not found"),
            "{why}"
        );

        let mut t = subscribed_tally();
        t.on_end("closed by the server".into());
        assert!(t.done());
        let Verdict::Fail(why) = t.orderbook(WAIT) else {
            panic!()
        };
        assert!(
            why.contains("no snapshot in 12.0 s; the connection ended"),
            "{why}"
        );
        assert!(matches!(t.heartbeat(WAIT), Verdict::Fail(w) if w.contains("no ping")));

        let t = Tally::new(Err("no open market to subscribe to".into()));
        assert_eq!(
            t.orderbook(WAIT),
            Verdict::Fail("no open market to subscribe to".into())
        );
        assert!(matches!(t.decode(), Verdict::Fail(w) if w.starts_with("no frame arrived")));
    }

    #[test]
    fn undecodable_frames_fail_decode_and_unknown_types_do_not() {
        let mut t = subscribed_tally();
        t.on_text(r#"{"type":"event_fee_update","sid":4,"msg":{}}"#);
        let Verdict::Pass(fig) = t.decode() else {
            panic!()
        };
        assert!(
            fig.contains("not modelled") && fig.contains("event_fee_update"),
            "{fig}"
        );
        t.on_text(r#"{"type":"orderbook_delta","sid":1,"seq":"two"}"#);
        let Verdict::Fail(why) = t.decode() else {
            panic!()
        };
        assert!(why.starts_with("1 of 6 frames did not decode"), "{why}");
    }
}
