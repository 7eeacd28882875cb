//! The command line: arguments, the one place errors become user messages, colour, prompting,
//! and exit codes. Everything else is in the library modules and never prints.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anstream::AutoStream;
use anstyle::{AnsiColor, Style};
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::descriptor::ReadOptions;
use crate::error::{one_line, Diagnostic, Error, Severity};
use crate::plan::{Plan, Status};
use crate::product::Product;
use crate::render::{Templates, DEFAULTS};
use crate::report::Review;
use crate::source::SourceText;

/// Inputs larger than this are refused before they are read whole (the largest real descriptors
/// are tens of kilobytes).
pub const MAX_INPUT_BYTES: u64 = 16 * 1024 * 1024;

const EXIT_CODES: &str = "Exit codes:
  0  done, or nothing to do
  1  changes pending (--check, or a real run that was not confirmed)
  2  bad input or usage (nothing is written)
  3  I/O failure";

/// Move Atlassian Connect apps to Forge: background scripts become native Forge modules, the rest
/// keeps running through connectModules, and every file is shown as a diff before it is written.
#[derive(Debug, Parser)]
#[command(name = "connect2forge", version, after_help = EXIT_CODES, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Migrate a Connect descriptor into a Forge app folder, or a Forge manifest.yml in place (review first, then write).
    #[command(after_help = EXIT_CODES)]
    Migrate(MigrateArgs),
    /// Copy the built-in templates into a folder, to edit and pass to --templates.
    Templates {
        /// The folder to write the templates into (created if missing; existing files are kept).
        dir: PathBuf,
    },
    /// Report how far a Forge app is from "fully Forge", and check what Atlassian's validator skips.
    #[command(after_help = STATUS_EXIT_CODES)]
    Status(StatusArgs),
}

const STATUS_EXIT_CODES: &str = "Exit codes:
  0  the report was printed
  1  with --strict: something Connect remains (or an error was found)
  2  bad input (no manifest, or one that does not parse)";

#[derive(Debug, Args)]
struct StatusArgs {
    /// The Forge app folder, or its manifest.yml.
    #[arg(default_value = ".")]
    path: PathBuf,

    /// Print one JSON document instead of text (for CI).
    #[arg(long)]
    json: bool,

    /// Exit 1 when a Connect module, Connect scope or app.connect field other than key remains,
    /// or when a problem of severity error is found.
    #[arg(long)]
    strict: bool,
}

#[derive(Debug, Args)]
struct MigrateArgs {
    /// The Connect descriptor (atlassian-connect.json), or `-` for stdin. A Forge manifest
    /// (manifest.yml) is adopted in place instead: its jiraBackgroundScripts are migrated.
    #[arg(default_value = "atlassian-connect.json")]
    descriptor: PathBuf,

    /// The Forge app folder to create or update [default: forge-app; for a manifest.yml input,
    /// the manifest's folder].
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,

    #[command(flatten)]
    mode: Mode,

    /// Write without asking (needed when stdin is not a terminal).
    #[arg(long, short = 'y')]
    yes: bool,

    /// Fill a template placeholder ({{NAME}} or ${NAME}) instead of turning it into a Forge variable.
    #[arg(long = "var", value_name = "NAME=VALUE", value_parser = parse_var)]
    vars: Vec<(String, String)>,

    /// The product, when the modules do not tell.
    #[arg(long, value_enum)]
    product: Option<Product>,

    /// A folder whose files replace built-in templates of the same name (see `connect2forge templates`).
    #[arg(long, value_name = "DIR")]
    templates: Option<PathBuf>,

    /// When to colour the diff.
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto)]
    color: ColorWhen,

    /// Output format of the review.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

#[derive(Debug, Args)]
#[group(multiple = false)]
struct Mode {
    /// Show the review (summary and diff of every file), write nothing, exit 0.
    #[arg(long)]
    dry_run: bool,
    /// Like --dry-run, but exit 1 when anything would change (for CI).
    #[arg(long)]
    check: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ColorWhen {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Json,
}

fn parse_var(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.is_empty() => Ok((k.to_string(), v.to_string())),
        _ => Err(format!("expected NAME=VALUE, got `{s}`")),
    }
}

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
    let result = match cli.command {
        Command::Migrate(args) => migrate(&args),
        Command::Templates { dir } => export_templates(&dir),
        Command::Status(args) => status(&args),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            report_error(&e);
            ExitCode::from(e.exit_code())
        }
    }
}

/// Text for a terminal: control characters (other than line breaks and tabs) and bidi formatting
/// characters from the input are shown as escapes, so a value cannot retitle the window, clear
/// the review being confirmed, or reorder what it shows.
pub fn printable(s: &str) -> std::borrow::Cow<'_, str> {
    // Nearly every line is printable ASCII, settled by a byte scan: every character escaped
    // below is either an ASCII control or not ASCII.
    // (A fold without an early exit vectorizes.)
    let ascii = |ok, b| ok & matches!(b, b' '..=b'~' | b'\n' | b'\t');
    if s.bytes().fold(true, ascii) {
        return s.into();
    }
    let bad = |c: char| {
        (c.is_control() && !matches!(c, '\n' | '\t'))
            || matches!(c, '\u{2028}' | '\u{2029}')
            || crate::render::is_bidi_control(c)
    };
    if !s.chars().any(bad) {
        return s.into();
    }
    let mut escaped = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if bad(c) {
            escaped.extend(c.escape_unicode());
        } else {
            escaped.push(c);
        }
    }
    escaped.into()
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

fn read_input(path: &Path) -> Result<SourceText, Error> {
    let too_big = |name: &str| {
        Error::input(Diagnostic::file_error(
            name,
            format!(
                "the input is larger than {} MiB; a Connect descriptor is far smaller: is this the right file?",
                MAX_INPUT_BYTES / 1024 / 1024
            ),
        ))
    };
    let bad = |name: &str, message: String| Error::input(Diagnostic::file_error(name, message));
    let (name, bytes) = if path == Path::new("-") {
        let mut buf = Vec::new();
        std::io::stdin()
            .lock()
            .take(MAX_INPUT_BYTES + 1)
            .read_to_end(&mut buf)
            .map_err(|e| Error::io("<stdin>", e))?;
        if buf.len() as u64 > MAX_INPUT_BYTES {
            return Err(too_big("<stdin>"));
        }
        ("<stdin>".to_string(), buf)
    } else {
        let name = path.display().to_string();
        let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => bad(
                &name,
                "no such file (pass the descriptor's path, or - for stdin)".into(),
            ),
            _ => Error::io(path, e),
        })?;
        if !meta.is_file() {
            return Err(bad(
                &name,
                "not a regular file (a folder, FIFO or device): pass the descriptor file itself"
                    .into(),
            ));
        }
        if meta.len() > MAX_INPUT_BYTES {
            return Err(too_big(&name));
        }
        // Sized up front: growing by doubling would copy a big descriptor several times.
        let mut buf = Vec::with_capacity(usize::try_from(meta.len()).map_or(0, |n| n + 1));
        std::fs::File::open(path)
            .and_then(|f| f.take(MAX_INPUT_BYTES + 1).read_to_end(&mut buf))
            .map_err(|e| Error::io(path, e))?;
        (name, buf)
    };
    let bom = bytes.starts_with(&[0xEF, 0xBB, 0xBF]);
    let text = crate::source::decode(&name, bytes)?;
    let mut src = SourceText::new(name, text);
    src.bom = bom;
    Ok(src)
}

/// `--out/manifest.yml`, read once (through the same path check as every write) for the three
/// things that need it: adopting it, keeping its `app.id`, merging the user's edits.
fn out_manifest(out: &Path) -> Result<Option<String>, Error> {
    let path = crate::apply::resolve(out, "manifest.yml")?;
    if path.is_dir() {
        return Ok(None); // the plan refuses it, naming it
    }
    // Missing or not UTF-8: nothing to adopt, keep or merge; the plan shows the file being
    // created or replaced. A FIFO, device or huge file is refused (exit 2).
    Ok(crate::apply::read_regular(&path)?.and_then(|b| String::from_utf8(b).ok()))
}

/// `app.id` of a manifest already in the output folder, so a re-run keeps the registered app.
/// The reference reading: a manifest that does not parse as a whole has none.
fn existing_app_id(text: &str) -> Option<String> {
    // parse_back gives yaml_serde's value (or error) for every text, without its event buffer.
    let v = crate::render::parse_back::parse(text).ok()?;
    v.get("app")?.get("id")?.as_str().map(str::to_string)
}

/// `app.id` read from the top-level `app:` block alone, for a manifest laid out as connect2forge
/// writes it: only comments before a line `app:`, no other top-level line that could be an `app`
/// key, a document marker or a directive. None when the layout is any other.
///
/// On such a manifest this is what [`existing_app_id`] reads, provided the rest of the file
/// parses: [`with_existing_app_id`] settles that.
fn app_id_from_block(text: &str) -> Option<String> {
    let column0 = |line: &str| !line.starts_with([' ', '\t', '\r', '\n', '#']);
    let mut start = 0;
    let mut lines = text.split_inclusive('\n');
    let app_line = loop {
        let line = lines.next()?;
        if line.trim_end_matches([' ', '\t', '\r', '\n']) == "app:" {
            break line;
        }
        let content = line.trim_start_matches([' ', '\t']);
        if !(content.trim_end_matches(['\r', '\n']).is_empty() || content.starts_with('#')) {
            return None;
        }
        start += line.len();
    };
    // The block ends before the next line that starts in column 0 and is not a comment.
    let mut end = start + app_line.len();
    for line in lines {
        if column0(line) {
            break;
        }
        end += line.len();
    }
    // The other top-level lines: a second `app` key (plain, quoted, complex, in a flow mapping,
    // behind an anchor or tag) or another document would change or void the full parse.
    let suspect = |line: &str| {
        column0(line)
            && (line.starts_with("app")
                || line.starts_with(['"', '\'', '?', '{', '[', '&', '*', '!', '%', '<'])
                || line.starts_with("---")
                || line.starts_with("..."))
    };
    if text[end..].split('\n').any(suspect) {
        return None;
    }
    let v: serde_json::Value = serde_yaml::from_str(&text[start..end]).ok()?;
    v.get("app")?.get("id")?.as_str().map(str::to_string)
}

/// Runs `run` with the `app.id` that [`existing_app_id`] reads from `current` (the manifest in
/// the output folder), without parsing a whole large manifest when the run shows it needless.
///
/// The full parse of a 20,000-module manifest (3.3 MB) was 14 % of a re-run. The `app:` block
/// alone gives the same id unless the rest of the file does not parse; a run with that id whose
/// manifest (`reproduces`) is `current` byte for byte proves it does: every rendered manifest is
/// parsed back and checked to carry the `app.id` it was given before anything is shown (a run
/// whose check fails stops there, whichever id it used). Otherwise the full parse decides, and
/// the run is repeated if it disagrees.
fn with_existing_app_id<T>(
    current: Option<&str>,
    run: impl Fn(Option<&str>) -> Result<T, Error>,
    reproduces: impl Fn(&T, &str) -> bool,
) -> Result<T, Error> {
    let Some(text) = current else {
        return run(None);
    };
    let Some(guess) = app_id_from_block(text) else {
        return run(existing_app_id(text).as_deref());
    };
    let result = run(Some(&guess));
    if result.as_ref().is_ok_and(|r| reproduces(r, text)) {
        return result;
    }
    match existing_app_id(text) {
        Some(id) if id == guess => result,
        exact => run(exact.as_deref()),
    }
}

fn migrate(args: &MigrateArgs) -> Result<u8, Error> {
    let src = read_input(&args.descriptor)?;
    // Said when the name and the content disagree (issue 11.6): which kind it was read as.
    let kind_note = crate::adopt::kind_note(&args.descriptor, &src.text);
    let (out, current) = match adopt_target(args, &src)? {
        Adopt::Manifest(out) => return adopt(args, src, &out, kind_note),
        Adopt::OutManifest(out) => {
            let manifest = out.join("manifest.yml");
            let _ = writeln!(
                AutoStream::auto(std::io::stderr()),
                "note: {} carries connectModules.{}: adopting it in place (the descriptor is not read again)",
                manifest.display(),
                crate::adopt::SCRIPTS_TYPE
            );
            return adopt(args, read_input(&manifest)?, &out, None);
        }
        Adopt::No(out, current) => (out, current),
    };
    let options = ReadOptions {
        vars: args.vars.iter().cloned().collect::<BTreeMap<_, _>>(),
        product: args.product,
    };
    let templates = Templates::load(args.templates.as_deref())?;
    let (mut warnings, app, files) = with_existing_app_id(
        current.as_deref(),
        |app_id| crate::migrate_text_unchecked(&src, &options, &templates, app_id),
        |(_, _, files), text| {
            files
                .iter()
                .any(|f| f.path == "manifest.yml" && f.content == text)
        },
    )?;
    warnings.extend(app.warnings.iter().cloned());
    warnings.splice(0..0, kind_note);
    // The parse-back check of the rendered manifest (a fifth of a big run) runs on a second
    // thread while this one compares the files with the disk, builds the diffs and the review
    // text; nothing is shown or written before the check has passed, and its refusal comes
    // first, as if it had run before.
    let manifest = files.first().map(|f| f.content.clone());
    let (checked, planned) = std::thread::scope(|s| {
        let plan = s.spawn(|| {
            crate::merge::keep_user_edits(&out, files, current.as_deref()).and_then(
                |(files, kept)| {
                    let plan = Plan::compare(&out, files)?;
                    warnings.extend(kept);
                    let review = Review {
                        input: &src.name,
                        app: &app,
                        plan: &plan,
                        warnings: &warnings,
                    };
                    let shown = prepare_review(args, &review);
                    Ok((plan, shown))
                },
            )
        });
        // The check stays on this thread: it reuses the memory the earlier steps freed here.
        let checked = match &manifest {
            Some(m) => templates.check_manifest(m, &app),
            None => Ok(()),
        };
        let planned = plan
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (checked, planned)
    });
    checked?;
    drop(manifest);
    let (plan, shown) = planned?;
    let code = show_and_apply(args, &plan, shown);
    // The process exits next: freeing these trees of small allocations one by one was ~4 % of a
    // 20,000-module run, and the OS reclaims them at once. Plain data, nothing to flush or release.
    std::mem::forget((app, plan, warnings));
    code
}

/// Shows the review, then (unless --dry-run/--check) asks and writes. Shared by the descriptor
/// path and adoption in place.
fn review_and_apply(args: &MigrateArgs, plan: &Plan, review: &Review<'_>) -> Result<u8, Error> {
    show_and_apply(args, plan, prepare_review(args, review))
}

/// A review made into text, ready to show: the warnings for stderr (text format only) and the
/// review for stdout, each as its stream will take it.
struct Prepared {
    out: AutoStream<std::io::Stdout>,
    err: AutoStream<std::io::Stderr>,
    warnings: Option<Ready>,
    review: Ready,
}

/// Makes the review's text (the slow part of showing a big one), without writing anything.
fn prepare_review(args: &MigrateArgs, review: &Review<'_>) -> Prepared {
    let choice = match args.color {
        ColorWhen::Always => anstream::ColorChoice::Always,
        ColorWhen::Never => anstream::ColorChoice::Never,
        ColorWhen::Auto => anstream::ColorChoice::Auto,
    };
    let out = AutoStream::new(std::io::stdout(), choice);
    let err = AutoStream::new(std::io::stderr(), choice);
    if args.format == Format::Json {
        let review = ready(&out, |_| format!("{:#}\n", review.json()));
        return Prepared {
            out,
            err,
            warnings: None,
            review,
        };
    }
    let warnings = ready(&err, |_| {
        let mut lines = String::new();
        for w in crate::error::grouped_lines(review.warnings) {
            lines.push_str(&one_line(&w));
            lines.push('\n');
        }
        lines
    });
    let review = ready(&out, |colour| review_text(review, colour));
    Prepared {
        out,
        err,
        warnings: Some(warnings),
        review,
    }
}

/// Shows a prepared review, then (unless --dry-run/--check) asks and writes.
fn show_and_apply(args: &MigrateArgs, plan: &Plan, prepared: Prepared) -> Result<u8, Error> {
    let Prepared {
        mut out,
        mut err,
        warnings,
        review,
    } = prepared;
    if let Some(w) = warnings {
        let _ = write_ready(&mut err, w);
    }
    let shown = write_ready(&mut out, review);
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
        let _ = writeln!(
            err,
            "Nothing to do: {} is up to date.",
            plan.out_dir.display()
        );
        return Ok(0);
    }
    if !args.yes && !confirm(&mut err, plan, &args.descriptor)? {
        return Ok(1);
    }
    let written = match crate::apply::write(plan) {
        Ok(w) => w,
        Err(e) => {
            report_error(&e);
            let _ = writeln!(
                err,
                "Every file is either as it was or completely written; run again to finish."
            );
            return Ok(e.exit_code());
        }
    };
    let green = Style::new().fg_color(Some(AnsiColor::Green.into())).bold();
    for path in &written {
        let verb = match plan
            .changes
            .iter()
            .find(|c| &c.file.path == path)
            .map(|c| c.status)
        {
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

/// Asks on a terminal; elsewhere (CI, pipes, a descriptor read from stdin) says which flag writes.
fn confirm(err: &mut dyn Write, plan: &Plan, descriptor: &Path) -> Result<bool, Error> {
    let interactive = std::io::stdin().is_terminal()
        && std::io::stderr().is_terminal()
        && std::env::var_os("CI").is_none()
        && descriptor != Path::new("-");
    if !interactive {
        let _ = writeln!(
            err,
            "Nothing was written: not asking without a terminal. Re-run with --yes to write these changes, or --dry-run to only review them."
        );
        return Ok(false);
    }
    let _ = write!(
        err,
        "Write these changes to {}? [y/N] ",
        plan.out_dir.display()
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

/// A text made for one stream, written later in one piece: through anstream with colour on, or
/// as raw bytes with colour off. Written piece by piece through anstream, every piece took the
/// lock, a pass of the colour stripper and (stdout being line-buffered, stderr unbuffered) a
/// system call per line: 7 % of a 20,000-module dry run.
enum Ready {
    Styled(String),
    Raw(Vec<u8>),
}

/// `text(colour)` made for `out`'s colour choice.
fn ready<S: anstream::stream::RawStream>(
    out: &AutoStream<S>,
    text: impl Fn(bool) -> String,
) -> Ready {
    if out.current_choice() != anstream::ColorChoice::Never {
        Ready::Styled(text(true))
    } else {
        Ready::Raw(uncoloured(text))
    }
}

/// Writes a [`Ready`] text to the stream it was made for.
fn write_ready<S: anstream::stream::RawStream + anstream::stream::AsLockedWrite>(
    out: &mut AutoStream<S>,
    text: Ready,
) -> std::io::Result<()>
where
    for<'a> &'a S: Write,
{
    match text {
        Ready::Styled(t) => {
            out.write_all(t.as_bytes())?;
            out.flush()
        }
        Ready::Raw(bytes) => {
            let mut raw = out.as_inner();
            raw.write_all(&bytes)?;
            raw.flush()
        }
    }
}

/// What anstream writes for `text(true)` with colour off: it strips escape sequences and ASCII
/// controls other than whitespace. Text without colour codes and with nothing it strips is just
/// that, with no pass of the stripper (~45 instructions a byte).
fn uncoloured(text: impl Fn(bool) -> String) -> Vec<u8> {
    let plain = text(false);
    if kept_by_stripper(&plain) {
        return plain.into_bytes();
    }
    let mut stripped = anstream::StripStream::new(Vec::with_capacity(plain.len()));
    // Writing to a Vec cannot fail.
    let _ = stripped.write_all(text(true).as_bytes());
    stripped.into_inner()
}

/// True when anstream's stripper passes `s` through unchanged, colour codes around its lines
/// aside: printable ASCII, tabs, line breaks and anything not ASCII (checked in the tests).
fn kept_by_stripper(s: &str) -> bool {
    // Whole chunks without an early exit, so the scan vectorizes.
    s.as_bytes().chunks(256).all(|chunk| {
        chunk.iter().fold(true, |ok, &b| {
            ok & ((b' '..=b'~').contains(&b) || b >= 0x80 || b == b'\n' || b == b'\t')
        })
    })
}

/// The text review, with or without colour codes.
fn review_text(review: &Review<'_>, colour: bool) -> String {
    let code = |s: Style| match colour {
        true => (s.render().to_string(), s.render_reset().to_string()),
        false => (String::new(), String::new()),
    };
    let bold = code(Style::new().bold());
    let add = code(Style::new().fg_color(Some(AnsiColor::Green.into())));
    let del = code(Style::new().fg_color(Some(AnsiColor::Red.into())));
    let hunk = code(Style::new().fg_color(Some(AnsiColor::Cyan.into())));
    let plain = code(Style::new());
    let header = review.header();
    let diffs: usize = review.plan.changes.iter().map(|c| c.diff.text.len()).sum();
    let mut out = String::with_capacity(header.len() + diffs + diffs / 4 + 4096);
    out.push_str(&printable(&header));
    for c in &review.plan.changes {
        if c.diff.is_empty() {
            continue;
        }
        out.push('\n');
        for line in c.diff.text.lines() {
            let (on, off) = if line.starts_with("+++") || line.starts_with("---") {
                &bold
            } else if line.starts_with('+') {
                &add
            } else if line.starts_with('-') {
                &del
            } else if line.starts_with("@@") {
                &hunk
            } else {
                &plain
            };
            out.push_str(on);
            out.push_str(&printable(line));
            out.push_str(off);
            out.push('\n');
        }
    }
    let kept = review.kept();
    if !kept.is_empty() {
        out.push('\n');
        out.push_str(&kept);
    }
    out.push_str(&printable(&review.next_steps()));
    out.push('\n');
    out.push_str(&bold.0);
    out.push_str(&review.summary_line());
    out.push_str(&bold.1);
    out.push('\n');
    out
}

fn export_templates(dir: &Path) -> Result<u8, Error> {
    let mut err = AutoStream::auto(std::io::stderr());
    for (name, text) in DEFAULTS {
        let target = dir.join(name);
        if target.exists() {
            let _ = writeln!(err, "{:>12} {} (exists)", "Kept", target.display());
            continue;
        }
        crate::apply::write_atomic(&target, text.as_bytes())?;
        let _ = writeln!(err, "{:>12} {}", "Created", target.display());
    }
    Ok(0)
}

// --- Adoption in place and `status` (a Forge manifest as input) ---

/// Where a migrate run goes: adopt a manifest, or read the descriptor into `--out`.
enum Adopt {
    /// The input is a Forge manifest; the folder to write into.
    Manifest(PathBuf),
    /// `--out/manifest.yml` still carries background scripts under connectModules.
    OutManifest(PathBuf),
    /// A Connect descriptor, as usual; the folder to write into and its manifest's text, if any.
    No(PathBuf, Option<String>),
}

fn adopt_target(args: &MigrateArgs, src: &SourceText) -> Result<Adopt, Error> {
    if crate::adopt::is_forge_manifest(&args.descriptor, &src.text) {
        let out = args.out.clone().unwrap_or_else(|| {
            if args.descriptor == Path::new("-") {
                PathBuf::from("forge-app")
            } else {
                match args.descriptor.parent() {
                    Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
                    _ => PathBuf::from("."),
                }
            }
        });
        return Ok(Adopt::Manifest(out));
    }
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("forge-app"));
    let current = out_manifest(&out)?;
    if current
        .as_deref()
        .is_some_and(crate::adopt::carries_background_scripts)
    {
        Ok(Adopt::OutManifest(out))
    } else {
        Ok(Adopt::No(out, current))
    }
}

/// Migrates a Forge manifest's background scripts in place, with the same review as `migrate`.
fn adopt(
    args: &MigrateArgs,
    src: SourceText,
    out: &Path,
    kind_note: Option<Diagnostic>,
) -> Result<u8, Error> {
    // A manifest has neither template placeholders nor a product to detect: these flags would
    // do nothing, and silently ignoring them would mislead.
    if !args.vars.is_empty() || args.product.is_some() {
        return Err(Error::Usage(format!(
            "--var and --product apply to Connect descriptors; {} is a Forge manifest, migrated in place without them",
            src.name
        )));
    }
    let templates = Templates::load(args.templates.as_deref())?;
    let name = src.name.clone();
    let mut adoption = crate::adopt::adopt(src, &templates)?;
    adoption.warnings.splice(0..0, kind_note);
    let plan = Plan::compare(out, adoption.files)?;
    let review = Review {
        input: &name,
        app: &adoption.app,
        plan: &plan,
        warnings: &adoption.warnings,
    };
    review_and_apply(args, &plan, &review)
}

fn status(args: &StatusArgs) -> Result<u8, Error> {
    let file = if args.path.is_dir() {
        let f = args.path.join("manifest.yml");
        if !f.is_file() {
            return Err(Error::Usage(format!(
                "{}: no manifest.yml in this folder (pass the Forge app folder or its manifest.yml)",
                args.path.display()
            )));
        }
        f
    } else {
        args.path.clone()
    };
    let src = read_input(&file)?;
    if crate::adopt::looks_like_json(&src.text) {
        return Err(Error::Usage(format!(
            "{} is a Connect descriptor, not a Forge manifest (decided by content): migrate it first with `connect2forge migrate {}`",
            file.display(),
            file.display()
        )));
    }
    let manifest = crate::adopt::Manifest::parse(src)?;
    let report = crate::status::status(&manifest, &file.display().to_string());
    let mut out = AutoStream::auto(std::io::stdout());
    let shown = if args.json {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Manifests that stress reading `app.id` from its block: each pairs the text with what the
    /// block reading may give (None where it must defer to the full parse).
    #[rustfmt::skip]
    const TRICKY: &[(&str, &str, Option<&str>)] = &[
        ("generated", "# c\napp:\n  id: ari:x\n  runtime:\n    name: n\nmodules: {}\n", Some("ari:x")),
        ("no comment first", "app:\n  id: x\nmodules:\n  a: 1\n", Some("x")),
        ("crlf", "# c\r\napp:\r\n  id: x\r\n\r\nmodules:\r\n  a: 1\r\n", Some("x")),
        ("comment in the block", "app:\n  description: d\n# between\n  id: x\nm: 1\n", Some("x")),
        ("comments and quotes", "app:\n  \"id\": 'x # y' # z\n  'description': \"a: b\"\n", Some("x # y")),
        ("no trailing newline", "app:\n  id: x", Some("x")),
        ("block scalar", "app:\n  description: |\n    a\n\n    b\n  id: x\nm: 1\n", Some("x")),
        ("quoted id with escapes", "app:\n  id: \"a\\tb\\u00e9\"\n", Some("a\tbé")),
        ("id not a string", "app:\n  id: 12\n", None),
        ("id null", "app:\n  id:\nm: 1\n", None),
        ("no id", "app:\n  key: x\n", None),
        ("no app", "modules:\n  app:\n    id: x\n", None),
        ("app is not first", "modules: {}\napp:\n  id: x\n", None),
        ("nested app first", "m:\n  app:\n    id: y\napp:\n  id: x\n", None),
        ("flow", "app: {id: x}\n", None),
        ("flow below", "app:\n  {id: x}\n", Some("x")),
        ("app: with a comment", "app: # c\n  id: x\n", None),
        ("second app key", "app:\n  id: x\napp:\n  id: y\n", None),
        ("second quoted app key", "app:\n  id: x\n\"app\":\n  id: y\n", None),
        ("second app key, complex", "app:\n  id: x\n? app\n: id: y\n", None),
        ("merge key", "app:\n  id: x\n<<: {app: {id: y}}\n", None),
        ("anchored key, alias below", "app: \n  &a id: x\nb: *a\n", Some("x")),
        ("anchor in the block", "app:\n  id: &i x\n  other: *i\n", Some("x")),
        ("tag in the block", "app:\n  id: !!str x\n", Some("x")),
        ("tag on a later key", "app:\n  id: x\n!!str b: 1\n", None),
        ("two documents", "app:\n  id: x\n---\napp:\n  id: y\n", None),
        ("document end", "app:\n  id: x\n...\n", None),
        ("document start", "---\napp:\n  id: x\n", None),
        ("directive", "%YAML 1.2\n---\napp:\n  id: x\n", None),
        ("tab indented", "app:\n\tid: x\n", None),
        ("bom", "\u{feff}app:\n  id: x\n", None),
        ("indented app", " app:\n  id: x\n", None),
        ("quoted scalar over lines", "app:\n  id: \"x\n  y\"\nm: 1\n", Some("x y")),
        ("quoted scalar into column 0", "app:\n  id: \"x\napp: y\"\n", None),
        ("duplicate id: the last wins", "app:\n  id: x\n  id: y\n", Some("y")),
        ("deep", "app:\n  id: x\n  a: [[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]\n", Some("x")),
    ];

    #[test]
    fn block_reading_agrees_with_the_full_parse_where_it_answers() {
        for (name, text, want) in TRICKY {
            let block = app_id_from_block(text);
            assert_eq!(block.as_deref(), *want, "{name}: block reading");
            if block.is_some() {
                assert_eq!(block, existing_app_id(text), "{name}: full parse");
            }
        }
    }

    /// The block alone cannot see that the rest of the file does not parse: that is why
    /// `with_existing_app_id` confirms it.
    #[test]
    fn block_reading_cannot_see_a_broken_rest() {
        let text = "app:\n  id: x\nmodules: [unclosed\n";
        assert_eq!(app_id_from_block(text).as_deref(), Some("x"));
        assert_eq!(existing_app_id(text), None);
    }

    /// A stand-in for `migrate_text`: renders a manifest carrying the id it is given (as the
    /// real one checks), and records the ids it was run with.
    fn resolve(current: Option<&str>) -> (Option<String>, Vec<Option<String>>) {
        let runs = std::cell::RefCell::new(Vec::new());
        let render = |id: Option<&str>| {
            runs.borrow_mut().push(id.map(str::to_string));
            Ok::<_, Error>(format!(
                "# generated\napp:\n  id: {}\nmodules: {{}}\n",
                id.unwrap_or("placeholder")
            ))
        };
        let out = with_existing_app_id(current, render, |m, text| m == text)
            .unwrap_or_else(|e| panic!("{e}"));
        let id = out
            .strip_prefix("# generated\napp:\n  id: ")
            .and_then(|r| r.split_once('\n'))
            .map(|(id, _)| id.to_string())
            .filter(|id| id != "placeholder");
        (id, runs.into_inner())
    }

    #[test]
    fn the_run_uses_exactly_the_full_parse_id() {
        let broken = [
            "app:\n  id: x\nmodules: [unclosed\n",
            "app:\n  id: x\n- y\n",
            "app:\n  id: x\nb: *undefined\n",
            "app:\n  id: x\nb: 1\nb: 2\n",
            "app:\n  id: x\nb: {[1]: 2}\n",
        ];
        let texts = TRICKY.iter().map(|(_, t, _)| *t).chain(broken);
        for text in texts {
            let (id, _) = resolve(Some(text));
            assert_eq!(id, existing_app_id(text), "{text:?}");
        }
        assert_eq!(resolve(None), (None, vec![None]));
    }

    #[test]
    fn an_up_to_date_manifest_is_not_parsed_whole() {
        let current = "# generated\napp:\n  id: ari:x\nmodules: {}\n";
        assert_eq!(
            resolve(Some(current)),
            (Some("ari:x".into()), vec![Some("ari:x".into())])
        );
        // The rest does not parse: the guess is dropped and the run repeated without an id.
        let broken = "app:\n  id: x\nmodules: [unclosed\n";
        assert_eq!(resolve(Some(broken)), (None, vec![Some("x".into()), None]));
    }

    fn strip(bytes: &[u8]) -> Vec<u8> {
        let mut s = anstream::StripStream::new(Vec::new());
        s.write_all(bytes).unwrap();
        s.into_inner()
    }

    #[test]
    fn what_kept_by_stripper_accepts_anstream_passes_through() {
        let all: Vec<char> = (0..=char::MAX as u32).filter_map(char::from_u32).collect();
        let (kept, stripped): (Vec<char>, Vec<char>) = all
            .iter()
            .partition(|c| kept_by_stripper(c.encode_utf8(&mut [0; 4])));
        let kept: String = kept.into_iter().collect();
        assert_eq!(strip(kept.as_bytes()), kept.as_bytes());
        // Colour codes around it come off cleanly.
        let styled = format!("\x1b[1m{kept}\x1b[0m\n\x1b[32m{kept}\n");
        assert_eq!(
            strip(styled.as_bytes()),
            format!("{kept}\n{kept}\n").as_bytes()
        );
        assert_eq!(stripped.len(), 31, "{stripped:?}");
        assert!(stripped.iter().all(|c| c.is_ascii_control()));
    }

    #[test]
    fn uncoloured_text_with_controls_goes_through_the_stripper() {
        let text = |colour: bool| match colour {
            true => "\x1b[1ma\x07b\x1b[0m\n".to_string(),
            false => "a\x07b\n".to_string(),
        };
        assert_eq!(uncoloured(text), b"ab\n");
        assert_eq!(uncoloured(|_| "a\tb\n".to_string()), b"a\tb\n");
    }

    #[test]
    fn the_review_without_colour_is_the_stripped_review() {
        let text = include_str!("../examples/atlassian-connect.json");
        let src = SourceText::new("atlassian-connect.json", text.to_string());
        let templates = Templates::load(None).unwrap();
        let options = ReadOptions::default();
        let (warnings, app, files) = crate::migrate_text(&src, &options, &templates, None).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let plan = Plan::compare(&dir.path().join("out"), files).unwrap();
        let review = Review {
            input: "<in>",
            app: &app,
            plan: &plan,
            warnings: &warnings,
        };
        let (styled, plain) = (review_text(&review, true), review_text(&review, false));
        assert!(styled.contains("\x1b[32m+") && kept_by_stripper(&plain));
        assert_eq!(strip(styled.as_bytes()), plain.as_bytes());
    }

    #[test]
    fn printable_escapes_controls_and_bidi_only() {
        assert!(matches!(
            printable("plain ascii\twith tab"),
            std::borrow::Cow::Borrowed(_)
        ));
        assert!(matches!(printable("é → ü"), std::borrow::Cow::Borrowed(_)));
        assert_eq!(printable("a\u{1b}[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(printable("x\u{202e}y\r\u{85}"), "x\\u{202e}y\\u{d}\\u{85}");
        assert_eq!(printable("del\u{7f}"), "del\\u{7f}");
    }
}
