//! The command line: turning arguments into the library's options, colour, the confirmation
//! prompt, printing, and exit codes. Everything else is in the library, which never prints;
//! errors become messages here, once.

mod args;
mod colour;
mod originals;

use std::io::{IsTerminal, Read, Write};
use std::path::Path;
use std::process::ExitCode;

use anstream::AutoStream;
use anstyle::{AnsiColor, Style};
use clap::{CommandFactory, Parser};

pub use args::Cli;
use args::{ColorWhen, Command, Format, MigrateArgs, StatusArgs, StatusFormat};

use crate::diagnostics::Severity;
use crate::error::{one_line, Error};
use crate::migration::{Input, Migration, Options, Prepared, MAX_INPUT_BYTES};
use crate::review::emit::{self, printable};
use crate::review::plan::Status;
use crate::review::{github, junit, sarif};

/// Runs the program; returns the exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    // One colour choice for every stream of the run; migrate's flags take part in it.
    let flag = match &cli.command {
        Command::Migrate(args) => args.color(),
        _ => ColorWhen::Auto,
    };
    colour::apply(flag);
    let result = match cli.command {
        Command::Migrate(args) => migrate(&args),
        Command::Templates { dir } => export_templates(&dir),
        Command::Status(args) => status(&args),
        Command::Completions { shell } => completions(shell),
        Command::Explain { code } => explain(code.as_deref()),
        Command::Man { subcommand } => man_page(subcommand.as_deref()),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            report_error(&e);
            ExitCode::from(e.exit_code())
        }
    }
}

/// The one place errors become messages.
fn report_error(e: &Error) {
    let mut err = AutoStream::auto(std::io::stderr());
    let red = Style::new().fg_color(Some(AnsiColor::Red.into())).bold();
    match e {
        Error::Input(diags) => {
            for line in crate::error::grouped_lines(diags) {
                let _ = writeln!(err, "{}", one_line(&line));
            }
            let n = diags
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .count();
            let _ = writeln!(
                err,
                "{red}error{red:#}: {n} problem(s) found; nothing was written"
            );
        }
        // A template's error quotes the template over several lines (handlebars' own layout).
        Error::Template { .. } => {
            let _ = writeln!(err, "{red}error{red:#}: {}", printable(&e.to_string()));
        }
        other => {
            let _ = writeln!(err, "{red}error{red:#}: {}", one_line(&other.to_string()));
        }
    }
}

fn options(args: &MigrateArgs) -> Result<Options, Error> {
    let input = if args.descriptor == Path::new("-") {
        let mut buf = Vec::new();
        std::io::stdin()
            .lock()
            .take(MAX_INPUT_BYTES + 1)
            .read_to_end(&mut buf)
            .map_err(|e| Error::io("<stdin>", e))?;
        Input::Stdin(buf)
    } else {
        Input::Path(args.descriptor.clone())
    };
    Ok(Options {
        input,
        out: args.out.clone(),
        vars: args.vars.iter().cloned().collect(),
        product: args.product,
        templates: args.templates.clone(),
        source: args.source.clone(),
        pages: args.pages.clone(),
        keep_connect: args.keep_connect.clone(),
    })
}

fn migrate(args: &MigrateArgs) -> Result<u8, Error> {
    let format = args.format();
    let prepared = match Migration::prepare(&options(args)?) {
        Ok(p) => p,
        // The CI formats report bad input as a document too, so the annotations point at it.
        Err(Error::Input(diags)) if format.is_ci() => {
            let doc = match format {
                Format::Sarif => format!("{:#}\n", sarif::errors(&diags, &cwd())),
                Format::Junit => junit::errors(&diags),
                _ => github::errors(&diags, &annotation_base()),
            };
            let _ = std::io::stdout().write_all(doc.as_bytes());
            return Err(Error::Input(diags));
        }
        Err(e) => return Err(e),
    };
    // anstream's global choice, set in `main` from --color, --no-color and the environment.
    let mut out = AutoStream::auto(std::io::stdout());
    let mut err = AutoStream::auto(std::io::stderr());
    if !args.quiet {
        for note in prepared.notes() {
            let _ = writeln!(err, "note: {}", printable(note));
        }
    }
    let review = prepared.review();
    if let Some(file) = &args.report {
        // Written whatever the mode: a dry run's report is the review to share.
        let html = prepared.report(args.templates.as_deref())?;
        crate::write::write_atomic(file, html.as_bytes())?;
        if !args.quiet {
            let _ = writeln!(err, "      Report {}", file.display());
        }
    }
    if let Some(dir) = &args.originals {
        let n = originals::write(review, dir)?;
        if !args.quiet {
            let _ = writeln!(err, "   Originals {n} page(s) in {}", dir.display());
        }
    }
    let colour = out.current_choice() != anstream::ColorChoice::Never;
    let shown = match format {
        Format::Json => writeln!(out, "{:#}", emit::json(review)),
        Format::Sarif => writeln!(out, "{:#}", sarif::review(review, &cwd())),
        Format::Junit => out.write_all(junit::review(review, args.mode.check).as_bytes()),
        Format::Github => {
            out.write_all(github::review(review, &annotation_base(), colour).as_bytes())
        }
        Format::Text if args.quiet => Ok(()),
        Format::Text => {
            let diffs = match args.diff {
                args::DiffMode::Summary => emit::Diffs::Summary,
                args::DiffMode::All => emit::Diffs::All,
            };
            // The review (ending with the to-do list), then its warnings, grouped, then what
            // happened to the files.
            // Prose wraps to the terminal's width; a pipe or file gets one line per item.
            let out_width = terminal_width(std::io::stdout());
            let err_width = terminal_width(std::io::stderr());
            let shown = out
                .write_all(emit::text_with(review, colour, diffs, out_width).as_bytes())
                .and_then(|()| out.flush());
            let _ =
                err.write_all(emit::wrap(&emit::warnings_coloured(review), err_width).as_bytes());
            if args.mode.dry_run || args.mode.check {
                let _ = writeln!(
                    err,
                    "{}",
                    emit::closing(review, args.mode.check, &command_line(args))
                );
            }
            shown
        }
    };
    let shown = shown.and_then(|()| out.flush());
    let plan = &review.plan;
    if let Err(e) = shown {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            // A closed pipe (`| head`) is not an error, but --check still says what it found.
            return Ok(u8::from(args.mode.check && plan.has_changes()));
        }
        return Err(Error::io("<stdout>", e));
    }
    if args.mode.dry_run {
        return Ok(0);
    }
    if args.mode.check {
        return Ok(u8::from(plan.has_changes()));
    }
    if !plan.has_changes() {
        if !args.quiet {
            let _ = writeln!(
                err,
                "Nothing to do: {} is up to date.",
                plan.out_dir.display()
            );
        }
        return Ok(0);
    }
    if !args.yes && !confirm(&mut err, &prepared, args)? {
        return Ok(1);
    }
    // A failed write's message names the files already written (`Error::PartlyWritten`); a
    // refusal before writing (the lock, a file changed since the review) wrote nothing.
    let written = prepared.apply()?;
    if args.quiet {
        return Ok(0);
    }
    let green = Style::new().fg_color(Some(AnsiColor::Green.into())).bold();
    for path in &written {
        let status = plan.changes.iter().find(|c| &c.file.path == path);
        let verb = match status.map(|c| c.status) {
            Some(Status::Change) => "Updated",
            _ => "Created",
        };
        let _ = writeln!(
            err,
            "{green}{verb:>12}{green:#} {}",
            plan.out_dir.join(path).display()
        );
    }
    Ok(0)
}

/// `connect2forge explain [CODE]`: one code's explanation, or the list of codes.
fn explain(code: Option<&str>) -> Result<u8, Error> {
    let mut out = AutoStream::auto(std::io::stdout());
    let width = terminal_width(std::io::stdout());
    let Some(code) = code else {
        let mut all: Vec<&crate::codes::Code> = crate::codes::CODES.iter().collect();
        all.push(&crate::codes::OTHER);
        all.sort_by_key(|c| c.id);
        for c in all {
            let _ = writeln!(out, "{}  {}", c.id, c.name);
        }
        return Ok(0);
    };
    let Some(c) = crate::codes::find(code) else {
        let mut ids: Vec<&str> = crate::codes::CODES.iter().map(|c| c.id).collect();
        ids.sort();
        return Err(Error::Usage(format!(
            "no code {code}; choose from {} (or run `connect2forge explain` for the list)",
            ids.join(", ")
        )));
    };
    let body = textwrap::fill(c.explanation, width.unwrap_or(100).clamp(40, 100));
    let _ = writeln!(out, "{} ({})\n\n{body}", c.id, c.name);
    Ok(0)
}

/// The terminal's width when `stream` is a terminal (the size is asked of the controlling
/// terminal, the same for stdout and stderr).
fn terminal_width(stream: impl IsTerminal) -> Option<usize> {
    if !stream.is_terminal() {
        return None;
    }
    terminal_size::terminal_size().map(|(w, _)| usize::from(w.0))
}

/// The migrate command as the user could type it again (to tell them how to write).
fn command_line(args: &MigrateArgs) -> String {
    let mut words = vec![
        "connect2forge".to_string(),
        "migrate".to_string(),
        shell_word(&args.descriptor.display().to_string()),
    ];
    if let Some(out) = &args.out {
        words.push("--out".into());
        words.push(shell_word(&out.display().to_string()));
    }
    words.join(" ")
}

/// A word as a POSIX shell reads it back: as it is when plain, else single-quoted.
fn shell_word(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-+=:@,".contains(c));
    if plain {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// Where the tool runs: SARIF's `%SRCROOT%`, against which the relative paths resolve.
fn cwd() -> std::path::PathBuf {
    std::env::current_dir().unwrap_or_default()
}

/// What annotation paths are relative to: GitHub's workspace (the repository's root) when the
/// tool runs inside it, so that a run in a subfolder still points at the right files.
fn annotation_base() -> github::Base {
    github::Base {
        cwd: cwd(),
        workspace: std::env::var_os("GITHUB_WORKSPACE").map(Into::into),
    }
}

/// Asks on a terminal; elsewhere (CI, pipes, a descriptor read from stdin, --non-interactive,
/// --quiet) says which flag writes.
fn confirm(err: &mut dyn Write, prepared: &Prepared, args: &MigrateArgs) -> Result<bool, Error> {
    let why = if args.non_interactive {
        Some("not asking (--non-interactive)")
    } else if args.quiet {
        Some("not asking (--quiet shows no review to confirm)")
    } else if !(std::io::stdin().is_terminal()
        && std::io::stderr().is_terminal()
        && std::env::var_os("CI").is_none()
        && args.descriptor != Path::new("-"))
    {
        Some("not asking without a terminal")
    } else {
        None
    };
    if let Some(why) = why {
        let _ = writeln!(
            err,
            "Nothing was written: {why}. Re-run with --yes to write these changes, or --dry-run to only review them."
        );
        return Ok(false);
    }
    let _ = write!(
        err,
        "Write these changes to {}? [y/N] ",
        prepared.review().plan.out_dir.display()
    );
    let _ = err.flush();
    let mut answer = String::new();
    std::io::stdin()
        .read_line(&mut answer)
        .map_err(|e| Error::io("<stdin>", e))?;
    let yes = matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes");
    if !yes {
        let _ = writeln!(err, "Nothing was written.");
    }
    Ok(yes)
}

fn export_templates(dir: &Path) -> Result<u8, Error> {
    let mut err = AutoStream::auto(std::io::stderr());
    for (target, created) in crate::scaffold::export(dir)? {
        match created {
            true => writeln!(err, "{:>12} {}", "Created", target.display()),
            false => writeln!(err, "{:>12} {} (exists)", "Kept", target.display()),
        }
        .ok();
    }
    Ok(0)
}

fn status(args: &StatusArgs) -> Result<u8, Error> {
    let report = crate::migration::status(&args.path)?;
    let mut out = AutoStream::auto(std::io::stdout());
    let shown = if args.json || args.format == StatusFormat::Json {
        writeln!(out, "{:#}", report.json())
    } else {
        write!(out, "{}", printable(&report.text()))
    };
    if let Err(e) = shown {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            return Err(Error::io("<stdout>", e));
        }
    }
    Ok(u8::from(
        args.strict && (report.connect_remains() || report.errors() > 0),
    ))
}

/// The completion script for `shell`, from the same clap definitions as `--help`.
fn completions(shell: clap_complete::Shell) -> Result<u8, Error> {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "connect2forge", &mut script);
    print_bytes(&script)
}

/// The man page (roff) of the program or of one subcommand, from the same clap definitions as
/// `--help`.
fn man_page(subcommand: Option<&str>) -> Result<u8, Error> {
    let mut cmd = Cli::command();
    // Built, a subcommand's name is `connect2forge-migrate`, the page the main one refers to.
    cmd.build();
    if let Some(name) = subcommand {
        let names: Vec<&str> = cmd.get_subcommands().map(|c| c.get_name()).collect();
        cmd = match cmd.find_subcommand(name) {
            Some(sub) => sub.clone(),
            None => {
                return Err(Error::Usage(format!(
                    "no subcommand `{name}` (choose from: {})",
                    names.join(", ")
                )))
            }
        };
    }
    let mut page = Vec::new();
    clap_mangen::Man::new(cmd)
        .render(&mut page)
        .map_err(|e| Error::io("<man page>", e))?;
    print_bytes(&page)
}

/// Writes to stdout; a closed pipe is a quiet success.
fn print_bytes(bytes: &[u8]) -> Result<u8, Error> {
    match std::io::stdout().write_all(bytes) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Error::io("<stdout>", e)),
        _ => Ok(0),
    }
}
