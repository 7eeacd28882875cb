//! The command-line contract as a list of cases: `tests/cmd/<case>.toml` gives the arguments, the
//! environment and the exit code, `<case>.stdout` / `<case>.stderr` the expected output, and
//! where a case reads or writes files, `<case>.in/` is the folder it runs in and `<case>.out/` the
//! folder it must leave (trycmd compares every file listed there). Cases that only read run in the
//! crate root (`fs.cwd = "../.."`), so that paths in messages are stable.
//!
//! `TRYCMD=overwrite cargo test --test cmd` rewrites the expected output after a deliberate change.

#[test]
fn cli_cases() {
    trycmd::TestCases::new()
        .register_bin(
            "connect2forge",
            std::path::PathBuf::from(env!("CARGO_BIN_EXE_connect2forge")),
        )
        .insert_var("[VERSION]", env!("CARGO_PKG_VERSION"))
        .unwrap()
        .case("tests/cmd/*.toml");
}
