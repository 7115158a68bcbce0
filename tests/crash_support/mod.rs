//! Helpers of the crash tests: a child process (the test binary re-run on one `#[ignore]`d
//! test, with `TW_CRASH_CHILD` set) whose report lines the parent reads, that it talks to
//! over stdin and SIGKILLs; and a tiny deterministic generator.

#![allow(dead_code)]

use std::{
    io::{BufRead, BufReader, Write},
    path::Path,
    process::{Child, Command, Stdio},
    sync::mpsc,
    time::Duration,
};

/// What a child's report lines start with (libtest may print before it on the same line).
pub const TAG: &str = "TWCRASH";

/// A tiny deterministic generator (xorshift64*), so a failing run can be replayed by seed.
pub struct Rng(pub u64);

impl Rng {
    /// The next number.
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number below `n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// A variable the parent sets for the child.
pub fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("{name} is set by the parent"))
}

/// A report line for the parent.
pub fn report(line: &str) {
    println!("{TAG} {line}");
}

/// One child process and its report lines.
pub struct Life {
    /// The process.
    pub child: Child,
    lines: mpsc::Receiver<String>,
}

impl Life {
    /// Runs the ignored test `child` of this binary with `vars`, its stderr appended to `log`.
    pub fn spawn(child: &str, vars: &[(&str, String)], log: &Path) -> Life {
        let mut cmd = Command::new(std::env::current_exe().unwrap());
        cmd.args([
            child,
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("TW_CRASH_CHILD", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(log)
                .unwrap(),
        );
        for (k, v) in vars {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("child starts");
        let stdout = child.stdout.take().unwrap();
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(at) = line.find(TAG) {
                    let _ = tx.send(line[at + TAG.len()..].trim().to_owned());
                }
            }
        });
        Life { child, lines }
    }

    /// The next report line, or `None` if the child ended.
    pub fn next(&self, log: &Path) -> Option<String> {
        match self.lines.recv_timeout(Duration::from_secs(60)) {
            Ok(l) => Some(l),
            Err(mpsc::RecvTimeoutError::Disconnected) => None,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                panic!(
                    "child silent for 60 s; its log:\n{}",
                    std::fs::read_to_string(log).unwrap_or_default()
                )
            }
        }
    }

    /// The next report line, which must start with `word`: the rest of it.
    pub fn expect(&self, word: &str, log: &Path) -> String {
        let line = self.next(log).unwrap_or_else(|| {
            panic!(
                "the child ended before {word}; its log:\n{}",
                std::fs::read_to_string(log).unwrap_or_default()
            )
        });
        line.strip_prefix(word)
            .unwrap_or_else(|| panic!("expected {word}, got {line}"))
            .trim()
            .to_owned()
    }

    /// Writes a line to the child's stdin.
    pub fn say(&mut self, word: &str) {
        let stdin = self.child.stdin.as_mut().unwrap();
        writeln!(stdin, "{word}").unwrap();
        stdin.flush().unwrap();
    }

    /// SIGKILL (on Unix), and reap it.
    pub fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}
