//! Live limits on requests in flight, per host and overall, and the per-host
//! "not before" times set by `Retry-After` when its scope is the host.
//!
//! Permits are taken per request and held until its body is read, so the
//! limits hold at every moment rather than per batch. The host permit is
//! always taken before the overall one: a request queued behind a busy host
//! then never sits on an overall slot, so one slow host cannot starve the
//! others, and the fixed order rules out deadlock between redirect hops.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use chrono::{DateTime, Utc};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use url::Url;

/// Host semaphores idle beyond this many are dropped, so following links to
/// thousands of article hosts over months does not grow the map for ever.
const IDLE_HOSTS_KEPT: usize = 256;

/// The key limits and gates are kept under: host and port, since two ports
/// are two servers with their own capacity.
pub(crate) fn host_key(url: &Url) -> String {
    format!(
        "{}:{}",
        url.host_str().unwrap_or(""),
        url.port_or_known_default().unwrap_or(0)
    )
}

pub(crate) struct HostLimits {
    total: Arc<Semaphore>,
    per_host: usize,
    hosts: Mutex<HashMap<String, Arc<Semaphore>>>,
}

/// Both permits for one request to one host.
pub(crate) struct Slot {
    _host: OwnedSemaphorePermit,
    _total: OwnedSemaphorePermit,
}

impl HostLimits {
    pub(crate) fn new(total: usize, per_host: usize) -> HostLimits {
        HostLimits {
            total: Arc::new(Semaphore::new(total.max(1))),
            per_host: per_host.max(1),
            hosts: Mutex::new(HashMap::new()),
        }
    }

    /// Waits for a free slot on `host` and overall, in that order.
    pub(crate) async fn acquire(&self, host: &str) -> Slot {
        let host_semaphore = self.host_semaphore(host);
        let host_permit = host_semaphore
            .acquire_owned()
            .await
            .expect("host semaphores are never closed");
        let total_permit = Arc::clone(&self.total)
            .acquire_owned()
            .await
            .expect("the overall semaphore is never closed");
        Slot {
            _host: host_permit,
            _total: total_permit,
        }
    }

    fn host_semaphore(&self, host: &str) -> Arc<Semaphore> {
        let mut hosts = lock(&self.hosts);
        if hosts.len() > IDLE_HOSTS_KEPT {
            // A semaphore referenced only by the map has no permit out and no waiter.
            hosts.retain(|_, semaphore| Arc::strong_count(semaphore) > 1);
        }
        Arc::clone(
            hosts
                .entry(host.to_owned())
                .or_insert_with(|| Arc::new(Semaphore::new(self.per_host))),
        )
    }
}

/// Hosts that asked, through `Retry-After`, not to be contacted before a time.
#[derive(Default)]
pub(crate) struct HostGate {
    not_before: Mutex<HashMap<String, DateTime<Utc>>>,
}

impl HostGate {
    /// When `host` may be contacted again, if that is still in the future.
    pub(crate) fn closed_until(&self, host: &str, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let mut gates = lock(&self.not_before);
        match gates.get(host) {
            Some(until) if *until > now => Some(*until),
            Some(_) => {
                gates.remove(host);
                None
            }
            None => None,
        }
    }

    /// Keeps the later of the existing and the new time.
    pub(crate) fn close_until(&self, host: &str, until: DateTime<Utc>) {
        let mut gates = lock(&self.not_before);
        let entry = gates.entry(host.to_owned()).or_insert(until);
        if until > *entry {
            *entry = until;
        }
    }
}

/// A panic elsewhere while holding one of these maps leaves the data valid
/// (every update is a single insert or remove), so poisoning is ignored.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_key_includes_port() {
        let a = Url::parse("http://127.0.0.1:8080/feed").expect("url");
        let b = Url::parse("https://example.org/feed").expect("url");
        assert_eq!(host_key(&a), "127.0.0.1:8080");
        assert_eq!(host_key(&b), "example.org:443");
    }

    #[test]
    fn gate_keeps_the_later_time_and_expires() {
        let gate = HostGate::default();
        let now = Utc::now();
        gate.close_until("h:80", now + chrono::Duration::seconds(60));
        gate.close_until("h:80", now + chrono::Duration::seconds(30));
        assert_eq!(
            gate.closed_until("h:80", now),
            Some(now + chrono::Duration::seconds(60))
        );
        assert_eq!(
            gate.closed_until("h:80", now + chrono::Duration::seconds(61)),
            None
        );
        assert_eq!(gate.closed_until("other:80", now), None);
    }

    #[tokio::test]
    async fn per_host_permits_are_live() {
        let limits = HostLimits::new(10, 2);
        let first = limits.acquire("h:80").await;
        let _second = limits.acquire("h:80").await;
        let third =
            tokio::time::timeout(std::time::Duration::from_millis(20), limits.acquire("h:80"))
                .await;
        assert!(third.is_err(), "a third request to one host must wait");
        let _other_host = limits.acquire("g:80").await;
        drop(first);
        let third = tokio::time::timeout(
            std::time::Duration::from_millis(200),
            limits.acquire("h:80"),
        )
        .await;
        assert!(third.is_ok(), "a released permit must be reusable at once");
    }
}
