//! What the `copydesk` command and the language server both stand on:
//! configuration discovery and loading ([`config`]), file discovery
//! ([`discover`]), the result cache ([`cache`]), bounded reads and atomic
//! writes ([`fs`]), where `--fix` may write ([`write_guard`]), learning
//! a contract from a corpus ([`infer`]), one file through a run
//! ([`process`], [`report`]) and a corpus session ([`session`]).
//!
//! Like the lint crate, it never prints, reads the environment or exits:
//! errors are values the front ends render their own way.

pub mod cache;
pub mod config;
pub mod discover;
pub mod fs;
pub mod git;
pub mod git_index;
pub mod infer;
pub mod process;
pub mod report;
pub mod session;
pub mod write_guard;
