//! `copydesk rules` lists every rule, and `copydesk explain` documents each.

use crate::support;

fn copydesk(args: &[&str]) -> std::process::Output {
    let mut cmd = support::command(&support::workspace());
    cmd.args(args);
    support::output(cmd, None)
}

#[test]
fn explain_works_for_every_code_rules_lists() {
    let out = copydesk(&["rules", "--json"]);
    assert_eq!(out.status.code(), Some(0));
    let rules: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).expect("rules --json");
    assert!(rules.len() >= 30, "only {} rules", rules.len());
    let table = String::from_utf8_lossy(&copydesk(&["rules"]).stdout).into_owned();
    for rule in &rules {
        let code = rule["code"].as_str().expect("code");
        assert!(
            table.contains(code),
            "`copydesk rules` does not list {code}"
        );
        let out = copydesk(&["explain", code]);
        assert_eq!(out.status.code(), Some(0), "explain {code}");
        let doc = String::from_utf8_lossy(&out.stdout);
        for section in ["## Why is this bad?", "## Examples", "## Fix"] {
            assert!(doc.contains(section), "explain {code} lacks {section}");
        }
        assert!(doc.starts_with(&format!("# {code} (")), "{doc}");
    }
    let unknown = copydesk(&["explain", "date/not-utcc"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("did you mean `date/not-utc`?"));
}
