//! Drives the language server in process over JSON-RPC, as an editor would.

use std::path::Path;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use copydesk_server::position::LineIndex;
use lsp_server::{Connection, Message, Notification, Request, RequestId};
use lsp_types::{Position, Range};
use serde_json::{json, Value};

const NOW: &str = "2026-11-22T00:00:00Z";
const TIMEOUT: Duration = Duration::from_secs(20);

fn seed() -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/seeds/article.md");
    std::fs::read_to_string(root).expect("seed article")
}

/// The seed with its own id and title.
fn article(id: &str, title: &str) -> String {
    let s = seed();
    let s = s.replacen("externalId: '57619983'", &format!("externalId: '{id}'"), 1);
    let line = s
        .lines()
        .find(|l| l.starts_with("title: "))
        .expect("title line")
        .to_owned();
    s.replacen(&line, &format!("title: {title}"), 1)
}

struct Client {
    conn: Connection,
    server: Option<JoinHandle<Result<(), String>>>,
    next: i32,
    /// Notifications received while waiting for something else.
    inbox: Vec<Notification>,
    dir: tempfile::TempDir,
}

fn uri(path: &Path) -> String {
    url::Url::from_file_path(path)
        .expect("absolute")
        .to_string()
}

impl Client {
    fn start(files: &[(&str, &str)]) -> Client {
        let dir = tempfile::tempdir().expect("temp dir");
        write_files(dir.path(), files);
        Client::start_in(dir)
    }

    /// A server on the workspace `dir`, as it is.
    fn start_in(dir: tempfile::TempDir) -> Client {
        let (server, conn) = Connection::memory();
        let options = copydesk_server::Options {
            now: Some(NOW.parse().expect("now")),
        };
        let handle = std::thread::spawn(move || copydesk_server::serve(server, options));
        let mut client = Client {
            conn,
            server: Some(handle),
            next: 0,
            inbox: Vec::new(),
            dir,
        };
        let root = uri(client.dir.path());
        let result = client.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": root,
                "workspaceFolders": [{"uri": root, "name": "ws"}],
                "capabilities": {},
            }),
        );
        assert_eq!(result["serverInfo"]["name"], "copydesk");
        client.notify("initialized", json!({}));
        client
    }

    fn uri(&self, name: &str) -> String {
        uri(&self.dir.path().join(name))
    }

    fn send(&self, m: Message) {
        self.conn.sender.send(m).expect("server alive");
    }

    fn notify(&self, method: &str, params: Value) {
        self.send(Notification::new(method.to_owned(), params).into());
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next += 1;
        let id = RequestId::from(self.next);
        self.send(Request::new(id.clone(), method.to_owned(), params).into());
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.conn.receiver.recv_timeout(left) {
                Ok(Message::Response(r)) if r.id == id => {
                    return r
                        .response_result
                        .unwrap_or_else(|e| panic!("{method}: {e:?}"));
                }
                Ok(Message::Notification(n)) => self.inbox.push(n),
                Ok(_) => {}
                Err(e) => panic!("no answer to {method}: {e}"),
            }
        }
    }

    fn open(&self, name: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": self.uri(name), "languageId": "markdown", "version": 1, "text": text}}),
        );
    }

    fn change(&self, name: &str, version: i32, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": self.uri(name), "version": version}, "contentChanges": [{"text": text}]}),
        );
    }

    /// The next diagnostics published for `name` that satisfy `accept`.
    fn diagnostics(&mut self, name: &str, accept: impl Fn(&[Value]) -> bool) -> Vec<Value> {
        let want = self.uri(name);
        let deadline = Instant::now() + TIMEOUT;
        let mut seen = Vec::new();
        loop {
            while let Some(pos) = self.inbox.iter().position(|n| {
                n.method == "textDocument/publishDiagnostics" && n.params["uri"] == want.as_str()
            }) {
                let n = self.inbox.remove(pos);
                let ds = n.params["diagnostics"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
                if accept(&ds) {
                    return ds;
                }
                seen.push(ds);
            }
            let left = deadline.saturating_duration_since(Instant::now());
            match self.conn.receiver.recv_timeout(left) {
                Ok(Message::Notification(n)) => self.inbox.push(n),
                Ok(_) => {}
                Err(_) => panic!("no matching diagnostics for {name}; saw {seen:#?}"),
            }
        }
    }

    fn shutdown(mut self) {
        assert_eq!(self.request("shutdown", Value::Null), Value::Null);
        self.notify("exit", Value::Null);
        let handle = self.server.take().expect("server thread");
        let deadline = Instant::now() + TIMEOUT;
        while !handle.is_finished() {
            assert!(Instant::now() < deadline, "the server did not exit");
            std::thread::sleep(Duration::from_millis(10));
        }
        handle
            .join()
            .expect("server thread")
            .expect("server ended cleanly");
    }
}

fn write_files(dir: &Path, files: &[(&str, &str)]) {
    for (name, text) in files {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }
}

/// Writes the result cache of the workspace `dir` (its index entries), as
/// a `copydesk check` there would leave behind.
fn write_cache(dir: &Path) {
    use copydesk_workspace::{cache, config, discover, process};
    let config_file = config::discover(dir).expect("a config file");
    let loaded = config::load_file(&config_file, dir).expect("config");
    let settings = loaded
        .settings(NOW.parse().expect("now"))
        .expect("settings");
    let discoverer = discover::Discoverer::new(dir, &loaded.root, &settings);
    let mut found = discover::Discovered::default();
    for root in &settings.config.content_roots {
        discoverer.walk(&loaded.root.join(root), &mut found);
    }
    let indexed: Vec<_> = found
        .targets
        .iter()
        .map(|t| process::read_and_index(&settings, t, None).expect("readable"))
        .collect();
    let records = found
        .targets
        .iter()
        .zip(&indexed)
        .map(|(target, i)| cache::Record {
            target,
            meta: i.meta,
            index: i.entry.as_ref(),
            lint: None,
        });
    let refused = cache::Cache::load(&loaded.root, &settings).save(true, false, records);
    assert!(refused.is_none(), "{refused:?}");
    assert!(dir.join(cache::DIR).join(cache::FILE).is_file());
}

/// A workspace of `n` articles under `content/`, each with its own id and
/// title, plus `files`.
fn workspace(n: usize, files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let articles: Vec<(String, String)> = (0..n)
        .map(|i| {
            let text = article(&format!("9{i:05}"), &format!("Story number {i}"));
            (format!("content/bulk/{i:05}.md"), text)
        })
        .collect();
    let mut all: Vec<(&str, &str)> = articles
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    all.extend_from_slice(files);
    all.push(("copydesk.toml", "content-roots = [\"content\"]\n"));
    write_files(dir.path(), &all);
    dir
}

fn codes(ds: &[Value]) -> Vec<&str> {
    ds.iter().filter_map(|d| d["code"].as_str()).collect()
}

fn range(v: &Value) -> Range {
    serde_json::from_value(v.clone()).expect("range")
}

/// Applies LSP text edits to `text`.
fn apply(text: &str, edits: &[Value]) -> String {
    let index = LineIndex::new(text);
    let mut spans: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            let r = range(&e["range"]);
            (
                index.offset(r.start),
                index.offset(r.end),
                e["newText"].as_str().expect("newText").to_owned(),
            )
        })
        .collect();
    spans.sort_by_key(|s| std::cmp::Reverse(s.0));
    let mut out = text.to_owned();
    for (start, end, new) in spans {
        out.replace_range(start..end, &new);
    }
    out
}

fn position_of(text: &str, needle: &str) -> Position {
    let at = text.find(needle).expect("needle");
    LineIndex::new(text).position(at)
}

#[test]
fn edit_fix_complete_hover_shutdown() {
    let good = article("1001", "A clean article about servers");
    let mut c = Client::start(&[("a.md", &good)]);
    c.open("a.md", &good);
    let ds = c.diagnostics("a.md", |_| true);
    assert!(ds.is_empty(), "the seed lints clean: {ds:#?}");

    // A non-UTC date appears.
    let bad = good.replacen(
        "publishedAt: '2026-01-31T18:04:41.000Z'",
        "publishedAt: '2026-01-31T20:04:41.000+02:00'",
        1,
    );
    assert_ne!(bad, good);
    c.change("a.md", 2, &bad);
    let ds = c.diagnostics("a.md", |ds| !ds.is_empty());
    assert_eq!(codes(&ds), vec!["date/not-utc"], "{ds:#?}");
    let d = &ds[0];
    assert_eq!(d["severity"], 1);
    assert_eq!(d["source"], "copydesk");
    assert!(d["codeDescription"]["href"]
        .as_str()
        .is_some_and(|h| h.ends_with("docs/rules/date/not-utc.md")));
    let value_at = position_of(&bad, "'2026-01-31T20:04:41.000+02:00'");
    assert_eq!(range(&d["range"]).start, value_at);

    // Its quick fix, applied, clears it.
    let actions = c.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": c.uri("a.md")},
            "range": d["range"],
            "context": {"diagnostics": [d]},
        }),
    );
    let actions = actions.as_array().expect("actions").clone();
    let titles: Vec<&str> = actions.iter().filter_map(|a| a["title"].as_str()).collect();
    let quickfix = actions
        .iter()
        .find(|a| a["kind"] == "quickfix" && a["isPreferred"] == true)
        .unwrap_or_else(|| panic!("a preferred quick fix in {titles:?}"));
    assert!(
        titles
            .iter()
            .any(|t| t.starts_with("Ignore `date/not-utc`")),
        "{titles:?}"
    );
    let edits = quickfix["edit"]["changes"][c.uri("a.md")]
        .as_array()
        .expect("edits")
        .clone();
    let fixed = apply(&bad, &edits);
    assert!(fixed.contains("publishedAt: '2026-01-31T18:04:41.000Z'"));
    c.change("a.md", 3, &fixed);
    let ds = c.diagnostics("a.md", |_| true);
    assert!(ds.is_empty(), "{ds:#?}");

    // The suppression action silences the finding instead.
    c.change("a.md", 4, &bad);
    let ds = c.diagnostics("a.md", |ds| !ds.is_empty());
    let actions = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": c.uri("a.md")}, "range": ds[0]["range"], "context": {"diagnostics": []}}),
    );
    let ignore = actions
        .as_array()
        .and_then(|a| {
            a.iter()
                .find(|a| a["title"].as_str().is_some_and(|t| t.starts_with("Ignore")))
        })
        .expect("ignore action")
        .clone();
    let edits = ignore["edit"]["changes"][c.uri("a.md")]
        .as_array()
        .expect("edits")
        .clone();
    let silenced = apply(&bad, &edits);
    assert!(
        silenced.contains("+02:00' # copydesk: ignore[date/not-utc]\n"),
        "{silenced}"
    );
    c.change("a.md", 5, &silenced);
    let ds = c.diagnostics("a.md", |_| true);
    assert!(ds.is_empty(), "{ds:#?}");

    // Fix-all offers the safe fixes of the whole file.
    c.change("a.md", 6, &bad);
    c.diagnostics("a.md", |ds| !ds.is_empty());
    let actions = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": c.uri("a.md")}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "context": {"diagnostics": [], "only": ["source.fixAll"]}}),
    );
    let actions = actions.as_array().expect("actions");
    assert_eq!(actions.len(), 1, "{actions:#?}");
    assert_eq!(actions[0]["kind"], "source.fixAll.copydesk");
    let edits = actions[0]["edit"]["changes"][c.uri("a.md")]
        .as_array()
        .expect("edits");
    assert_eq!(apply(&bad, edits), fixed);

    // Hover on the finding: its rule's documentation.
    let hover = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": c.uri("a.md")}, "position": value_at}),
    );
    let text = hover["contents"]["value"].as_str().expect("hover text");
    assert!(text.contains("date/not-utc"), "{text}");
    assert!(text.contains("## Why is this bad?"), "{text}");
    // Hover on a key: its description from the schema.
    let hover = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": c.uri("a.md")}, "position": position_of(&bad, "draft:")}),
    );
    let text = hover["contents"]["value"].as_str().expect("hover text");
    assert!(text.contains("A draft is not published"), "{text}");

    // Completion: top-level keys, nested keys, enum values.
    let typing = bad
        .replacen("draft: false\n", "draft: false\nsen\n", 1)
        .replacen("  type: RSS\n", "  type: RSS\n  ke\n", 1)
        .replacen("score: 0\n", "score: 0\ndraft2: \n", 1);
    c.change("a.md", 7, &typing);
    let labels = |v: &Value| -> Vec<String> {
        v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|i| i["label"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut at = position_of(&typing, "sen\n");
    at.character = 3;
    let items = c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": c.uri("a.md")}, "position": at}),
    );
    let top = labels(&items);
    assert!(
        top.contains(&"sentiment".to_owned()) && top.contains(&"coverImage".to_owned()),
        "{top:?}"
    );
    let mut at = position_of(&typing, "  ke\n");
    at.character = 4;
    let items = c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": c.uri("a.md")}, "position": at}),
    );
    let nested = labels(&items);
    assert!(nested.contains(&"key".to_owned()), "{nested:?}");
    assert!(!nested.contains(&"sentiment".to_owned()), "{nested:?}");
    let mut at = position_of(&typing, "sentiment: POSITIVE");
    at.character = "sentiment: ".len() as u32;
    let items = c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": c.uri("a.md")}, "position": at}),
    );
    assert_eq!(
        labels(&items),
        vec!["POSITIVE", "NEGATIVE", "NEUTRAL"],
        "sentiment values"
    );
    let mut at = position_of(&typing, "draft: false");
    at.character = "draft: ".len() as u32;
    let items = c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": c.uri("a.md")}, "position": at}),
    );
    assert_eq!(labels(&items), vec!["true", "false"]);

    // Malformed requests get errors, not a crash.
    let id = RequestId::from(999);
    c.send(
        Request::new(
            id,
            "textDocument/hover".to_owned(),
            json!({"nonsense": true}),
        )
        .into(),
    );
    c.notify("textDocument/didChange", json!({"garbage": [1, 2]}));
    let hover = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": c.uri("a.md")}, "position": {"line": 9999, "character": 9999}}),
    );
    assert_eq!(hover, Value::Null);

    c.shutdown();
}

#[test]
fn positions_are_utf16_code_units() {
    // Emoji (two UTF-16 units, four bytes) and CJK (one unit, three bytes)
    // before and inside findings.
    // The trailing blank is text/whitespace's finding, on that one blank,
    // after astral and CJK characters.
    let title = "'🎉 日本語のニュース 🚀 速報 '";
    let text = article("2002", title).replacen(
        "tags:\n  - MINING\n",
        "tags: ['MINING', '🎉', 'MINING']\n",
        1,
    );
    let mut c = Client::start(&[]);
    c.open("u.md", &text);
    let ds = c.diagnostics("u.md", |ds| !ds.is_empty());
    let index = |needle: &str, from_end: bool| {
        let at = if from_end {
            text.rfind(needle)
        } else {
            text.find(needle)
        }
        .expect("needle");
        let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        let line = text[..at].matches('\n').count() as u32;
        let character = text[line_start..at].encode_utf16().count() as u32;
        Position::new(line, character)
    };
    let title_d = ds
        .iter()
        .find(|d| {
            d["code"] == "text/whitespace"
                && d["message"].as_str().is_some_and(|m| m.contains("title"))
        })
        .unwrap_or_else(|| panic!("a title finding in {ds:#?}"));
    let r = range(&title_d["range"]);
    let blank = index(" '\n", false);
    assert_eq!(r.start, blank);
    let line_start = text[..text.find(" '\n").expect("blank")]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let blank_at = text.find(" '\n").expect("blank");
    assert_ne!(
        text[line_start..blank_at].encode_utf16().count(),
        text[line_start..blank_at].chars().count(),
        "the title has astral characters before the blank"
    );
    assert_eq!(r.end, Position::new(blank.line, blank.character + 1));
    let dup = ds
        .iter()
        .find(|d| d["code"] == "schema/duplicate-item")
        .unwrap_or_else(|| panic!("a duplicate tag in {ds:#?}"));
    assert_eq!(range(&dup["range"]).start, index("'MINING'", true));
    c.shutdown();
}

/// LSP counts a lone `\r` as a line break (as `\n` and `\r\n`): the
/// positions published, and those of a ranged edit, follow it.
#[test]
fn a_lone_carriage_return_is_a_line_break() {
    let text = format!("{}Intro\rmore text\n\n#### Deep heading\n", seed());
    let heading = text.find("####").expect("heading");
    let line =
        (text[..heading].matches('\n').count() + text[..heading].matches('\r').count()) as u32;
    let mut c = Client::start(&[]);
    c.open("cr.md", &text);
    let ds = c.diagnostics("cr.md", |ds| codes(ds).contains(&"body/heading-level-skip"));
    let skip = ds
        .iter()
        .find(|d| d["code"] == "body/heading-level-skip")
        .expect("finding");
    assert_eq!(range(&skip["range"]).start, Position::new(line, 0));
    // A ranged edit at that position lands on the heading.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": c.uri("cr.md"), "version": 2},
            "contentChanges": [{"range": Range::new(Position::new(line, 0), Position::new(line, 4)), "text": "###"}]}),
    );
    c.diagnostics("cr.md", |ds| {
        !codes(ds).contains(&"body/heading-level-skip")
    });
    c.shutdown();
}

#[test]
fn duplicates_across_files() {
    let b = article("3003", "The other article");
    let mut c = Client::start(&[("news/b.md", &b), ("news/a.md", &article("4004", "First"))]);
    // `a` takes `b`'s id: a duplicate of a file that is not even open.
    let a = article("3003", "First");
    c.open("news/a.md", &a);
    let ds = c.diagnostics("news/a.md", |ds| {
        codes(ds).contains(&"corpus/duplicate-external-id")
    });
    let dup = ds
        .iter()
        .find(|d| d["code"] == "corpus/duplicate-external-id")
        .expect("duplicate");
    let related = dup["relatedInformation"].as_array().expect("related");
    assert_eq!(related[0]["location"]["uri"], c.uri("news/b.md").as_str());
    assert_eq!(
        range(&related[0]["location"]["range"]).start,
        position_of(&b, "'3003'")
    );

    // Another open file takes a third id, then `a`'s: both files are
    // re-published, though only one changed.
    let c_text = article("5005", "Third");
    c.open("news/c.md", &c_text);
    let ds = c.diagnostics("news/c.md", |_| true);
    assert!(ds.is_empty(), "{ds:#?}");
    c.change("news/a.md", 2, &article("6006", "First"));
    c.diagnostics("news/a.md", |ds| ds.is_empty());
    c.change("news/c.md", 2, &article("6006", "Third"));
    c.diagnostics("news/c.md", |ds| {
        codes(ds).contains(&"corpus/duplicate-external-id")
    });
    let ds = c.diagnostics("news/a.md", |ds| {
        codes(ds).contains(&"corpus/duplicate-external-id")
    });
    assert!(!ds.is_empty());
    c.shutdown();
}

#[test]
fn bad_config_is_reported_and_reloaded() {
    let good = article("7007", "Config test");
    let mut c = Client::start(&[("copydesk.toml", "content-roots = 5\n"), ("a.md", &good)]);
    let ds = c.diagnostics("copydesk.toml", |ds| !ds.is_empty());
    assert_eq!(range(&ds[0]["range"]).start, Position::new(0, 16));
    // Linting still works, on the defaults.
    c.open("a.md", &good);
    assert!(c.diagnostics("a.md", |_| true).is_empty());
    // Fixed on disk: the diagnostic goes.
    std::fs::write(
        c.dir.path().join("copydesk.toml"),
        "content-roots = [\".\"]\n",
    )
    .expect("write");
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": c.uri("copydesk.toml"), "type": 2}]}),
    );
    c.diagnostics("copydesk.toml", |ds| ds.is_empty());
    c.shutdown();
}

/// With a result cache, the server indexes the corpus before it publishes:
/// the first diagnostics of each opened document already hold their
/// cross-file findings, never a set without them and then another. Two
/// open documents sharing an id each see the other's (the one not yet
/// linted through its disk entry).
#[test]
fn the_first_publication_holds_corpus_findings_when_a_cache_exists() {
    let a = article("3003", "First");
    let b = article("3003", "Second");
    let c_text = article("4004", "Third");
    let dir = workspace(
        3000,
        &[
            ("content/a.md", &a),
            ("content/b.md", &b),
            ("content/c.md", &c_text),
        ],
    );
    write_cache(dir.path());
    let mut c = Client::start_in(dir);
    c.open("content/a.md", &a);
    c.open("content/b.md", &b);
    c.open("content/c.md", &c_text);
    for name in ["content/a.md", "content/b.md"] {
        let first = c.diagnostics(name, |_| true);
        assert!(
            codes(&first).contains(&"corpus/duplicate-external-id"),
            "{name}: {first:#?}"
        );
    }
    // Once the index is there, a document is published once, at once.
    let first = c.diagnostics("content/c.md", |_| true);
    assert!(first.is_empty(), "{first:#?}");
    c.shutdown();
}

/// An edit that gives one open document another's headline updates the
/// other's findings though it did not change; undoing it clears them.
#[test]
fn an_edited_title_updates_the_other_open_documents() {
    let a = article("1001", "Markets rally on rate cut");
    let b = article("2002", "Something else entirely");
    let mut c = Client::start(&[("news/a.md", &a), ("news/b.md", &b)]);
    c.open("news/a.md", &a);
    c.open("news/b.md", &b);
    assert!(c.diagnostics("news/a.md", |_| true).is_empty());
    assert!(c.diagnostics("news/b.md", |_| true).is_empty());
    c.change(
        "news/b.md",
        2,
        &article("2002", "Markets rally on rate cut"),
    );
    c.diagnostics("news/b.md", |ds| {
        codes(ds).contains(&"corpus/duplicate-title")
    });
    let ds = c.diagnostics("news/a.md", |ds| {
        codes(ds).contains(&"corpus/duplicate-title")
    });
    let dup = ds
        .iter()
        .find(|d| d["code"] == "corpus/duplicate-title")
        .expect("duplicate title");
    assert_eq!(
        dup["relatedInformation"][0]["location"]["uri"],
        c.uri("news/b.md").as_str()
    );
    c.change("news/b.md", 3, &b);
    c.diagnostics("news/b.md", |ds| ds.is_empty());
    c.diagnostics("news/a.md", |ds| ds.is_empty());
    c.shutdown();
}
