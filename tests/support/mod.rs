//! Helpers shared by the integration tests.

// Each test binary uses a different part of these helpers.
#![allow(dead_code)]

pub mod dbus;
pub mod http;

use std::path::{Path, PathBuf};

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
