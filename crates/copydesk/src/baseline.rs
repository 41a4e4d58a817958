//! Baselines: record today's findings so a legacy corpus can adopt
//! copydesk and fail only on new ones.
//!
//! The file is sorted, pretty JSON so that it diffs well in review. A
//! finding is matched by its [`Identity`] (path, code, key path, hash of
//! the value), not by line, so edits elsewhere in a file do not resurrect it.

use std::collections::HashSet;
use std::path::Path;

use copydesk_lint::fingerprint::{identities, Identity};
use copydesk_lint::Diagnostic;
use copydesk_workspace::fs::Bounded;
use serde::{Deserialize, Serialize};

/// The baseline file's content.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    /// Format version.
    pub version: u32,
    /// The recorded findings, sorted.
    pub findings: Vec<Identity>,
}

/// Writes the identities of the findings (from
/// [`copydesk_lint::fingerprint::identities`]) to `path`.
pub fn write(path: &Path, mut findings: Vec<Identity>) -> Result<usize, String> {
    findings.sort();
    let n = findings.len();
    let mut text = serde_json::to_string_pretty(&Baseline {
        version: 1,
        findings,
    })
    .map_err(|e| e.to_string())?;
    text.push('\n');
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(n)
}

/// The largest baseline read: ~200 bytes a finding, so half a million
/// findings, and no `/dev/zero` read until memory runs out.
pub const MAX_BYTES: u64 = 128 << 20;

/// The findings recorded in the baseline at `path`.
pub fn load(path: &Path) -> Result<HashSet<Identity>, String> {
    let cannot = |why: String| format!("cannot read baseline {}: {why}", path.display());
    // A regular file only (a FIFO would block, a device never end), bounded.
    let bytes = match copydesk_workspace::fs::read_bounded(path, MAX_BYTES) {
        Ok(Bounded::Read(bytes, _)) => bytes,
        Ok(Bounded::TooLarge(_)) => {
            return Err(cannot(format!(
                "it is larger than {MAX_BYTES} bytes, the most copydesk reads"
            )))
        }
        Err(e) => return Err(cannot(e.to_string())),
    };
    let baseline: Baseline = serde_json::from_slice(&bytes)
        .map_err(|e| format!("baseline {} is not valid: {e}", path.display()))?;
    Ok(baseline.findings.into_iter().collect())
}

/// Removes the diagnostics `known` records; each file's diagnostics must
/// all be among `diagnostics` (occurrences are counted per file).
pub fn retain_new(known: &HashSet<Identity>, diagnostics: &mut Vec<Diagnostic>) {
    let ids = identities(diagnostics);
    let mut keep = ids.iter().map(|id| !known.contains(id));
    diagnostics.retain(|_| keep.next().unwrap_or(true));
}
