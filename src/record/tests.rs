//! The recording format end to end, without an engine: written by [`FileWriter`], read by
//! [`Reader`], damaged on purpose (a file cut mid-block, bytes flipped), indexed and rebuilt.

use std::{
    path::{Path, PathBuf},
    sync::Arc,
    time::Duration,
};

use kalshi::rest::Market;
use tradewind_actors::recording::{RecorderCounters, Tapped};

use super::{Event, FileWriter, FlushPolicy, Reader, files::ROTATE_NS, index, rebuild_index};

const HOUR: u64 = 1_796_212_800_000_000_000;

fn dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("record-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

fn market() -> Market {
    let v: serde_json::Value =
        serde_json::from_str(include_str!("../../kalshi/tests/fixtures/rest/market.json")).unwrap();
    serde_json::from_value(v["market"].clone()).unwrap()
}

fn frame(i: u64) -> String {
    format!(r#"{{"type":"orderbook_delta","sid":1,"seq":{i},"msg":{{"price_dollars":"0.4200"}}}}"#)
}

/// Writes `n` frames (a market first) from `start` ns, 1 ms apart, in blocks of 10 lines.
fn write(d: &Path, start: u64, n: u64) -> Arc<RecorderCounters> {
    let counters = Arc::new(RecorderCounters::default());
    let policy = FlushPolicy {
        max_lines: 10,
        max_bytes: 1 << 20,
        max_age: Duration::from_secs(60),
    };
    let mut w = FileWriter::new(d, policy, counters.clone()).unwrap();
    w.push(Tapped::Market {
        recv_ns: start,
        market: Box::new(market()),
    });
    for i in 0..n {
        let text = frame(i).into();
        w.push(Tapped::Frame {
            recv_ns: start + i * 1_000_000,
            text,
        });
    }
    w.close();
    counters
}

fn frames(reader: Reader) -> Vec<(u64, String)> {
    reader
        .filter_map(|r| match r.event {
            Event::Frame(t) => Some((r.recv_ns, t)),
            Event::Market(_) | Event::Forecast(_) => None,
        })
        .collect()
}

#[test]
fn what_is_written_reads_back_in_order_with_its_index() {
    let d = dir("roundtrip");
    let c = write(&d, HOUR, 95).snapshot();
    assert_eq!(
        (c.frames_written, c.markets_written, c.blocks, c.files),
        (95, 1, 10, 1)
    );
    let mut reader = Reader::open(&d).unwrap();
    let first = reader.next_ref().unwrap();
    assert_eq!(first.recv_ns, HOUR);
    let super::EventRef::Market(json) = first.event else {
        panic!("{first:?}")
    };
    assert_eq!(serde_json::from_str::<Market>(json).unwrap(), market());
    let got = frames(reader);
    assert_eq!(got.len(), 95);
    assert!(
        got.iter()
            .enumerate()
            .all(|(i, (ns, t))| *t == frame(i as u64) && *ns == HOUR + i as u64 * 1_000_000)
    );
    let idx = index::load(&d).unwrap();
    assert_eq!(idx.files.len(), 1);
    let e = &idx.files[0];
    assert_eq!(
        (e.frames, e.markets, e.first_ns, e.last_ns),
        (95, 1, HOUR, HOUR + 94_000_000)
    );
    assert_eq!(
        rebuild_index(&d).unwrap(),
        idx,
        "the index is rebuilt from the files alone"
    );
}

#[test]
fn files_rotate_at_the_hour_and_at_each_start() {
    let d = dir("rotate");
    write(&d, HOUR + ROTATE_NS - 50_000_000, 100);
    write(&d, HOUR + 2 * ROTATE_NS, 5);
    let idx = index::load(&d).unwrap();
    let counts: Vec<(u64, u64)> = idx.files.iter().map(|e| (e.frames, e.markets)).collect();
    assert_eq!(counts, vec![(50, 1), (50, 0), (5, 1)]);
    let got = frames(Reader::open(&d).unwrap());
    assert_eq!(got.len(), 105);
    assert!(
        got.windows(2).all(|w| w[0].0 <= w[1].0),
        "non-decreasing receive times"
    );
}

/// The size of a file's blocks, from the file alone.
fn block_ends(file: &Path) -> Vec<usize> {
    let data = std::fs::read(file).unwrap();
    let mut ends = vec![];
    let mut at = 0;
    while at < data.len() {
        at += zstd::zstd_safe::find_frame_compressed_size(&data[at..]).unwrap();
        ends.push(at);
    }
    ends
}

#[test]
fn a_file_cut_mid_block_reads_up_to_the_cut_with_a_warning() {
    let d = dir("torn");
    write(&d, HOUR, 95);
    write(&d, HOUR + 10 * ROTATE_NS, 30);
    let files = super::files::recording_files(&d).unwrap();
    let last = &files[1];
    let ends = block_ends(last);
    let cut = ends[1] + (ends[2] - ends[1]) / 2;
    let data = std::fs::read(last).unwrap();
    std::fs::write(last, &data[..cut]).unwrap();
    let mut reader = Reader::open(&d).unwrap();
    let mut n = 0;
    while reader.next_ref().is_some() {
        n += 1;
    }
    // 96 lines in the first file; two blocks of 10 lines (the market and 19 frames) before the cut.
    assert_eq!(n, 96 + 20);
    assert_eq!(reader.damage().len(), 1);
    let damage = &reader.damage()[0];
    assert_eq!((&damage.file, damage.offset), (last, ends[1] as u64));
    assert!(damage.reason.contains("torn"), "{damage:?}");
    let idx = rebuild_index(&d).unwrap();
    assert_eq!(idx.files[1].frames, 19);
    assert!(idx.files[1].damage.is_some());
}

#[test]
fn flipped_bytes_end_their_file_and_reading_goes_on_with_the_next() {
    let d = dir("flipped");
    write(&d, HOUR, 95);
    write(&d, HOUR + 10 * ROTATE_NS, 30);
    let files = super::files::recording_files(&d).unwrap();
    let ends = block_ends(&files[0]);
    let mut data = std::fs::read(&files[0]).unwrap();
    let mid = ends[4] + (ends[5] - ends[4]) / 2;
    for b in &mut data[mid..mid + 3] {
        *b ^= 0xff;
    }
    std::fs::write(&files[0], &data).unwrap();
    let reader = Reader::open(&d).unwrap();
    let mut reader = reader;
    let mut got = vec![];
    while let Some(r) = reader.next_ref() {
        got.push(r.to_owned());
    }
    // The first file's five good blocks (50 lines), then all of the second file (31 lines).
    assert_eq!(got.len(), 50 + 31);
    assert_eq!(reader.damage().len(), 1);
    assert_eq!(reader.damage()[0].offset, ends[4] as u64);
    assert!(got.windows(2).all(|w| w[0].recv_ns <= w[1].recv_ns));
}

#[test]
fn garbage_and_empty_files_are_damage_not_panics() {
    let d = dir("garbage");
    std::fs::create_dir_all(&d).unwrap();
    std::fs::write(d.join("rec-20261202T000000.000Z.jsonl.zst"), b"").unwrap();
    std::fs::write(
        d.join("rec-20261202T000001.000Z.jsonl.zst"),
        b"not zstd at all",
    )
    .unwrap();
    let mut plain = zstd::bulk::compress(b"{\"ns\":1,\"frame\":{}}\nno newline", 3).unwrap();
    plain.extend(zstd::bulk::compress(b"{\"not\":\"ours\"}\n", 3).unwrap());
    std::fs::write(d.join("rec-20261202T000002.000Z.jsonl.zst"), plain).unwrap();
    let mut reader = Reader::open(&d).unwrap();
    let mut n = 0;
    while reader.next_ref().is_some() {
        n += 1;
    }
    assert_eq!(n, 1, "the one good line before a line with no end");
    assert_eq!(reader.damage().len(), 2, "{:?}", reader.damage());
}
