//! One run of the strategy process: spawned with piped stdin, stdout and stderr, and three
//! threads so the strategy actor never blocks on a pipe — a writer draining the conflating
//! [`Outbox`], a reader parsing stdout lines ([`parse_line`]) into a bounded channel (waking
//! the actor after each), and a stderr reader copying the process's lines into the engine's
//! log. Dropping a [`Running`] closes the outbox (the writer closes stdin), kills the process
//! and reaps it; the threads end with their pipes.

use std::{
    io::{BufRead, BufReader, BufWriter, Read, Write},
    process::{Child, ChildStdin, Command, ExitStatus, Stdio},
    sync::{
        Arc, Condvar, Mutex, PoisonError,
        mpsc::{Receiver, SyncSender, TryRecvError, sync_channel},
    },
    thread,
};

use kalshi::Ticker;
use tracing::{info, warn};

use super::{
    config::ExternalConfig,
    outbox::{Outbox, Overflow},
    protocol::{FromProcess, parse_line, truncate},
};
use crate::strategy::interface::Waker;

/// Lines read but not yet taken by the actor; the reader waits (and the process with it)
/// beyond this.
const INBOX_CAPACITY: usize = 1_024;

/// What the reader thread hands the actor.
#[derive(Debug)]
pub enum Inbound {
    /// A valid line.
    Message(FromProcess),
    /// A line refused: why, and the line (truncated).
    Malformed {
        /// Why.
        reason: String,
        /// The line.
        line: String,
    },
    /// stdout closed: the process exited (or closed it).
    Closed,
}

/// The outbox shared with the writer thread.
#[derive(Debug)]
struct Shared {
    outbox: Mutex<(Outbox, bool)>,
    ready: Condvar,
}

/// A running strategy process.
#[derive(Debug)]
pub struct Running {
    child: Child,
    shared: Arc<Shared>,
    inbox: Receiver<Inbound>,
    /// Its process id.
    pub pid: u32,
}

impl Running {
    /// Spawns `cfg.command` with its threads; `waker` is called after every line read.
    pub fn spawn(cfg: &ExternalConfig, waker: Waker) -> std::io::Result<Running> {
        let mut cmd = Command::new(&cfg.command);
        cmd.args(&cfg.args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if !cfg.working_dir.is_empty() {
            cmd.current_dir(&cfg.working_dir);
        }
        #[cfg(unix)]
        {
            // Its own process group: a Ctrl-C at the terminal reaches the engine, which stops
            // the process itself.
            use std::os::unix::process::CommandExt;
            cmd.process_group(0);
        }
        let mut child = cmd.spawn()?;
        let pid = child.id();
        let missing = || std::io::Error::other("a pipe of the child is missing");
        let stdin = child.stdin.take().ok_or_else(missing)?;
        let stdout = child.stdout.take().ok_or_else(missing)?;
        let stderr = child.stderr.take().ok_or_else(missing)?;
        let shared = Arc::new(Shared {
            outbox: Mutex::new((Outbox::new(cfg.max_pending_messages), false)),
            ready: Condvar::new(),
        });
        let (tx, inbox) = sync_channel(INBOX_CAPACITY);
        let named = |what: &str| thread::Builder::new().name(format!("external-{what}-{pid}"));
        let writer = shared.clone();
        let max = cfg.max_line_bytes;
        let spawned = named("writer")
            .spawn(move || write_loop(&writer, stdin))
            .and_then(|_| named("reader").spawn(move || read_loop(stdout, max, &tx, &waker)))
            .and_then(|_| named("stderr").spawn(move || stderr_loop(stderr, pid)));
        let running = Running {
            child,
            shared,
            inbox,
            pid,
        };
        // On an error `running` is dropped here: the process is killed.
        spawned.map(|_| running)
    }

    fn with_outbox<T>(&self, f: impl FnOnce(&mut Outbox) -> T) -> T {
        let mut guard = self
            .shared
            .outbox
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let out = f(&mut guard.0);
        self.shared.ready.notify_one();
        out
    }

    /// Queues a line (not a book).
    pub fn send(&self, line: String) -> Result<(), Overflow> {
        self.with_outbox(|o| o.push(line))
    }

    /// Queues `ticker`'s book (replacing one not yet written).
    pub fn send_book(&self, ticker: Ticker, line: String) {
        self.with_outbox(|o| o.push_book(ticker, line));
    }

    /// Books replaced before they were written, so far.
    pub fn conflated(&self) -> u64 {
        self.with_outbox(|o| o.conflated)
    }

    /// The next thing read, if any.
    pub fn try_recv(&self) -> Option<Inbound> {
        match self.inbox.try_recv() {
            Ok(msg) => Some(msg),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(Inbound::Closed),
        }
    }

    /// Kills the process (if it still runs) and reaps it: its exit status.
    pub fn stop(mut self) -> Option<ExitStatus> {
        self.stop_in_place()
    }

    fn stop_in_place(&mut self) -> Option<ExitStatus> {
        if let Ok(mut guard) = self.shared.outbox.lock() {
            guard.1 = true;
        }
        self.shared.ready.notify_one();
        if let Ok(Some(status)) = self.child.try_wait() {
            return Some(status);
        }
        if let Err(e) = self.child.kill() {
            warn!(pid = self.pid, error = %e, "cannot kill the strategy process");
        }
        self.child.wait().ok()
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.stop_in_place();
    }
}

/// Writes what the outbox holds, flushing whenever it runs dry; ends when closed or on a
/// write error (the process is gone: the reader reports it).
fn write_loop(shared: &Shared, stdin: ChildStdin) {
    let mut out = BufWriter::new(stdin);
    loop {
        let line = {
            let mut guard = shared.outbox.lock().unwrap_or_else(PoisonError::into_inner);
            loop {
                if guard.1 {
                    return;
                }
                if let Some(line) = guard.0.pop() {
                    break Some((line, guard.0.is_empty()));
                }
                guard = shared
                    .ready
                    .wait(guard)
                    .unwrap_or_else(PoisonError::into_inner);
            }
        };
        let Some((line, dry)) = line else { return };
        let written = out
            .write_all(line.as_bytes())
            .and_then(|()| out.write_all(b"\n"))
            .and_then(|()| if dry { out.flush() } else { Ok(()) });
        if let Err(e) = written {
            info!(error = %e, "strategy process stdin closed");
            return;
        }
    }
}

/// Reads stdout line by line (each at most `max` bytes), parses each and hands it on.
fn read_loop(stdout: impl Read, max: usize, tx: &SyncSender<Inbound>, waker: &Waker) {
    let mut reader = BufReader::new(stdout);
    let mut buf = Vec::new();
    loop {
        buf.clear();
        let read = (&mut reader)
            .take(max as u64 + 1)
            .read_until(b'\n', &mut buf);
        let msg = match read {
            Ok(0) | Err(_) => break,
            Ok(_) if buf.last() != Some(&b'\n') && buf.len() > max => {
                skip_rest_of_line(&mut reader);
                Inbound::Malformed {
                    reason: format!("line longer than {max} bytes"),
                    line: truncate(&String::from_utf8_lossy(&buf), 200),
                }
            }
            Ok(_) => match std::str::from_utf8(&buf) {
                Ok(line) if line.trim().is_empty() => continue,
                Ok(line) => {
                    let line = line.trim_end_matches(['\n', '\r']);
                    match parse_line(line, max) {
                        Ok(msg) => Inbound::Message(msg),
                        Err(reason) => Inbound::Malformed {
                            reason,
                            line: truncate(line, 200),
                        },
                    }
                }
                Err(e) => Inbound::Malformed {
                    reason: format!("not UTF-8: {e}"),
                    line: truncate(&String::from_utf8_lossy(&buf), 200),
                },
            },
        };
        if tx.send(msg).is_err() {
            return;
        }
        waker.wake();
    }
    let _ = tx.send(Inbound::Closed);
    waker.wake();
}

/// Discards input up to and including the next newline.
fn skip_rest_of_line(reader: &mut impl BufRead) {
    let mut sink = Vec::new();
    loop {
        sink.clear();
        match reader.take(64 * 1024).read_until(b'\n', &mut sink) {
            Ok(0) | Err(_) => return,
            Ok(_) if sink.last() == Some(&b'\n') => return,
            Ok(_) => {}
        }
    }
}

/// Copies the process's stderr into the engine's log, a line at a time.
fn stderr_loop(stderr: impl Read, pid: u32) {
    for line in BufReader::new(stderr).lines() {
        match line {
            Ok(line) if !line.trim().is_empty() => {
                info!(target: "tradewind::external", pid, "{}", truncate(&line, 2_000));
            }
            Ok(_) => {}
            Err(_) => return,
        }
    }
}
