//! A hand-written fast path for the hottest frame, `orderbook_delta`, in the layout Kalshi
//! (and the simulator) sends: `type` first, then `sid`, `seq`, `sending_ts_ms`, `msg` in any
//! order, `msg` holding only the documented keys, strings without escapes, integers without
//! fraction or exponent.
//!
//! It is exact by construction: it accepts a strict subset of JSON, reads each value with the
//! same functions the serde path uses ([`Price::parse`], [`Count::parse`],
//! [`OutcomeSide::from_wire`]), and returns `None` — so that [`super::decode`] falls back to
//! the general decoder — on anything else: another `type`, an unknown or repeated key, an
//! escape, `null`, a float, a leading zero, an overflow, a bad value, trailing text. A
//! property test below checks that whenever it answers, the general decoder agrees.

use std::borrow::Cow;

use super::{BookFrame, Incoming, OrderbookDelta};
use crate::{
    num::{Count, Price},
    types::OutcomeSide,
};

/// A cursor over the frame's bytes.
struct Scanner<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Scanner<'a> {
    fn byte(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    /// Skips JSON whitespace.
    fn ws(&mut self) {
        while matches!(self.byte(), Some(b' ' | b'\n' | b'\t' | b'\r')) {
            self.at += 1;
        }
    }

    /// Consumes `c` after optional whitespace.
    fn eat(&mut self, c: u8) -> Option<()> {
        self.ws();
        (self.byte()? == c).then(|| self.at += 1)
    }

    /// A string without escapes or control characters, borrowed. Looks at eight bytes at a
    /// time: the first flagged byte of a word is exact, so no byte loop is needed except in
    /// the last seven bytes of the frame.
    fn string(&mut self) -> Option<&'a str> {
        self.eat(b'"')?;
        let bytes = self.text.as_bytes();
        let start = self.at;
        let mut i = start;
        while let Some(word) = bytes.get(i..i + 8) {
            let mask = special_bytes(u64::from_le_bytes(word.try_into().ok()?));
            if mask != 0 {
                i += (mask.trailing_zeros() / 8) as usize;
                break;
            }
            i += 8;
        }
        while bytes.get(i).is_some_and(|&b| !is_special(b)) {
            i += 1;
        }
        if *bytes.get(i)? != b'"' {
            return None;
        }
        // Both ends sit next to an ASCII quote, so they are char boundaries.
        let s = self.text.get(start..i)?;
        self.at = i + 1;
        Some(s)
    }

    /// An object key and its `:`. Any key is read; the caller's match on known names
    /// declines the rest.
    fn key(&mut self) -> Option<&'a str> {
        let key = self.string()?;
        self.eat(b':')?;
        Some(key)
    }

    /// The digits of a JSON integer (no sign), refusing leading zeros, fractions, exponents
    /// and overflow.
    fn digits(&mut self) -> Option<u64> {
        let start = self.at;
        let mut v: u64 = 0;
        while let Some(c @ b'0'..=b'9') = self.byte() {
            v = v.checked_mul(10)?.checked_add(u64::from(c - b'0'))?;
            self.at += 1;
        }
        let len = self.at - start;
        let leading_zero = len > 1 && self.text.as_bytes()[start] == b'0';
        let fraction = matches!(self.byte(), Some(b'.' | b'e' | b'E'));
        (len > 0 && !leading_zero && !fraction).then_some(v)
    }

    fn uint(&mut self) -> Option<u64> {
        self.ws();
        self.digits()
    }

    fn int(&mut self) -> Option<i64> {
        self.ws();
        if self.byte() == Some(b'-') {
            self.at += 1;
            let v = i64::try_from(self.digits()?).ok()?;
            (v != 0).then_some(-v)
        } else {
            i64::try_from(self.digits()?).ok()
        }
    }

    /// True at the end of the text, after whitespace.
    fn at_end(&mut self) -> bool {
        self.ws();
        self.at == self.text.len()
    }
}

/// A byte that ends the plain part of a JSON string: a quote, a backslash or a control byte.
fn is_special(b: u8) -> bool {
    b == b'"' || b == b'\\' || b < 0x20
}

/// Flags (high bit of the byte) the bytes of `word` (little-endian) that may be special. The
/// lowest flag is always exact: the word-at-a-time zero-byte tests can only err above a true
/// hit, where a borrow propagates.
fn special_bytes(word: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let zero_byte = |x: u64| x.wrapping_sub(ONES) & !x & HIGHS;
    let quote = zero_byte(word ^ (ONES * u64::from(b'"')));
    let backslash = zero_byte(word ^ (ONES * u64::from(b'\\')));
    let control = word.wrapping_sub(ONES * 0x20) & !word & HIGHS;
    quote | backslash | control
}

/// Decodes `frame` when it is an `orderbook_delta` in the common layout; `None` otherwise.
pub(super) fn delta(frame: &str) -> Option<Incoming<'_>> {
    let mut p = Scanner { text: frame, at: 0 };
    p.eat(b'{')?;
    if p.key()? != "type" || p.string()? != "orderbook_delta" {
        return None;
    }
    let (mut sid, mut seq, mut sending_ts_ms, mut msg) = (None, None, None, None);
    while p.eat(b',').is_some() {
        match p.key()? {
            "sid" if sid.is_none() => sid = Some(p.uint()?),
            "seq" if seq.is_none() => seq = Some(p.uint()?),
            "sending_ts_ms" if sending_ts_ms.is_none() => sending_ts_ms = Some(p.int()?),
            "msg" if msg.is_none() => msg = Some(delta_msg(&mut p)?),
            _ => return None,
        }
    }
    p.eat(b'}')?;
    if !p.at_end() {
        return None;
    }
    Some(Incoming::OrderbookDelta(BookFrame {
        sid: sid?,
        seq: seq?,
        sending_ts_ms,
        msg: msg?,
    }))
}

/// The `msg` object of a delta.
fn delta_msg<'a>(p: &mut Scanner<'a>) -> Option<OrderbookDelta<'a>> {
    p.eat(b'{')?;
    let (mut ticker, mut id, mut price, mut delta, mut side) = (None, None, None, None, None);
    let (mut client_order_id, mut subaccount, mut ts, mut ts_ms) = (None, None, None, None);
    loop {
        match p.key()? {
            "market_ticker" if ticker.is_none() => ticker = Some(p.string()?),
            "market_id" if id.is_none() => id = Some(p.string()?),
            "price_dollars" if price.is_none() => price = Some(Price::parse(p.string()?).ok()?),
            "delta_fp" if delta.is_none() => delta = Some(Count::parse(p.string()?).ok()?),
            "side" if side.is_none() => side = Some(OutcomeSide::from_wire(p.string()?)?),
            "client_order_id" if client_order_id.is_none() => client_order_id = Some(p.string()?),
            "subaccount" if subaccount.is_none() => {
                subaccount = Some(u32::try_from(p.uint()?).ok()?);
            }
            "ts" if ts.is_none() => ts = Some(p.string()?),
            "ts_ms" if ts_ms.is_none() => ts_ms = Some(p.int()?),
            _ => return None,
        }
        if p.eat(b',').is_none() {
            break;
        }
    }
    p.eat(b'}')?;
    Some(OrderbookDelta {
        market_ticker: Cow::Borrowed(ticker?),
        market_id: Cow::Borrowed(id?),
        price_dollars: price?,
        delta_fp: delta?,
        side: side?,
        client_order_id: client_order_id.map(Cow::Borrowed),
        subaccount,
        ts: ts.map(Cow::Borrowed),
        ts_ms,
    })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    const DELTA: &str = r#"{"type":"orderbook_delta","sid":2,"seq":3,"msg":{"market_ticker":"FED-23DEC-T3.00","market_id":"9b0f6b43-...","price_dollars":"0.960","delta_fp":"-54.00","side":"yes","ts":"2022-11-22T20:44:01Z","ts_ms":1669149841000}}"#;

    /// Asserts the fast path is right whenever it answers.
    fn agrees(frame: &str) -> Result<bool, TestCaseError> {
        let Some(fast) = delta(frame) else {
            return Ok(false);
        };
        let slow = super::super::decode::decode_general(frame);
        prop_assert_eq!(Some(fast), slow.ok(), "frame {}", frame);
        Ok(true)
    }

    #[test]
    fn takes_the_documented_delta_and_declines_the_rest() {
        assert!(agrees(DELTA).unwrap());
        let spaced = DELTA.replace(':', " : ").replace(',', "\n,\t");
        assert!(agrees(&spaced).unwrap());
        for declined in [
            DELTA.replace("\"sid\":2,", ""),
            DELTA.replace("FED-23DEC", "FED\\u002d23DEC"),
            DELTA.replace("\"seq\":3", "\"seq\":03"),
            DELTA.replace("\"seq\":3", "\"seq\":3.0"),
            DELTA.replace("\"seq\":3", "\"seq\":null"),
            DELTA.replace("1669149841000", "-0"),
            DELTA.replace("\"side\":\"yes\"", "\"side\":\"maybe\""),
            DELTA.replace("\"side\"", "\"extra\":1,\"side\""),
            DELTA.replace("0.960", "1.5"),
            format!("{DELTA}x"),
            DELTA.replacen("{\"type\":\"orderbook_delta\",", "{", 1),
        ] {
            assert!(delta(&declined).is_none(), "{declined}");
        }
    }

    proptest! {
        /// The first flagged byte of a word is the first special byte, exactly.
        #[test]
        fn word_test_finds_the_first_special_byte(word in any::<[u8; 8]>()) {
            let first = word.iter().position(|&b| is_special(b));
            let mask = special_bytes(u64::from_le_bytes(word));
            let found = (mask != 0).then(|| (mask.trailing_zeros() / 8) as usize);
            prop_assert_eq!(found, first, "{:?}", word);
        }

        /// Random edits of a delta frame: wherever the fast path answers, it matches serde.
        #[test]
        fn agrees_with_the_general_decoder(
            edits in prop::collection::vec((any::<prop::sample::Index>(), 0u8..4, prop::sample::select(
                b" \t\n\r\"\\,:{}[]-+.0123456789eEnulyesoa".to_vec())), 1..4),
        ) {
            let mut bytes = DELTA.as_bytes().to_vec();
            for (at, op, b) in edits {
                let i = at.index(bytes.len());
                match op {
                    0 => { bytes.remove(i); }
                    1 => bytes.insert(i, b),
                    _ => bytes[i] = b,
                }
            }
            if let Ok(frame) = String::from_utf8(bytes) {
                agrees(&frame)?;
            }
        }
    }
}
