//! The published `schemas/config.schema.json` must be exactly what the
//! configuration types generate. Regenerate with
//! `COPYDESK_UPDATE_SCHEMAS=1 cargo test -p copydesk_lint --test it config_schema_file`.

use std::path::PathBuf;

#[test]
fn published_config_schema_is_current() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../schemas/config.schema.json");
    let generated = copydesk_lint::config::config_schema_json();
    if std::env::var_os("COPYDESK_UPDATE_SCHEMAS").is_some() {
        std::fs::write(&path, &generated).expect("write schema");
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "schemas/config.schema.json is stale: run `COPYDESK_UPDATE_SCHEMAS=1 cargo test -p copydesk_lint --test it config_schema_file`"
    );
}
