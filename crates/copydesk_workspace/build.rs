//! Computes the build identity the result cache is keyed by
//! (`COPYDESK_BUILD_ID`): a hash of the sources that decide a file's
//! findings (the schema, lint and workspace crates) and of `Cargo.lock`.
//! Two builds of the same sources share a cache; a build of other sources
//! with the same version number does not reuse its findings.

use std::path::{Path, PathBuf};

/// 64-bit FNV-1a: enough to tell two source trees apart, and no build
/// dependency.
struct Fnv(u64);

impl Fnv {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
        // A separator, so that ("ab", "c") and ("a", "bc") differ.
        self.0 ^= 0xff;
        self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
    }
}

/// Every file under `dir`, recursively.
fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        match entry.file_type() {
            Ok(t) if t.is_dir() => files(&path, out),
            Ok(t) if t.is_file() => out.push(path),
            _ => {}
        }
    }
}

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let crates = manifest.parent().unwrap_or(&manifest).to_path_buf();
    let mut hash = Fnv(0xcbf2_9ce4_8422_2325);
    hash.write(
        std::env::var("CARGO_PKG_VERSION")
            .unwrap_or_default()
            .as_bytes(),
    );
    // Outside this workspace (a packaged crate) the sibling folders are
    // missing: the identity is then this crate's sources and the version.
    let roots = [
        crates.join("copydesk_schema/src"),
        crates.join("copydesk_lint/src"),
        manifest.join("src"),
    ];
    let mut all = Vec::new();
    for root in &roots {
        println!("cargo:rerun-if-changed={}", root.display());
        files(root, &mut all);
    }
    let workspace = crates.parent().unwrap_or(&crates).to_path_buf();
    let lock = workspace.join("Cargo.lock");
    println!("cargo:rerun-if-changed={}", lock.display());
    all.push(lock);
    all.sort();
    for path in &all {
        // Relative: the same sources in another checkout are the same build.
        let rel = path.strip_prefix(&workspace).unwrap_or(path);
        hash.write(rel.to_string_lossy().as_bytes());
        hash.write(&std::fs::read(path).unwrap_or_default());
    }
    println!("cargo:rustc-env=COPYDESK_BUILD_ID={:016x}", hash.0);
}
