//! [`Recorder`]: the writer thread behind a [`Tap`]. The engine's actors offer items through
//! the tap (never waiting); the thread takes them from the bounded channel and hands them to
//! a [`FileWriter`], waking when the block in memory is due. [`Recorder::finish`] closes the
//! tap, lets the thread write what it holds, close its file and the index, and answers the
//! final counts; dropping a recorder does the same.

use std::{
    io,
    path::{Path, PathBuf},
    sync::mpsc::{Receiver, RecvTimeoutError},
    thread::JoinHandle,
    time::Duration,
};

use tracing::error;
use tradewind_actors::{
    clock::SharedClock,
    recording::{RecorderMetrics, Tap, Tapped},
};

use super::writer::{FileWriter, FlushPolicy};

/// Items the channel holds for the writer: at 1,000 frames a second, a minute's worth.
pub const CHANNEL_CAPACITY: usize = 65_536;

/// How long the thread sleeps with nothing in memory.
const IDLE_WAIT: Duration = Duration::from_secs(1);

/// A running recording.
#[derive(Debug)]
pub struct Recorder {
    tap: Tap,
    dir: PathBuf,
    thread: Option<JoinHandle<()>>,
}

impl Recorder {
    /// Starts recording into `dir` (created if missing), stamping items on `clock`, with the
    /// default block policy and channel.
    ///
    /// # Errors
    /// The directory cannot be prepared, or the thread not started.
    pub fn start(dir: &Path, clock: SharedClock) -> io::Result<Recorder> {
        Recorder::start_with(dir, clock, FlushPolicy::default(), CHANNEL_CAPACITY)
    }

    /// As [`Recorder::start`], with a block policy and a channel capacity.
    ///
    /// # Errors
    /// As [`Recorder::start`].
    pub fn start_with(
        dir: &Path,
        clock: SharedClock,
        policy: FlushPolicy,
        capacity: usize,
    ) -> io::Result<Recorder> {
        let (tap, rx) = Tap::new(capacity, clock);
        let writer = FileWriter::new(dir, policy, tap.counters().clone())?;
        let thread = std::thread::Builder::new()
            .name("recorder".into())
            .spawn(move || run(rx, writer))?;
        Ok(Recorder {
            tap,
            dir: dir.to_path_buf(),
            thread: Some(thread),
        })
    }

    /// The tap to hand to the feed and the metadata cache.
    pub fn tap(&self) -> Tap {
        self.tap.clone()
    }

    /// The recording directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Ends the recording: what was offered is written, the file closed, the index written.
    /// Answers the final counts.
    pub fn finish(mut self) -> RecorderMetrics {
        self.stop();
        self.tap.counters().snapshot()
    }

    fn stop(&mut self) {
        self.tap.close();
        if let Some(thread) = self.thread.take()
            && thread.join().is_err()
        {
            error!(dir = %self.dir.display(), "recording: the writer thread panicked");
        }
    }
}

impl Drop for Recorder {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The writer thread: items until `Close` (or every tap gone), blocks written when due.
fn run(rx: Receiver<Tapped>, mut writer: FileWriter) {
    loop {
        let wait = writer.due_in().unwrap_or(IDLE_WAIT);
        match rx.recv_timeout(wait) {
            Ok(Tapped::Close) | Err(RecvTimeoutError::Disconnected) => break,
            Ok(item) => writer.push(item),
            Err(RecvTimeoutError::Timeout) => {}
        }
        writer.tick();
    }
    writer.close();
}
