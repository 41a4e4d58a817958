//! The integration tests of `copydesk_schema`, in one test binary.

mod schema_file;
