//! Per-connection socket access, so faults can cut a connection below HTTP: at accept time a
//! duplicate of the socket's descriptor is kept in the connection's extensions; a cut sets
//! `SO_LINGER` to zero and shuts the socket down, so the peer sees the connection end with no
//! response (REST) or no Close frame (WebSocket), and the final close sends a reset.

use std::{
    any::Any,
    os::fd::{AsFd, OwnedFd},
    sync::Arc,
};

use actix_web::{HttpRequest, dev::Extensions, rt::net::TcpStream};

/// A duplicate descriptor of a connection's socket.
#[derive(Debug, Clone)]
pub struct ConnFd(pub Arc<OwnedFd>);

/// `on_connect` hook: remembers the socket of every accepted TCP connection.
pub fn on_connect(conn: &dyn Any, ext: &mut Extensions) {
    if let Some(tcp) = conn.downcast_ref::<TcpStream>()
        && let Ok(fd) = tcp.as_fd().try_clone_to_owned()
    {
        ext.insert(ConnFd(Arc::new(fd)));
    }
}

/// The socket of the connection `req` arrived on.
pub fn conn_fd(req: &HttpRequest) -> Option<ConnFd> {
    req.conn_data::<ConnFd>().cloned()
}

/// Cuts a connection: no further bytes, reset on close.
pub fn cut(fd: &ConnFd) {
    let sock = socket2::SockRef::from(&*fd.0);
    let _ = sock.set_linger(Some(std::time::Duration::ZERO));
    let _ = sock.shutdown(std::net::Shutdown::Both);
}
