//! storywatch: a feed daemon that tells news editors when a story is copied,
//! rewritten or picked up elsewhere.
//!
//! The crate is laid out as the pipeline an article travels through; each
//! module uses only the ones above it in this list.
//!
//! * [`config`]  — the TOML file, parsed strictly, with precise errors; OPML
//!   subscription lists in and out.
//! * [`fetch`]   — polite HTTP: conditional GET, per-host limits, Retry-After,
//!   backoff, body caps, and when to poll each feed next.
//! * [`feed`]    — RSS, Atom and JSON Feed into entries with stable identities.
//! * [`extract`] — a page's body text, title, author, date and language.
//! * [`text`]    — normalisation, language, stop words and stems.
//! * [`matcher`] — fingerprints, similarity signals, relations, stories.
//! * [`store`]   — the sled database: articles, feeds, stories, index, alerts.
//! * [`notify`]  — desktop notifications, a command sink, the terminal.
//! * [`daemon`]  — the scheduler, the per-article pipeline, systemd's
//!   readiness and watchdog protocol, and the socket on which a running
//!   daemon answers the inspecting commands.
//! * [`cli`], [`eval`], [`demo`] — the commands on top.

pub mod config;

pub mod fetch;

pub mod feed;

pub mod extract;

pub mod text;

pub mod matcher;

pub mod store;

pub mod notify;

pub mod daemon;

pub mod cli;

pub mod eval;

pub mod demo;
