//! Whether `copydesk check` colours what it writes: `--color`, then the
//! environment's `NO_COLOR` and `CLICOLOR_FORCE`, then whether the stream
//! is a terminal. The environment is read here, in the command's crate,
//! and nowhere below it.

use std::ffi::OsString;
use std::io::IsTerminal;

use crate::cli::ColorChoice;

/// The colour variables of the environment.
#[derive(Debug, Clone, Default)]
pub struct ColorEnv {
    /// `NO_COLOR`: any non-empty value turns colours off (no-color.org).
    pub no_color: Option<OsString>,
    /// `CLICOLOR_FORCE`: any non-empty value but `0` turns them on, even
    /// off a terminal (bixense.com/clicolors).
    pub clicolor_force: Option<OsString>,
}

impl ColorEnv {
    /// The process's.
    pub fn from_process() -> Self {
        ColorEnv {
            no_color: std::env::var_os("NO_COLOR"),
            clicolor_force: std::env::var_os("CLICOLOR_FORCE"),
        }
    }
}

/// Whether to colour a stream that is a terminal or not: the flag wins
/// over the environment, and `NO_COLOR` over `CLICOLOR_FORCE` (as
/// anstream, clap's colour crate, decides).
pub fn enabled(choice: ColorChoice, is_terminal: bool, env: &ColorEnv) -> bool {
    let set = |v: &Option<OsString>| v.as_ref().is_some_and(|v| !v.is_empty());
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto if set(&env.no_color) => false,
        ColorChoice::Auto
            if set(&env.clicolor_force) && env.clicolor_force.as_deref() != Some("0".as_ref()) =>
        {
            true
        }
        ColorChoice::Auto => is_terminal,
    }
}

/// Whether to colour standard output (`true`) or standard error.
pub fn for_stream(choice: ColorChoice, stdout: bool) -> bool {
    let is_terminal = if stdout {
        std::io::stdout().is_terminal()
    } else {
        std::io::stderr().is_terminal()
    };
    enabled(choice, is_terminal, &ColorEnv::from_process())
}

/// `text` in bold (`1`), green (`32`), cyan (`36`)…, when `on`.
pub fn paint(text: &str, sgr: &str, on: bool) -> String {
    if on {
        format!("\u{1b}[{sgr}m{text}\u{1b}[0m")
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(no_color: Option<&str>, force: Option<&str>) -> ColorEnv {
        ColorEnv {
            no_color: no_color.map(OsString::from),
            clicolor_force: force.map(OsString::from),
        }
    }

    #[test]
    fn the_flag_wins_then_no_color_then_clicolor_force_then_the_terminal() {
        use ColorChoice::{Always, Auto, Never};
        assert!(enabled(Always, false, &env(Some("1"), None)));
        assert!(!enabled(Never, true, &env(None, Some("1"))));
        assert!(enabled(Auto, true, &env(None, None)));
        assert!(!enabled(Auto, false, &env(None, None)));
        assert!(!enabled(Auto, true, &env(Some("1"), None)));
        // An empty NO_COLOR is unset.
        assert!(enabled(Auto, true, &env(Some(""), None)));
        assert!(enabled(Auto, false, &env(None, Some("1"))));
        assert!(!enabled(Auto, false, &env(None, Some("0"))));
        assert!(!enabled(Auto, false, &env(None, Some(""))));
        assert!(!enabled(Auto, false, &env(Some("1"), Some("1"))));
    }
}
