//! Helpers shared by the integration tests.

// Each test binary uses a different part of these helpers.
#![allow(dead_code)]

pub mod dbus;
pub mod http;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use storywatch::store::{Store, StoreError};

/// `../shared/RELATIVE`, the public evaluation data, or `None` with the
/// skip reason printed when it is absent (CI always has it).
pub fn shared_data(relative: &str) -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared")
        .join(relative);
    if path.exists() {
        Some(path)
    } else {
        eprintln!("skipped: {} is absent", path.display());
        None
    }
}

/// Opens the store in `dir` again within this test's process, after the
/// handle that had it open was dropped. sled releases a dropped database's
/// file lock from its background flusher a moment after the drop
/// (spacejam/sled#1234), so an immediate reopen may still find it locked;
/// that is waited out here. Other processes see the lock released at exit.
pub fn reopen(dir: &Path) -> Result<Store, StoreError> {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        match Store::open(dir) {
            Err(StoreError::Locked { .. }) if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(20));
            }
            opened => return opened,
        }
    }
}
