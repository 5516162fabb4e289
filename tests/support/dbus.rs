//! A private D-Bus session bus with a notification server on it that records
//! every `Notify` call, so tests see exactly what reached the desktop.
//!
//! ```ignore
//! let bus = support::dbus::DesktopBus::start();
//! // in-process: std::env::set_var("DBUS_SESSION_BUS_ADDRESS", bus.address())
//! // child:      Command::new(bin).env("DBUS_SESSION_BUS_ADDRESS", bus.address())
//! let calls = bus.wait_for_calls(1, Duration::from_secs(5));
//! ```
//!
//! The server runs on a tokio runtime of its own, so it keeps answering
//! while the test blocks (say on a child process) and works from plain
//! `#[test]`s and `#[tokio::test]`s alike. Dropping the [`DesktopBus`] kills
//! the daemon and removes its socket.

// Each test binary uses a different part of this helper.
#![allow(dead_code)]

use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

use tempfile::TempDir;
use zbus::message::Header;
use zbus::OwnedVariant;

const NOTIFICATIONS_NAME: &str = "org.freedesktop.Notifications";
const NOTIFICATIONS_PATH: &str = "/org/freedesktop/Notifications";
const STARTUP_LIMIT: Duration = Duration::from_secs(10);

/// One `Notify` call as the server received it.
#[derive(Debug, Clone)]
pub struct NotifyCall {
    /// The id the server answered with.
    pub id: u32,
    /// Unique bus name of the caller, where ActionInvoked is sent.
    pub sender: String,
    pub app_name: String,
    pub replaces_id: u32,
    pub app_icon: String,
    pub summary: String,
    pub body: String,
    /// Alternating action keys and labels, as on the wire.
    pub actions: Vec<String>,
    /// Hint values in GVariant text form.
    pub hints: BTreeMap<String, String>,
    pub expire_timeout: i32,
}

impl NotifyCall {
    /// The action keys, without their labels.
    pub fn action_keys(&self) -> Vec<&str> {
        self.actions.iter().step_by(2).map(String::as_str).collect()
    }
}

type Calls = Arc<Mutex<Vec<NotifyCall>>>;

/// A running `dbus-daemon` with a recording notification server.
pub struct DesktopBus {
    address: String,
    daemon: Child,
    runtime: Option<tokio::runtime::Runtime>,
    connection: zbus::Connection,
    calls: Calls,
    _dir: TempDir,
}

impl DesktopBus {
    /// Starts the bus and the server. Panics with a clear message when
    /// `dbus-daemon` is not installed (CI installs the `dbus-daemon` package).
    pub fn start() -> DesktopBus {
        let dir = tempfile::tempdir().expect("temporary directory for the private bus");
        let config = dir.path().join("session.conf");
        std::fs::write(&config, bus_config(dir.path())).expect("write the bus config");
        // Kept out of the test output (as root the daemon complains that it
        // cannot raise its fd limit), and quoted if the daemon fails.
        let log_path = dir.path().join("dbus-daemon.log");
        let log = std::fs::File::create(&log_path).expect("create the bus log");
        let mut daemon = Command::new("dbus-daemon")
            .arg(format!("--config-file={}", config.display()))
            .args(["--print-address", "--nofork"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "cannot start dbus-daemon ({e}); the desktop-notification tests need it: \
                     install the `dbus-daemon` package (Debian/Ubuntu: apt-get install dbus dbus-daemon)"
                )
            });
        let stdout = daemon.stdout.take().expect("dbus-daemon stdout is piped");
        let mut address = String::new();
        let read = BufReader::new(stdout).read_line(&mut address);
        let address = address.trim().to_owned();
        if read.is_err() || address.is_empty() {
            let _ = daemon.kill();
            let status = daemon.wait();
            let log = std::fs::read_to_string(&log_path).unwrap_or_default();
            panic!("dbus-daemon printed no address (exit: {status:?}, read: {read:?}): {log}");
        }

        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("test-notification-server")
            .enable_all()
            .build()
            .expect("runtime for the notification server");
        let calls = Calls::default();
        let server = RecordingServer {
            calls: calls.clone(),
            next_id: AtomicU32::new(1),
        };
        let (sender, receiver) = mpsc::channel();
        let bus_address = address.clone();
        runtime.spawn(async move {
            let connection = zbus::connection::Builder::address(bus_address.as_str())
                .name(NOTIFICATIONS_NAME)
                .serve_at(NOTIFICATIONS_PATH, server)
                .build()
                .await;
            let _ = sender.send(connection);
        });
        // Waiting on a std channel, not the runtime, works inside a test's
        // own async runtime too.
        let connection = match receiver.recv_timeout(STARTUP_LIMIT) {
            Ok(Ok(connection)) => connection,
            Ok(Err(e)) => panic!("notification server could not join the bus {address}: {e}"),
            Err(e) => panic!("notification server did not start on {address}: {e}"),
        };
        DesktopBus {
            address,
            daemon,
            runtime: Some(runtime),
            connection,
            calls,
            _dir: dir,
        }
    }

    /// The value for `DBUS_SESSION_BUS_ADDRESS`.
    pub fn address(&self) -> &str {
        &self.address
    }

    /// Every `Notify` call so far, oldest first.
    pub fn calls(&self) -> Vec<NotifyCall> {
        self.calls.lock().expect("calls lock").clone()
    }

    /// Blocks until at least `count` calls arrived or `limit` passed, then
    /// returns them all. Meant for calls made by another process.
    pub fn wait_for_calls(&self, count: usize, limit: Duration) -> Vec<NotifyCall> {
        let deadline = Instant::now() + limit;
        loop {
            let calls = self.calls();
            if calls.len() >= count || Instant::now() >= deadline {
                return calls;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Sends `ActionInvoked(id, action)` to the client that made `call`, as
    /// a server does when the user clicks the notification or a button.
    pub async fn invoke_action(&self, call: &NotifyCall, action: &str) -> zbus::Result<()> {
        let connection = self.connection.clone();
        let destination = call.sender.clone();
        let body = (call.id, action.to_owned());
        let runtime = self.runtime.as_ref().expect("runtime lives until drop");
        runtime
            .spawn(async move {
                connection
                    .emit_signal(
                        Some(destination.as_str()),
                        NOTIFICATIONS_PATH,
                        NOTIFICATIONS_NAME,
                        "ActionInvoked",
                        &body,
                    )
                    .await
            })
            .await
            .map_err(|e| zbus::Error::Failure(format!("signal task failed: {e}")))?
    }
}

impl Drop for DesktopBus {
    fn drop(&mut self) {
        let _ = self.daemon.kill();
        let _ = self.daemon.wait();
        // Dropping a runtime in place would panic inside an async test.
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

/// A session bus that listens only in `dir` and lets the test own any name.
fn bus_config(dir: &std::path::Path) -> String {
    format!(
        r#"<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir={}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"#,
        dir.display()
    )
}

struct RecordingServer {
    calls: Calls,
    next_id: AtomicU32,
}

#[zbus::interface(name = "org.freedesktop.Notifications")]
impl RecordingServer {
    #[allow(clippy::too_many_arguments)]
    async fn notify(
        &self,
        #[zbus(header)] header: Header<'_>,
        app_name: String,
        replaces_id: u32,
        app_icon: String,
        summary: String,
        body: String,
        actions: Vec<String>,
        hints: HashMap<String, OwnedVariant>,
        expire_timeout: i32,
    ) -> u32 {
        let id = if replaces_id == 0 {
            self.next_id.fetch_add(1, Ordering::Relaxed)
        } else {
            replaces_id
        };
        let call = NotifyCall {
            id,
            sender: header.sender().map(|s| s.to_string()).unwrap_or_default(),
            app_name,
            replaces_id,
            app_icon,
            summary,
            body,
            actions,
            hints: hints
                .into_iter()
                .map(|(key, value)| (key, value.to_string()))
                .collect(),
            expire_timeout,
        };
        self.calls.lock().expect("calls lock").push(call);
        id
    }

    fn get_capabilities(&self) -> Vec<String> {
        ["actions", "body", "body-markup"]
            .map(str::to_owned)
            .to_vec()
    }

    #[zbus(out_args("name", "vendor", "version", "spec_version"))]
    fn get_server_information(&self) -> (String, String, String, String) {
        (
            "storywatch-test".to_owned(),
            "storywatch".to_owned(),
            "1".to_owned(),
            "1.2".to_owned(),
        )
    }

    async fn close_notification(
        &self,
        #[zbus(signal_emitter)] emitter: zbus::object_server::SignalEmitter<'_>,
        id: u32,
    ) -> zbus::fdo::Result<()> {
        // Reason 3: closed by a call to CloseNotification.
        emitter.notification_closed(id, 3).await?;
        Ok(())
    }

    #[zbus(signal)]
    async fn notification_closed(
        emitter: &zbus::object_server::SignalEmitter<'_>,
        id: u32,
        reason: u32,
    ) -> zbus::Result<()>;
}
