//! `connect2forge completions SHELL` and `connect2forge man`: generated from the same clap
//! definitions as `--help`, so every subcommand `--help` lists must appear in them.

mod common;
use common::{c2f_in, root};

fn stdout(args: &[&str]) -> String {
    let out = c2f_in(root()).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The subcommands as `--help` lists them (its `Commands:` section), `help` left out.
fn subcommands() -> Vec<String> {
    let help = stdout(&["--help"]);
    let section = help
        .split_once("Commands:\n")
        .map(|(_, rest)| rest)
        .unwrap_or_else(|| panic!("no Commands: in {help}"));
    let names: Vec<String> = section
        .lines()
        .take_while(|l| l.starts_with("  "))
        // A name starts at column 3; wrapped descriptions are indented further.
        .filter(|l| !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(String::from)
        .collect();
    assert!(names.len() >= 3, "{help}");
    names
}

#[test]
fn every_shell_gets_a_script_that_completes_the_subcommands() {
    let subcommands = subcommands();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let script = stdout(&["completions", shell]);
        for sub in &subcommands {
            assert!(script.contains(sub.as_str()), "{shell}: no {sub}");
        }
        assert!(script.contains("--dry-run"), "{shell}: no migrate options");
    }
}

#[test]
fn completions_refuse_an_unknown_shell() {
    let out = c2f_in(root())
        .args(["completions", "tcsh"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bash"));
}

#[test]
fn man_page_has_a_title_and_every_subcommand() {
    let page = stdout(&["man"]);
    assert!(page.contains("\n.TH connect2forge 1 "), "{page}");
    for sub in subcommands() {
        assert!(
            page.contains(&format!("connect2forge\\-{sub}(1)")),
            "no {sub} in {page}"
        );
        // The page the main one refers to exists.
        let sub_page = stdout(&["man", &sub]);
        assert!(
            sub_page.contains(&format!("\n.TH connect2forge-{sub} 1 ")),
            "{sub_page}"
        );
    }
    let migrate = stdout(&["man", "migrate"]);
    for option in ["\\-\\-dry\\-run", "\\-\\-check", "\\-\\-format"] {
        assert!(migrate.contains(option), "no {option} in {migrate}");
    }
}

#[test]
fn man_page_of_an_unknown_subcommand_lists_the_real_ones() {
    let out = c2f_in(root()).args(["man", "nope"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("migrate") && err.contains("status"), "{err}");
}

/// The environment variables the tool reads are listed by every `--help` that runs code reading
/// them (anstream reads the colour ones, the prompt reads CI, clap's wrapping reads COLUMNS).
#[test]
fn help_lists_the_environment_variables() {
    for args in [
        &["--help"][..],
        &["migrate", "--help"],
        &["status", "--help"],
    ] {
        let help = stdout(args);
        let (_, environment) = help
            .split_once("\nEnvironment:\n")
            .unwrap_or_else(|| panic!("{args:?}: no Environment: section in {help}"));
        for var in [
            "FORCE_COLOR",
            "NO_COLOR",
            "CLICOLOR_FORCE",
            "CLICOLOR",
            "TERM",
            "CI",
            "COLUMNS",
        ] {
            assert!(
                environment
                    .lines()
                    .any(|l| l.trim_start().starts_with(&format!("{var} "))),
                "{args:?}: {var} missing from {environment}"
            );
        }
    }
}
