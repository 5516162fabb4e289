//! The desktop sink: a notification on `org.freedesktop.Notifications` over
//! the session bus (notify-rust on zbus, driven by tokio).
//!
//! The bus is whatever `DBUS_SESSION_BUS_ADDRESS` names when an alert is sent
//! (zbus falls back to `$XDG_RUNTIME_DIR/bus`), so a test or a systemd user
//! unit can point storywatch at a bus of its own.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use notify_rust::{Notification, NotificationHandle, NotificationResponse};
use tokio::task::JoinHandle;

use super::{Alert, NotifyError};

const APP_NAME: &str = "storywatch";
const NOTIFICATIONS_NAME: &str = "org.freedesktop.Notifications";
/// The action key servers invoke when the notification itself is clicked.
const DEFAULT_ACTION: &str = "default";
/// The action key of the "Open" button, for servers that show buttons only
/// for non-default actions.
const OPEN_ACTION: &str = "open";
/// How long a notification's Open action stays live. Servers normally send
/// NotificationClosed long before this; the limit covers those that never do.
const ACTION_WAIT_LIMIT: Duration = Duration::from_secs(60 * 60);
/// Longest a Notify call (and the check that follows a failed one) may
/// take; a hung notification server must not stall the pipeline.
const NOTIFY_TIMEOUT: Duration = Duration::from_secs(10);
/// Each waiting notification holds a bus connection, so only the newest
/// ones keep their Open action alive.
const ACTION_WAITERS_MAX: usize = 32;

pub(super) struct DesktopSink {
    /// Set once the session bus or the notification server turned out to be
    /// missing; the sink is then skipped for the life of the process.
    unavailable: AtomicBool,
    /// Program that opens a link, the URL appended as its last argument.
    opener: Vec<String>,
    /// Tasks waiting for a click on a shown notification.
    waiters: Mutex<VecDeque<JoinHandle<()>>>,
}

impl DesktopSink {
    pub(super) fn new(opener: Vec<String>) -> DesktopSink {
        DesktopSink {
            unavailable: AtomicBool::new(false),
            opener,
            waiters: Mutex::new(VecDeque::new()),
        }
    }

    pub(super) async fn send(&self, alert: &Alert) -> Result<(), NotifyError> {
        if self.unavailable.load(Ordering::Acquire) {
            return Ok(());
        }
        let link = alert.article.url.as_deref().filter(|url| is_web_link(url));
        let mut notification = Notification::new();
        notification
            .appname(APP_NAME)
            .summary(&alert.summary())
            .body(&alert.body());
        if link.is_some() {
            notification
                .action(DEFAULT_ACTION, "Open")
                .action(OPEN_ACTION, "Open");
        }
        let shown = async {
            match notification.show_async().await {
                Ok(handle) => Ok(handle),
                Err(error) => Err((error, desktop_missing().await)),
            }
        };
        let Ok(shown) = tokio::time::timeout(NOTIFY_TIMEOUT, shown).await else {
            return Err(NotifyError::DesktopTimeout(NOTIFY_TIMEOUT));
        };
        match shown {
            Ok(handle) => {
                if let Some(url) = link {
                    self.open_on_click(handle, url.to_owned());
                }
                Ok(())
            }
            Err((error, missing)) => match missing {
                Some(reason) => {
                    if !self.unavailable.swap(true, Ordering::AcqRel) {
                        tracing::warn!(
                            "desktop notifications are off until storywatch restarts: {reason}; \
                             other alert sinks still run"
                        );
                    }
                    Ok(())
                }
                None => Err(NotifyError::Desktop(error)),
            },
        }
    }

    /// Waits in the background for the notification's Open action, so
    /// sending never blocks on the user; the wait ends when the notification
    /// closes, after [`ACTION_WAIT_LIMIT`], or when the notifier is dropped.
    fn open_on_click(&self, handle: NotificationHandle, url: String) {
        let opener = self.opener.clone();
        let waiter = tokio::spawn(async move {
            let clicked = handle.wait_for_action_async(|response| match response {
                NotificationResponse::Default => open_link(&opener, &url),
                NotificationResponse::Action(key) if key == OPEN_ACTION => open_link(&opener, &url),
                _ => {}
            });
            // Running out of time only means nobody clicked.
            let _ = tokio::time::timeout(ACTION_WAIT_LIMIT, clicked).await;
        });
        let mut waiters = match self.waiters.lock() {
            Ok(waiters) => waiters,
            Err(poisoned) => poisoned.into_inner(),
        };
        waiters.retain(|waiter| !waiter.is_finished());
        while waiters.len() >= ACTION_WAITERS_MAX {
            if let Some(oldest) = waiters.pop_front() {
                oldest.abort();
            }
        }
        waiters.push_back(waiter);
    }
}

impl Drop for DesktopSink {
    fn drop(&mut self) {
        let waiters = match self.waiters.get_mut() {
            Ok(waiters) => waiters,
            Err(poisoned) => poisoned.into_inner(),
        };
        for waiter in waiters.drain(..) {
            waiter.abort();
        }
    }
}

/// Only web links go to the opener: a feed could name a `file:` URL, or a
/// string starting with `-` that the opener would take for an option.
fn is_web_link(url: &str) -> bool {
    url::Url::parse(url).is_ok_and(|parsed| matches!(parsed.scheme(), "http" | "https"))
}

fn open_link(opener: &[String], url: &str) {
    let Some((program, args)) = opener.split_first() else {
        return;
    };
    let spawned = tokio::process::Command::new(program)
        .args(args)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    // The opener is not awaited: tokio reaps it once it exits.
    if let Err(error) = spawned {
        tracing::warn!("could not open {url} with {program}: {error}");
    }
}

/// After a failed Notify: why the desktop cannot get notifications at all,
/// or `None` if the bus and the server are there and the failure was this
/// alert's own.
async fn desktop_missing() -> Option<String> {
    let address = match std::env::var("DBUS_SESSION_BUS_ADDRESS") {
        Ok(address) => format!("DBUS_SESSION_BUS_ADDRESS={address}"),
        Err(_) => "DBUS_SESSION_BUS_ADDRESS is not set".to_owned(),
    };
    let connection = match zbus::Connection::session().await {
        Ok(connection) => connection,
        Err(error) => return Some(format!("no D-Bus session bus ({address}): {error}")),
    };
    let has_owner = async {
        let name = zbus::names::BusName::from_static_str(NOTIFICATIONS_NAME)?;
        let proxy = zbus::fdo::DBusProxy::new(&connection).await?;
        Ok::<bool, zbus::Error>(proxy.name_has_owner(name).await?)
    };
    match has_owner.await {
        Ok(false) => Some(format!(
            "no notification server owns {NOTIFICATIONS_NAME} on the session bus ({address})"
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::is_web_link;

    #[test]
    fn only_http_links_are_opened() {
        assert!(is_web_link("https://news.example/a?b=c"));
        assert!(is_web_link("http://news.example/"));
        assert!(!is_web_link("file:///etc/passwd"));
        assert!(!is_web_link("--help"));
        assert!(!is_web_link("javascript:alert(1)"));
    }
}
