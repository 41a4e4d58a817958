//! The integration tests of `copydesk_server`, in one test binary: the
//! language server driven over stdio.

mod lsp;
mod transport;
