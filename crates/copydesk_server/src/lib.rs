//! `copydesk server`: a Language Server over stdio.
//!
//! Editors get the same findings as `copydesk check` while an article is
//! being written, the fixes as code actions, and completion and hover in
//! the front matter. No rule logic lives here: every finding comes from
//! `copydesk_lint`, and this crate only translates between byte spans and
//! the protocol's lines and UTF-16 columns.
//!
//! One thread owns the state and reads the client's messages; each lint
//! runs on its own worker thread, so a slow file never holds up the
//! others, and a document is linted only once it has been quiet for
//! [`DEBOUNCE`].

pub mod front_matter;
pub mod position;
mod server;

use std::time::Duration;

pub use server::serve;

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

/// Serves the protocol on stdin/stdout until the client says exit;
/// returns the exit code.
pub fn run_stdio(options: Options) -> Result<u8, String> {
    let (connection, io_threads) = lsp_server::Connection::stdio();
    serve(connection, options)?;
    io_threads
        .join()
        .map_err(|e| format!("language server I/O: {e}"))?;
    Ok(0)
}
