//! The recorder in a run (`tradewind record`, [`crate::EngineBuilder::record`]): started
//! before the engine, its tap handed to the feed and the metadata cache, and sealed first at
//! the end — the feed detaches it and reports the frames it had received by then, then the
//! writer finishes its file and index — so the summary's counts describe the same frames.

use std::{fmt, path::Path, path::PathBuf};

use tradewind_actors::{
    clock::LiveClock, feed::StopRecording, recording::RecorderMetrics, root::Engine,
};

use crate::record::Recorder;

/// What a recording holds at its end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordingSummary {
    /// The recording directory.
    pub dir: PathBuf,
    /// Text frames the feed had received when the recorder was detached (`None`: the feed
    /// did not answer).
    pub feed_frames: Option<u64>,
    /// The recorder's counts.
    pub metrics: RecorderMetrics,
}

/// Starts a recorder into `dir`, when asked for; the error says why it cannot.
pub fn start(dir: Option<&Path>) -> Result<Option<Recorder>, String> {
    let Some(dir) = dir else { return Ok(None) };
    Recorder::start(dir, LiveClock::shared())
        .map(Some)
        .map_err(|e| format!("record: cannot record into {}: {e}", dir.display()))
}

/// Seals the recording: the feed detaches the tap (answering its frame count at that
/// instant), then the writer writes what it holds and closes its file and the index.
pub async fn seal(engine: &Engine, recorder: Option<Recorder>) -> Option<RecordingSummary> {
    let recorder = recorder?;
    let feed_frames = engine
        .feed
        .send(StopRecording)
        .await
        .ok()
        .map(|m| m.counters.text_frames);
    let dir = recorder.dir().to_path_buf();
    // The writer's last block and fsync happen off the actors' thread.
    let metrics = actix_rt::task::spawn_blocking(move || recorder.finish())
        .await
        .unwrap_or_default();
    Some(RecordingSummary {
        dir,
        feed_frames,
        metrics,
    })
}

impl fmt::Display for RecordingSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let m = &self.metrics;
        let per_frame =
            m.compressed_bytes as f64 / (m.frames_written + m.markets_written).max(1) as f64;
        let feed = self.feed_frames.map_or("?".to_owned(), |n| n.to_string());
        let rows = [
            ("recording directory", self.dir.display().to_string()),
            ("frames recorded", m.frames_written.to_string()),
            ("feed frames while recording", feed),
            ("markets recorded", m.markets_written.to_string()),
            ("recorder dropped", m.dropped.to_string()),
            ("recorder write failed", m.write_failed.to_string()),
            ("files", m.files.to_string()),
            ("blocks", m.blocks.to_string()),
            ("bytes (uncompressed)", m.raw_bytes.to_string()),
            ("bytes (compressed)", m.compressed_bytes.to_string()),
            ("bytes per line (compressed)", format!("{per_frame:.1}")),
        ];
        let width = rows.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
        writeln!(f, "== recording ==")?;
        for (k, v) in rows {
            writeln!(f, "{k:<width$}  {v}")?;
        }
        Ok(())
    }
}
