//! Helpers shared by the integration tests.

pub mod dbus;
pub mod http;
