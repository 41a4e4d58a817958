//! The integration tests of `copydesk_lint`, in one test binary: the rule
//! documentation's examples and generated pages, the configuration's JSON
//! Schema file, and the YAML test suite through the pipeline.

mod config_schema_file;
mod doc_examples;
mod rule_pages;
mod yaml_suite;
