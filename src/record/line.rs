//! One line of a recording, written and read: pure, no I/O.
//!
//! ```text
//! {"ns":1796212800123456789,"frame":{"type":"orderbook_delta","sid":1,"seq":7,"msg":{…}}}
//! {"ns":1796212800123456790,"frame_text":"not JSON, or with a line break, as a JSON string"}
//! {"ns":1796212800123456791,"market":{"ticker":"KXHIGHNY-26DEC02-B50.5",…}}
//! {"ns":1796212800123456792,"forecast":{"probabilities":{},"ensembles":{…},"model_run":null}}
//! ```
//!
//! `ns` is the receive time in wall-clock Unix nanoseconds. A frame that is valid JSON on one
//! line (every Kalshi frame) is embedded verbatim after `"frame":`, so its exact text is the
//! bytes between that key and the line's final `}`; any other text is a JSON string under
//! `"frame_text"` (bytes that are not UTF-8 replaced by U+FFFD). The keys come in this order
//! with no spaces, which lets the reader find the parts without parsing the frame (blocks carry
//! a checksum: the reader checks a line's frame, not its JSON).

use std::ops::Range;

use serde::de::IgnoredAny;

/// What a line holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A frame embedded verbatim (`"frame":`).
    Frame,
    /// A frame stored as a JSON string (`"frame_text":`).
    FrameText,
    /// A market (`"market":`).
    Market,
    /// A forecast the strategy took (`"forecast":`, the forecast file's JSON format).
    Forecast,
}

impl Kind {
    const ALL: [Kind; 4] = [Kind::Frame, Kind::FrameText, Kind::Market, Kind::Forecast];

    fn key(self) -> &'static str {
        match self {
            Kind::Frame => ",\"frame\":",
            Kind::FrameText => ",\"frame_text\":",
            Kind::Market => ",\"market\":",
            Kind::Forecast => ",\"forecast\":",
        }
    }
}

/// A line read: its receive time, what it holds, and where its payload is in the line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    /// Receive time, wall-clock Unix ns.
    pub recv_ns: u64,
    /// What it holds.
    pub kind: Kind,
    /// The payload's bytes within the line (a JSON value; a string for `FrameText`).
    pub payload: Range<usize>,
}

const PREFIX: &str = "{\"ns\":";

/// Appends the line (with its `\n`) for a frame received at `recv_ns`.
pub fn encode_frame(recv_ns: u64, text: &[u8], out: &mut Vec<u8>) {
    start(recv_ns, out);
    let one_line = !text.iter().any(|&b| b == b'\n' || b == b'\r');
    if one_line && serde_json::from_slice::<IgnoredAny>(text).is_ok() {
        out.extend_from_slice(Kind::Frame.key().as_bytes());
        out.extend_from_slice(text);
    } else {
        out.extend_from_slice(Kind::FrameText.key().as_bytes());
        let lossy = String::from_utf8_lossy(text);
        // Writing a string into a Vec cannot fail.
        let _ = serde_json::to_writer(&mut *out, &lossy);
    }
    out.extend_from_slice(b"}\n");
}

/// Appends the line (with its `\n`) for a market (as JSON) received at `recv_ns`.
pub fn encode_market(recv_ns: u64, json: &[u8], out: &mut Vec<u8>) {
    encode_json(Kind::Market, recv_ns, json, out);
}

/// Appends the line (with its `\n`) for a forecast (the file format's JSON, one line) taken at
/// `recv_ns`.
pub fn encode_forecast(recv_ns: u64, json: &[u8], out: &mut Vec<u8>) {
    encode_json(Kind::Forecast, recv_ns, json, out);
}

fn encode_json(kind: Kind, recv_ns: u64, json: &[u8], out: &mut Vec<u8>) {
    start(recv_ns, out);
    out.extend_from_slice(kind.key().as_bytes());
    out.extend_from_slice(json);
    out.extend_from_slice(b"}\n");
}

fn start(recv_ns: u64, out: &mut Vec<u8>) {
    out.extend_from_slice(PREFIX.as_bytes());
    out.extend_from_slice(recv_ns.to_string().as_bytes());
}

/// Reads a line (without its `\n`); the error says what is wrong with it.
pub fn parse(line: &str) -> Result<Parsed, &'static str> {
    let rest = line
        .strip_prefix(PREFIX)
        .ok_or("does not start with {\"ns\":")?;
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let recv_ns: u64 = rest[..digits].parse().map_err(|_| "bad ns")?;
    let rest = &rest[digits..];
    let kind = Kind::ALL
        .into_iter()
        .find(|k| rest.starts_with(k.key()))
        .ok_or("no frame, frame_text, market or forecast after ns")?;
    if !line.ends_with('}') {
        return Err("does not end with }");
    }
    let from = PREFIX.len() + digits + kind.key().len();
    let to = line.len() - 1;
    if from >= to {
        return Err("empty payload");
    }
    Ok(Parsed {
        recv_ns,
        kind,
        payload: from..to,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(out: &[u8]) -> &str {
        std::str::from_utf8(out)
            .unwrap()
            .strip_suffix('\n')
            .unwrap()
    }

    #[test]
    fn json_frames_are_kept_verbatim_and_read_back_exactly() {
        let text = br#"{"type":"ok", "id":1}"#;
        let mut out = Vec::new();
        encode_frame(42, text, &mut out);
        let l = line(&out);
        serde_json::from_str::<serde_json::Value>(l).expect("the line is JSON");
        let p = parse(l).unwrap();
        assert_eq!((p.recv_ns, p.kind), (42, Kind::Frame));
        assert_eq!(l[p.payload].as_bytes(), text);
    }

    #[test]
    fn other_text_becomes_a_json_string() {
        let table: [(&[u8], &str); 3] = [
            (b"not json", "not json"),
            (b"{\"a\":\n1}", "{\"a\":\n1}"),
            (b"bad \xff utf8", "bad \u{fffd} utf8"),
        ];
        for (text, want) in table {
            let mut out = Vec::new();
            encode_frame(7, text, &mut out);
            let l = line(&out);
            let p = parse(l).unwrap();
            assert_eq!(p.kind, Kind::FrameText, "{want:?}");
            let got: String = serde_json::from_str(&l[p.payload]).unwrap();
            assert_eq!(got, want);
        }
    }

    #[test]
    fn markets_round_trip() {
        let mut out = Vec::new();
        encode_market(u64::MAX, br#"{"ticker":"X"}"#, &mut out);
        let l = line(&out);
        let p = parse(l).unwrap();
        assert_eq!((p.recv_ns, p.kind), (u64::MAX, Kind::Market));
        assert_eq!(&l[p.payload], r#"{"ticker":"X"}"#);
    }

    #[test]
    fn forecasts_round_trip() {
        let mut out = Vec::new();
        encode_forecast(5, br#"{"probabilities":{}}"#, &mut out);
        let p = parse(line(&out)).unwrap();
        assert_eq!((p.recv_ns, p.kind), (5, Kind::Forecast));
    }

    #[test]
    fn damaged_lines_are_refused_with_a_reason() {
        for bad in [
            "",
            "{\"ns\":}",
            "{\"ns\":12,\"other\":1}",
            "{\"ns\":12,\"frame\":{\"a\":1",
            "{\"ns\":99999999999999999999,\"frame\":1}",
            "{\"ns\":1,\"frame\":}",
        ] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
    }
}
