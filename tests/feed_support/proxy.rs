//! A byte-level TCP proxy between the feed and the simulator that can slip raw WebSocket
//! frames into the stream towards the client — for frames the simulator never sends (a
//! malformed one, an unknown `type`). Plain threads and `std::net`; bound to `127.0.0.1:0`.
//!
//! Frames are injected between two reads of the upstream socket, so the test injects only
//! while the simulator is quiet (no data and no ping due), when every read has ended on a
//! frame boundary.

use std::{
    io::{Read, Write},
    net::{Shutdown, SocketAddr, TcpListener, TcpStream},
    sync::{Arc, Mutex},
    thread,
};

/// A running proxy.
#[derive(Debug, Clone)]
pub struct Proxy {
    addr: SocketAddr,
    clients: Arc<Mutex<Vec<Arc<Mutex<TcpStream>>>>>,
}

impl Proxy {
    /// Listens on a free loopback port and forwards every connection to `upstream`.
    pub fn start(upstream: SocketAddr) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = listener.local_addr().expect("address");
        let clients: Arc<Mutex<Vec<Arc<Mutex<TcpStream>>>>> = Arc::default();
        let registry = clients.clone();
        thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let Ok(server) = TcpStream::connect(upstream) else {
                    continue;
                };
                let _ = client.set_nodelay(true);
                let _ = server.set_nodelay(true);
                let to_client = Arc::new(Mutex::new(client.try_clone().expect("clone")));
                registry.lock().unwrap().push(to_client.clone());
                let (mut from_client, mut to_server) = (client, server.try_clone().expect("clone"));
                thread::spawn(move || pump_up(&mut from_client, &mut to_server));
                let mut from_server = server;
                thread::spawn(move || pump_down(&mut from_server, &to_client));
            }
        });
        Proxy { addr, clients }
    }

    /// The WebSocket URL through the proxy.
    pub fn ws_url(&self) -> String {
        format!("ws://{}{}", self.addr, kalshi::rest::WS_PATH)
    }

    /// Sends a text frame with `text` to every client connected now.
    pub fn inject_text(&self, text: &str) {
        self.inject(0x1, text.as_bytes());
    }

    /// Sends a binary frame to every client connected now.
    pub fn inject_binary(&self, bytes: &[u8]) {
        self.inject(0x2, bytes);
    }

    fn inject(&self, opcode: u8, payload: &[u8]) {
        let frame = frame(opcode, payload);
        for c in self.clients.lock().unwrap().iter() {
            let _ = c.lock().unwrap().write_all(&frame);
        }
    }
}

/// An unmasked server frame.
fn frame(opcode: u8, payload: &[u8]) -> Vec<u8> {
    let mut out = vec![0x80 | opcode];
    match payload.len() {
        n if n < 126 => out.push(n as u8),
        n if n <= 0xFFFF => {
            out.push(126);
            out.extend_from_slice(&(n as u16).to_be_bytes());
        }
        n => {
            out.push(127);
            out.extend_from_slice(&(n as u64).to_be_bytes());
        }
    }
    out.extend_from_slice(payload);
    out
}

fn pump_up(from: &mut TcpStream, to: &mut TcpStream) {
    let mut buf = vec![0u8; 64 << 10];
    while let Ok(n) = from.read(&mut buf) {
        if n == 0 || to.write_all(&buf[..n]).is_err() {
            break;
        }
    }
    let _ = to.shutdown(Shutdown::Both);
}

fn pump_down(from: &mut TcpStream, to: &Arc<Mutex<TcpStream>>) {
    let mut buf = vec![0u8; 64 << 10];
    while let Ok(n) = from.read(&mut buf) {
        if n == 0 || to.lock().unwrap().write_all(&buf[..n]).is_err() {
            break;
        }
    }
    let _ = to.lock().unwrap().shutdown(Shutdown::Both);
}
