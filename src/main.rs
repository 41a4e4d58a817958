//! The `copydesk` binary. It lives in the repository's root package so
//! that `cargo install --path .` — what pre-commit's `language: rust`
//! runs — installs it; everything it does is in the `copydesk` crate.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    copydesk::main()
}
