//! The `copydesk` command's machinery, as a library so that tests (and the
//! language server) can reuse discovery, configuration loading and the
//! output formats. `main.rs` only parses arguments and picks the exit code.

pub mod check;
pub mod cli;
pub mod config_file;
pub mod discover;
pub mod render;

use std::io::Write;

/// Writes `text` to stdout; a closed pipe (`| head`) is not an error.
pub fn print(text: &str) -> Result<u8, String> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(0),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(0),
        Err(e) => Err(format!("cannot write to stdout: {e}")),
    }
}
