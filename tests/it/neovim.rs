//! `copydesk server` with a real editor: headless Neovim starts it for a
//! markdown file, and the diagnostics Neovim received must be the findings
//! of `copydesk check --format json` for the same file, at the same places.
//!
//! Neovim reports 0-based lines and byte columns (it converts the
//! protocol's UTF-16 columns itself); `copydesk check` reports 1-based
//! lines and character columns. The fixture has emoji and CJK text before
//! findings on the same line, so a column counted in the wrong unit fails.
//!
//! Without `nvim` on `PATH` the test is `ignored` with the reason
//! (build.rs); under CI (`CI=true`) it runs and fails.

use crate::{support, tools};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

const FIXTURE: &str = "tests/data/server/multibyte.md";
/// How long Neovim gets, all told.
const TIMEOUT: Duration = Duration::from_secs(60);

const INIT_LUA: &str = r#"
local out = os.getenv("COPYDESK_NVIM_OUT")
local function finish(value)
  local f = assert(io.open(out, "w"))
  f:write(value)
  f:close()
  vim.cmd("qall!")
end

vim.api.nvim_create_autocmd("VimEnter", { callback = function()
  vim.cmd("edit " .. vim.fn.fnameescape(os.getenv("COPYDESK_NVIM_FILE")))
  local bufnr = vim.api.nvim_get_current_buf()
  local config = {
    name = "copydesk",
    cmd = { os.getenv("COPYDESK_BIN"), "server", "--now", os.getenv("COPYDESK_NOW") },
    root_dir = os.getenv("COPYDESK_NVIM_ROOT"),
  }
  if vim.lsp.start then
    vim.lsp.start(config, { bufnr = bufnr })
  else
    -- Neovim 0.7 (Debian bookworm) predates vim.lsp.start.
    local id = vim.lsp.start_client(config)
    vim.lsp.buf_attach_client(bufnr, id)
  end
  local got = vim.wait(30000, function() return #vim.diagnostic.get(bufnr) > 0 end, 50)
  if not got then
    finish("timeout")
    return
  end
  -- Let a second publication (after the workspace is indexed) land.
  vim.wait(500, function() return false end, 50)
  local rows = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    local code = d.code
    if code == nil and d.user_data and d.user_data.lsp then
      code = d.user_data.lsp.code
    end
    table.insert(rows, {
      code = code, lnum = d.lnum, col = d.col,
      end_lnum = d.end_lnum, end_col = d.end_col, severity = d.severity,
    })
  end
  finish(vim.json.encode(rows))
end })
"#;

/// (code, line, byte column, end line, end byte column, severity), 0-based.
type Row = (String, u64, u64, u64, u64, u64);

/// The byte offset of 1-based character column `column` in `line`.
fn byte_column(line: &str, column: u64) -> u64 {
    let chars = usize::try_from(column.saturating_sub(1)).expect("column");
    line.char_indices()
        .nth(chars)
        .map_or(line.len(), |(i, _)| i) as u64
}

#[test]
#[cfg_attr(
    copydesk_no_nvim,
    ignore = "nvim not found on PATH (apt-get install neovim; bash .ci/run installs it)"
)]
fn neovim_shows_the_findings_of_check() {
    let nvim = tools::NVIM.require(&support::workspace());
    let dir = support::tempdir();
    let text = std::fs::read_to_string(support::workspace().join(FIXTURE)).expect("fixture");
    let file = support::write(dir.path(), "article.md", &text);
    let init = support::write(dir.path(), "init.lua", INIT_LUA);
    let out = dir.path().join("diagnostics.json");

    let mut child = Command::new(&nvim)
        .args(["--headless", "-n", "-i", "NONE", "-u"])
        .arg(&init)
        .current_dir(dir.path())
        .env("COPYDESK_NVIM_OUT", &out)
        .env("COPYDESK_NVIM_FILE", &file)
        .env("COPYDESK_NVIM_ROOT", dir.path())
        .env("COPYDESK_BIN", env!("CARGO_BIN_EXE_copydesk"))
        .env("COPYDESK_NOW", support::NOW)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start nvim");
    let deadline = Instant::now() + TIMEOUT;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for nvim") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("nvim did not finish within {TIMEOUT:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let got = std::fs::read_to_string(&out).unwrap_or_default();
    assert!(status.success(), "nvim exited with {status}: {got}");
    assert_ne!(got, "timeout", "nvim received no diagnostics");
    let got: Value = serde_json::from_str(&got).expect("nvim wrote JSON");
    let num = |v: &Value| v.as_u64().expect("a number");
    let mut from_nvim: Vec<Row> = got
        .as_array()
        .expect("a list")
        .iter()
        .map(|d| {
            (
                d["code"].as_str().expect("code").to_owned(),
                num(&d["lnum"]),
                num(&d["col"]),
                num(&d["end_lnum"]),
                num(&d["end_col"]),
                num(&d["severity"]),
            )
        })
        .collect();

    let check = support::copydesk(
        dir.path(),
        &[
            "check",
            "--format",
            "json",
            "--now",
            support::NOW,
            "article.md",
        ],
    );
    let findings: Value =
        serde_json::from_str(&check.stdout).unwrap_or_else(|_| panic!("{}", check.both()));
    let lines: Vec<&str> = text.split('\n').collect();
    let line = |n: u64| lines[usize::try_from(n - 1).expect("line")];
    let mut from_check: Vec<Row> = findings
        .as_array()
        .expect("a list")
        .iter()
        .map(|f| {
            let (l, el) = (num(&f["line"]), num(&f["end_line"]));
            (
                f["code"].as_str().expect("code").to_owned(),
                l - 1,
                byte_column(line(l), num(&f["column"])),
                el - 1,
                byte_column(line(el), num(&f["end_column"])),
                if f["severity"] == "error" { 1 } else { 2 },
            )
        })
        .collect();
    from_nvim.sort();
    from_check.sort();
    assert!(
        from_check.len() >= 3,
        "the fixture has several findings: {from_check:?}"
    );
    // The fixture puts findings after multi-byte text: byte and character
    // columns differ there, so the comparison checks the conversion.
    assert!(from_check.iter().any(|r| {
        let l = line(r.1 + 1);
        r.2 as usize != l[..r.2 as usize].chars().count()
    }));
    assert_eq!(from_nvim, from_check);
}
