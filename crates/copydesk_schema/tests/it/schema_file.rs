//! The published `schemas/article.schema.json` must be exactly what the
//! contract types generate. Regenerate with
//! `COPYDESK_UPDATE_SCHEMAS=1 cargo test -p copydesk_schema --test it schema_file`.

use std::path::PathBuf;

#[test]
fn published_article_schema_is_current() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../schemas/article.schema.json");
    let generated = copydesk_schema::article_schema_json();
    if std::env::var_os("COPYDESK_UPDATE_SCHEMAS").is_some() {
        std::fs::write(&path, &generated).expect("write schema");
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "schemas/article.schema.json is stale: run `COPYDESK_UPDATE_SCHEMAS=1 cargo test -p copydesk_schema --test it schema_file`"
    );
}
