//! The end-to-end tests of the `copydesk` binary, in one test binary (one
//! link instead of one per file); each module is one former test file and
//! `support` holds what they share, `tools` where the outside programs
//! some of them drive are found (build.rs reads it too).

mod baseline;
mod bounds;
mod cache;
mod cli;
mod config;
mod contract;
mod conventions;
mod editor;
mod fields;
mod fix;
mod fix_properties;
mod fix_safety;
mod formats;
mod history;
mod hostile;
mod infer;
mod neovim;
mod newsroom_corpus;
mod online;
mod pre_commit;
mod rules_cli;
mod select;
mod support;
mod suppress;
mod tools;
mod walk;
mod wheel;
mod windows;
