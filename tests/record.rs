//! `tradewind record` as a user runs it: the real binary on the built-in config (embedded
//! simulator). A timed recording exits 0 with a file and an index whose frames, read back,
//! are in receive order and as many as the feed received, with the metadata of every market
//! streamed; a recording killed with SIGKILL keeps what it had flushed.

mod common;

use std::{collections::BTreeSet, ffi::OsStr, path::Path, path::PathBuf};

use common::run::{row, sample, start_with};
use tradewind::record::{Event, Reader, index, rebuild_index};

fn out_dir(name: &str) -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("record-{name}"));
    let _ = std::fs::remove_dir_all(&d);
    d
}

fn record(out: &Path, extra: &[&str]) -> common::run::Run {
    let mut args: Vec<&OsStr> = vec!["record".as_ref(), "--out".as_ref(), out.as_os_str()];
    args.extend(extra.iter().map(OsStr::new));
    args.extend([OsStr::new("--log-format"), OsStr::new("json")]);
    start_with(&args)
}

/// What a recording directory reads back as.
#[derive(Debug, Default)]
struct ReadBack {
    frames: Vec<(u64, serde_json::Value)>,
    markets: BTreeSet<String>,
    market_lines: u64,
    /// Forecasts the strategy actor took (it loads them with the strategy off too).
    forecasts: u64,
    in_order: bool,
    damage: usize,
}

fn read_back(dir: &Path) -> ReadBack {
    let mut reader = Reader::open(dir).expect("the directory lists");
    let mut back = ReadBack {
        in_order: true,
        ..ReadBack::default()
    };
    let mut last = 0;
    for r in reader.by_ref() {
        back.in_order &= r.recv_ns >= last;
        last = r.recv_ns;
        match r.event {
            Event::Frame(text) => {
                let v = serde_json::from_str(&text).expect("a simulator frame is JSON");
                back.frames.push((r.recv_ns, v));
            }
            Event::Market(json) => {
                let v: serde_json::Value = serde_json::from_str(&json).expect("a market");
                back.markets
                    .insert(v["ticker"].as_str().unwrap().to_owned());
                back.market_lines += 1;
            }
            Event::Forecast(json) => {
                let v: serde_json::Value = serde_json::from_str(&json).expect("a forecast");
                assert!(
                    v.get("ensembles").is_some(),
                    "the forecast file's format: {v}"
                );
                back.forecasts += 1;
            }
        }
    }
    back.damage = reader.damage().len();
    back
}

#[test]
fn a_timed_recording_holds_every_frame_the_feed_received_in_order_with_its_markets() {
    let out = out_dir("timed");
    let run = record(&out, &["--duration", "5s"]);
    let metrics = run.metrics_until("the recorder's metrics", |t| {
        t.contains("tradewind_recorder_dropped ")
    });
    assert!(metrics.contains("tradewind_feed_text_frames "), "{metrics}");
    let (code, summary) = run.exit_by_itself();
    assert_eq!(code, Some(0), "{summary}");

    let back = read_back(&out);
    let recorded = row(&summary, "frames recorded");
    assert!(recorded > 0, "{summary}");
    assert_eq!(back.frames.len() as u64, recorded, "{summary}");
    assert_eq!(
        row(&summary, "feed frames while recording"),
        recorded,
        "{summary}"
    );
    assert_eq!(row(&summary, "recorder dropped"), 0, "{summary}");
    assert!(back.in_order, "receive times never go back");
    assert_eq!(back.damage, 0);

    assert_eq!(back.market_lines, row(&summary, "markets recorded"));
    let streamed: BTreeSet<String> = back
        .frames
        .iter()
        .filter(|(_, f)| f["type"] == "orderbook_snapshot")
        .map(|(_, f)| f["msg"]["market_ticker"].as_str().unwrap().to_owned())
        .collect();
    assert!(!streamed.is_empty(), "books were streamed");
    let missing: Vec<_> = streamed.difference(&back.markets).collect();
    assert!(
        missing.is_empty(),
        "markets streamed without metadata: {missing:?}"
    );

    let idx = index::load(&out).expect("index.json");
    assert!(!idx.files.is_empty());
    let frames: u64 = idx.files.iter().map(|e| e.frames).sum();
    assert_eq!(frames, recorded);
    let forecasts: u64 = idx.files.iter().map(|e| e.forecasts).sum();
    assert_eq!(
        forecasts, back.forecasts,
        "the index counts the forecasts read back"
    );
    let (first, last) = (back.frames[0].0, back.frames.last().unwrap().0);
    assert_eq!(
        (
            idx.files[0].first_ns <= first,
            idx.files.last().unwrap().last_ns
        ),
        (true, last)
    );
}

#[test]
fn a_recording_killed_with_sigkill_keeps_what_it_had_flushed() {
    let out = out_dir("killed");
    let run = record(&out, &[]);
    let text = run.metrics_until("100 frames written", |t| {
        sample(t, "tradewind_recorder_frames_written") >= 100
    });
    let flushed = sample(&text, "tradewind_recorder_frames_written");
    run.kill_hard();

    let back = read_back(&out);
    assert!(
        back.frames.len() as u64 >= flushed,
        "{} frames read, {flushed} flushed before the kill",
        back.frames.len()
    );
    assert!(back.in_order);
    assert!(back.damage <= 1, "at most a torn last block");
    // The open file was never closed, so the index does not list it (it lists a file only if
    // the hour turned during the test); rebuilt from the files, it does.
    let listed = index::load(&out).expect("index.json").files.len();
    let idx = rebuild_index(&out).unwrap();
    assert_eq!(idx.files.len(), listed + 1);
    let frames: u64 = idx.files.iter().map(|e| e.frames).sum();
    assert_eq!(frames, back.frames.len() as u64);
}
