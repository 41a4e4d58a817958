//! `copydesk server`: a Language Server over stdio.
//!
//! Editors get the same findings as `copydesk check` while an article is
//! being written, the fixes as code actions, and completion and hover in
//! the front matter. No rule logic lives here: every finding comes from
//! `copydesk_lint`, and this crate only translates between byte spans and
//! the protocol's lines and UTF-16 columns.
//!
//! One thread owns the state and reads the client's messages
//! (`main_loop`); nothing on it lints. Each lint runs on its own worker
//! thread against the shared workspace index (`workspace`), taking only
//! the entries its document's cross-file findings depend on, so a slow
//! file never holds up the others and an edit costs what the document's
//! groups hold, not the corpus; a document is linted only once it has been
//! quiet for [`DEBOUNCE`], and not before the first index of the workspace
//! (with a result cache), so its first diagnostics hold its cross-file
//! findings. Requests that need a fresh lint
//! (hover, code actions) are answered from a worker too (`requests`).
//!
//! - `main_loop`: the message loop, dispatch and lint scheduling;
//! - `documents`: the open documents;
//! - `workspace`: the configuration in force and the corpus index;
//! - `lint`: lint jobs and their findings as protocol diagnostics;
//! - `requests`: one module per request kind;
//! - `transport`: reading and writing the protocol's frames, surviving
//!   malformed ones.

mod documents;
pub mod front_matter;
mod lint;
mod main_loop;
pub mod position;
mod requests;
pub mod transport;
mod workspace;

use std::time::Duration;

pub use main_loop::serve;

/// How long a document must be unchanged before it is linted again.
pub const DEBOUNCE: Duration = Duration::from_millis(200);

/// The code action kind under which the safe fixes of a whole file are offered.
pub const FIX_ALL_KIND: &str = "source.fixAll.copydesk";

/// How the server runs.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// "Now" for date rules; the clock when `None`.
    pub now: Option<jiff::Timestamp>,
}

/// Serves the protocol on stdin/stdout until the client says exit or the
/// input ends; returns the exit code. Malformed messages are skipped and
/// reported through `log`.
pub fn run_stdio(options: Options, log: transport::Log) -> Result<u8, String> {
    let (connection, io_threads) = transport::connect(std::io::stdin(), std::io::stdout(), log);
    serve(connection, options)?;
    io_threads
        .join()
        .map_err(|e| format!("language server I/O: {e}"))?;
    Ok(0)
}
