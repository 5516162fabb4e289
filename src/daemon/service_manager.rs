//! The systemd notification protocol (`sd_notify`). Under `Type=notify`
//! the service manager learns when storywatch is ready and when it is
//! stopping, `systemctl status` shows what it last did, and with
//! `WatchdogSec=` a daemon whose runtime has stalled is restarted.
//!
//! Outside systemd (`NOTIFY_SOCKET` unset) every call does nothing.

use std::os::unix::net::{SocketAddr, UnixDatagram};
use std::time::Duration;

/// A connection to the service manager's notification socket, if any.
pub(crate) struct ServiceManager {
    socket: Option<(UnixDatagram, SocketAddr)>,
    watchdog: Option<Duration>,
}

impl ServiceManager {
    /// Reads `NOTIFY_SOCKET`, `WATCHDOG_USEC` and `WATCHDOG_PID` the way
    /// systemd sets them.
    pub(crate) fn from_env() -> Self {
        let socket = std::env::var_os("NOTIFY_SOCKET").and_then(|name| {
            let address = socket_address(&name.to_string_lossy())?;
            match UnixDatagram::unbound() {
                Ok(socket) => Some((socket, address)),
                Err(error) => {
                    tracing::warn!(%error, "cannot open a socket to notify systemd");
                    None
                }
            }
        });
        let for_this_process = std::env::var("WATCHDOG_PID")
            .ok()
            .and_then(|pid| pid.parse::<u32>().ok())
            .is_none_or(|pid| pid == std::process::id());
        let watchdog = std::env::var("WATCHDOG_USEC")
            .ok()
            .and_then(|usec| usec.parse::<u64>().ok())
            .filter(|&usec| usec > 0 && for_this_process && socket.is_some())
            // systemd's advice: ping at half the timeout.
            .map(|usec| Duration::from_micros(usec / 2));
        ServiceManager { socket, watchdog }
    }

    pub(crate) fn ready(&self, status: &str) {
        self.send(&format!("READY=1\nSTATUS={status}"));
    }

    pub(crate) fn status(&self, status: &str) {
        self.send(&format!("STATUS={status}"));
    }

    pub(crate) fn stopping(&self) {
        self.send("STOPPING=1\nSTATUS=stopping");
    }

    pub(crate) fn watchdog_ping(&self) {
        self.send("WATCHDOG=1");
    }

    /// How often to ping the watchdog, when systemd runs one for us.
    pub(crate) fn watchdog_interval(&self) -> Option<Duration> {
        self.watchdog
    }

    /// Best effort: a lost notification must not stop the daemon.
    fn send(&self, message: &str) {
        if let Some((socket, address)) = &self.socket {
            if let Err(error) = socket.send_to_addr(message.as_bytes(), address) {
                tracing::debug!(%error, "cannot notify systemd");
            }
        }
    }
}

/// A path, or an abstract socket name written with a leading `@`.
fn socket_address(name: &str) -> Option<SocketAddr> {
    let parsed = match name.strip_prefix('@') {
        Some(abstract_name) => abstract_address(abstract_name),
        None if name.starts_with('/') => SocketAddr::from_pathname(name),
        None => return None,
    };
    match parsed {
        Ok(address) => Some(address),
        Err(error) => {
            tracing::warn!(socket = name, %error, "NOTIFY_SOCKET is not a usable address");
            None
        }
    }
}

#[cfg(target_os = "linux")]
fn abstract_address(name: &str) -> std::io::Result<SocketAddr> {
    use std::os::linux::net::SocketAddrExt;
    SocketAddr::from_abstract_name(name.as_bytes())
}

#[cfg(not(target_os = "linux"))]
fn abstract_address(_name: &str) -> std::io::Result<SocketAddr> {
    Err(std::io::Error::new(
        std::io::ErrorKind::Unsupported,
        "abstract sockets exist only on Linux",
    ))
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn notifies_an_abstract_socket_and_ignores_relative_names() {
        let name = format!("storywatch-test-{}", std::process::id());
        let listener = UnixDatagram::bind_addr(&abstract_address(&name).expect("abstract name"))
            .expect("bind abstract socket");
        let manager = ServiceManager {
            socket: socket_address(&format!("@{name}"))
                .map(|address| (UnixDatagram::unbound().expect("socket"), address)),
            watchdog: None,
        };
        manager.ready("watching 3 feeds");
        let mut buffer = [0u8; 256];
        let len = listener.recv(&mut buffer).expect("notification arrives");
        assert_eq!(&buffer[..len], b"READY=1\nSTATUS=watching 3 feeds");
        assert!(socket_address("run/notify").is_none());
    }
}
