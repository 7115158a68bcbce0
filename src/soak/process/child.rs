//! The engine under test as a child process: `tradewind run --config FILE --log-format json`
//! started from the soak's own executable, its logs appended to one file across restarts,
//! and the address of its metrics endpoint read from the log line that announces it. It can
//! be killed (SIGKILL, no chance to clean up), asked to stop (SIGTERM) or checked for having
//! exited on its own. Dropping an [`EngineChild`] kills a child still running.

use std::{
    fs::{File, OpenOptions},
    io::{BufRead, BufReader, Write},
    net::SocketAddr,
    path::Path,
    process::{Child, Command, ExitStatus, Stdio},
    sync::mpsc,
    thread::JoinHandle,
    time::{Duration, Instant},
};

/// How long a start may take before the metrics endpoint is announced (the engine's own
/// start-up limit is 120 s).
const START_WAIT: Duration = Duration::from_secs(130);
/// How long a stopping engine may take (cancels are given 10 s).
const STOP_WAIT: Duration = Duration::from_secs(30);

/// A running engine child.
#[derive(Debug)]
pub struct EngineChild {
    child: Child,
    /// Its `/metrics` and `/healthz` address.
    pub addr: SocketAddr,
    reader: Option<JoinHandle<()>>,
}

/// Starts `exe run --config config`, appending its output to `log`; answers once its
/// metrics endpoint is announced.
///
/// # Errors
/// The child cannot start, exits, or announces no endpoint within [`START_WAIT`].
pub fn start(exe: &Path, config: &Path, log: &Path) -> Result<EngineChild, String> {
    let open = || {
        OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)
            .map_err(|e| format!("cannot open {}: {e}", log.display()))
    };
    let mut child = Command::new(exe)
        .arg("run")
        .arg("--config")
        .arg(config)
        .args(["--log-format", "json"])
        .stdin(Stdio::null())
        .stdout(Stdio::from(open()?))
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", exe.display()))?;
    let (tx, rx) = mpsc::channel();
    let reader = match child.stderr.take() {
        Some(stderr) => {
            let out = open()?;
            std::thread::spawn(move || copy_log(BufReader::new(stderr), out, tx))
        }
        None => return Err("the child's stderr was not captured".to_owned()),
    };
    let mut engine = EngineChild {
        child,
        addr: SocketAddr::from(([127, 0, 0, 1], 0)),
        reader: Some(reader),
    };
    engine.addr = engine.await_addr(&rx)?;
    Ok(engine)
}

/// Copies the child's log lines to `out`, sending the metrics address when announced.
fn copy_log(input: impl BufRead, mut out: File, tx: mpsc::Sender<SocketAddr>) {
    for line in input.lines() {
        let Ok(line) = line else { break };
        if let Some(addr) = metrics_addr(&line) {
            // The soak may have stopped waiting; the line is logged either way.
            let _ = tx.send(addr);
        }
        if let Err(e) = writeln!(out, "{line}") {
            eprintln!("soak: cannot write the engine's log: {e}");
            return;
        }
    }
}

/// The address in a JSON log line `{"fields":{"message":"metrics endpoints listening",
/// "metrics":"http://ADDR/metrics",..},..}`.
fn metrics_addr(line: &str) -> Option<SocketAddr> {
    if !line.contains("metrics endpoints listening") {
        return None;
    }
    let v: serde_json::Value = serde_json::from_str(line).ok()?;
    let url = v.get("fields")?.get("metrics")?.as_str()?;
    url.strip_prefix("http://")?
        .strip_suffix("/metrics")?
        .parse()
        .ok()
}

impl EngineChild {
    /// Waits for the announced address, failing early when the child exits.
    fn await_addr(&mut self, rx: &mpsc::Receiver<SocketAddr>) -> Result<SocketAddr, String> {
        let deadline = Instant::now() + START_WAIT;
        loop {
            if let Ok(addr) = rx.recv_timeout(Duration::from_millis(200)) {
                return Ok(addr);
            }
            if let Some(status) = self.exited()? {
                return Err(format!("the engine exited during start-up: {status}"));
            }
            if Instant::now() > deadline {
                return Err("the engine announced no metrics endpoint in time".to_owned());
            }
        }
    }

    /// The child's exit status, if it has exited.
    ///
    /// # Errors
    /// Its status cannot be read.
    pub fn exited(&mut self) -> Result<Option<ExitStatus>, String> {
        self.child.try_wait().map_err(|e| e.to_string())
    }

    /// SIGKILL, then reaps it.
    ///
    /// # Errors
    /// The signal or the wait failed.
    pub fn kill(mut self) -> Result<(), String> {
        self.child.kill().map_err(|e| format!("kill: {e}"))?;
        self.child.wait().map_err(|e| format!("wait: {e}"))?;
        self.join_reader();
        Ok(())
    }

    /// SIGTERM (a clean shutdown: strategy stopped, resting orders cancelled), then waits
    /// for its exit status; SIGKILL after [`STOP_WAIT`].
    ///
    /// # Errors
    /// The signal could not be sent, or the child did not stop in time.
    pub fn terminate(mut self) -> Result<ExitStatus, String> {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill").args(["-TERM", &pid]).status();
        match sent {
            Ok(s) if s.success() => {}
            other => return Err(format!("cannot send SIGTERM to {pid}: {other:?}")),
        }
        let deadline = Instant::now() + STOP_WAIT;
        loop {
            if let Some(status) = self.exited()? {
                self.join_reader();
                return Ok(status);
            }
            if Instant::now() > deadline {
                return Err(format!("the engine did not stop within {STOP_WAIT:?}"));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn join_reader(&mut self) {
        if let Some(r) = self.reader.take()
            && r.join().is_err()
        {
            eprintln!("soak: the engine's log reader panicked");
        }
    }
}

impl Drop for EngineChild {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let killed = self.child.kill().and_then(|()| self.child.wait().map(drop));
            if let Err(e) = killed {
                eprintln!(
                    "soak: cannot kill the engine child {}: {e}",
                    self.child.id()
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_metrics_address_is_read_from_its_log_line() {
        let line = r#"{"timestamp":"t","level":"INFO","fields":{"message":"metrics endpoints listening","metrics":"http://127.0.0.1:4321/metrics","healthz":"http://127.0.0.1:4321/healthz"},"target":"tradewind::run"}"#;
        assert_eq!(metrics_addr(line), Some("127.0.0.1:4321".parse().unwrap()));
        assert_eq!(metrics_addr(r#"{"fields":{"message":"other"}}"#), None);
    }
}
