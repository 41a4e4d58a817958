//! `gen-corpus DIR N [SEED] [DEFECTS_PER_MILLE]`: writes N generated articles under DIR.

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(dir), Some(n)) = (args.first(), args.get(1).and_then(|n| n.parse().ok())) else {
        eprintln!("usage: gen-corpus DIR N [SEED] [DEFECTS_PER_MILLE]");
        return std::process::ExitCode::from(2);
    };
    let seed = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(42);
    let defects = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(0);
    match copydesk_bench::generate(std::path::Path::new(dir), n, seed, defects) {
        Ok(n) => {
            eprintln!("wrote {n} articles to {dir}");
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("gen-corpus: {e}");
            std::process::ExitCode::from(2)
        }
    }
}
