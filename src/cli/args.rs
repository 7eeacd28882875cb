//! The command line's arguments: clap definitions whose `///` docs are the help.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::descriptor::product::Product;

const EXIT_CODES: &str = "Exit codes:
  0  done, or nothing to do
  1  changes pending (--check, or a real run that was not confirmed)
  2  bad input or usage (nothing is written)
  3  I/O failure";

/// What the tool reads from its environment (anstream's colour choice, the prompt, clap's help).
const ENVIRONMENT: &str = "Environment:
  FORCE_COLOR       set, and not 0 or false: colour even in pipes, whatever NO_COLOR says;
                    0 or false: no colour (migrate's --color always|never, --no-color win)
  NO_COLOR          set and not empty: no colour
  CLICOLOR_FORCE    set and not empty: colour even when the output is not a terminal
  CLICOLOR          0: no colour; any other value: colour on a terminal, whatever TERM says
  TERM              unset or `dumb`: no colour unless CLICOLOR or CI says otherwise
  CI                set (any value): migrate never asks, it writes only with --yes
  GITHUB_WORKSPACE  with --format github: annotation paths are made relative to it
  COLUMNS           the width --help wraps to, when the terminal's cannot be read";

/// Move Atlassian Connect apps to Forge: each module becomes its native Forge module with its page
/// carried into a Custom UI resource, what Forge cannot hold stays in connectModules with the
/// reason, and every file is shown as a diff before it is written.
#[derive(Debug, Parser)]
#[command(
    name = "connect2forge",
    version,
    after_help = format!("{EXIT_CODES}\n\n{ENVIRONMENT}"),
    propagate_version = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Migrate a Connect descriptor into a Forge app folder, or a Forge manifest.yml in place (review first, then write).
    #[command(after_help = format!("{EXIT_CODES}\n\n{ENVIRONMENT}"))]
    Migrate(MigrateArgs),
    /// Copy the built-in templates into a folder, to edit and pass to --templates.
    Templates {
        /// The folder to write the templates into (created if missing; existing files are kept).
        dir: PathBuf,
    },
    /// Report how far a Forge app is from "fully Forge", and check what Atlassian's validator skips.
    #[command(after_help = format!("{STATUS_EXIT_CODES}\n\n{ENVIRONMENT}"))]
    Status(StatusArgs),
    /// Print a shell completion script to stdout (the README says where to put it).
    Completions {
        /// The shell to complete in.
        shell: clap_complete::Shell,
    },
    /// Explain a warning or error code (C2F024, as the review prints after each message): what it
    /// means and what to do. Without a code, list every code.
    Explain {
        /// The code (C2F024) or its name (context-parameter).
        code: Option<String>,
    },
    /// Print the manual page (roff) to stdout: `connect2forge man > connect2forge.1`.
    Man {
        /// The subcommand whose page to print instead (connect2forge-SUBCOMMAND(1)).
        subcommand: Option<String>,
    },
}

const STATUS_EXIT_CODES: &str = "Exit codes:
  0  the report was printed
  1  with --strict: something Connect remains (or an error was found)
  2  bad input (no manifest, or one that does not parse)";

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// The Forge app folder, or its manifest.yml.
    #[arg(default_value = ".")]
    pub path: PathBuf,

    /// Output format of the report (json: one document, described by docs/schema/status.schema.json).
    #[arg(long, value_enum, default_value_t = StatusFormat::Text)]
    pub format: StatusFormat,

    /// The same as --format json (kept for scripts written before --format).
    #[arg(long, hide = true)]
    pub json: bool,

    /// Exit 1 when a Connect module, Connect scope or app.connect field other than key remains,
    /// or when a problem of severity error is found.
    #[arg(long)]
    pub strict: bool,
}

#[derive(Debug, Args)]
pub struct MigrateArgs {
    /// The Connect descriptor (atlassian-connect.json), or `-` for stdin. A Forge manifest
    /// (manifest.yml) is adopted in place instead: its jiraBackgroundScripts are migrated.
    #[arg(default_value = "atlassian-connect.json")]
    pub descriptor: PathBuf,

    /// The Forge app folder to create or update [default: forge-app; for a manifest.yml input,
    /// the manifest's folder].
    #[arg(long, short = 'o', value_name = "DIR")]
    pub out: Option<PathBuf>,

    #[command(flatten)]
    pub mode: Mode,

    /// Write without asking (needed when stdin is not a terminal).
    #[arg(long, short = 'y')]
    pub yes: bool,

    /// Never ask, as with CI set or without a terminal: without --yes, nothing is written.
    #[arg(long)]
    pub non_interactive: bool,

    /// Print no review, warnings or status lines (errors still; a --format other than text
    /// still prints its document). Never asks: writes only with --yes.
    #[arg(long, short = 'q')]
    pub quiet: bool,

    /// Fill a template placeholder ({{NAME}} or ${NAME}) instead of turning it into a Forge variable.
    #[arg(long = "var", value_name = "NAME=VALUE", value_parser = parse_var)]
    pub vars: Vec<(String, String)>,

    /// The product, when the modules do not tell (`--type`, connect-to-forge's spelling, works
    /// too).
    #[arg(long, value_enum, alias = "type")]
    pub product: Option<Product>,

    /// A folder whose files replace built-in templates of the same name (see `connect2forge templates`).
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,

    /// The Connect app's source tree, where each module's page is looked for
    /// [default: the descriptor's project: its folder, or, for a descriptor in public/, static/,
    /// templates/ or src/main/resources/, the one above holding package.json, pom.xml…]
    #[arg(long, value_name = "DIR")]
    pub source: Option<PathBuf>,

    /// The page that serves a background script, said outright (KEY is the module key, FILE the
    /// page's view or HTML file); repeatable.
    #[arg(long = "page", value_name = "KEY=FILE", value_parser = parse_page)]
    pub pages: Vec<(String, PathBuf)>,

    /// Leave a module on Connect on purpose: a Connect module type (webPanels) or a module key;
    /// repeatable.
    #[arg(long = "keep-connect", value_name = "TYPE|KEY")]
    pub keep_connect: Vec<String>,

    /// When to colour the review and the messages (auto: on a terminal; see Environment).
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto)]
    pub color: ColorWhen,

    /// The same as --color never.
    #[arg(long, conflicts_with = "color")]
    pub no_color: bool,

    /// Also write the review as one self-contained HTML page to share (modules, pages, the AP
    /// call table, the to-do list, every diff); works with --dry-run and --check too.
    #[arg(long, value_name = "FILE.html")]
    pub report: Option<PathBuf>,

    /// Also write, per carried page, the page as the Connect app serves it (rendered into its
    /// layout) and where its scripts and stylesheets come from, under DIR/<resource>/ (for the
    /// real-app browser measure, scripts/realworld-browser.mjs); works with --dry-run too.
    #[arg(long, value_name = "DIR")]
    pub originals: Option<PathBuf>,

    /// Which diffs the text review shows: summary (every change, but new generated files as one
    /// line per resource folder) or all.
    #[arg(long, value_enum, default_value_t = DiffMode::Summary)]
    pub diff: DiffMode,

    /// Output format of the review (`--json` is short for `--format json`).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,

    /// The same as --format json (as Forge's CLI spells it).
    #[arg(long, hide = true, conflicts_with = "format")]
    pub json: bool,
}

/// `--diff`: how much of the files the text review shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffMode {
    /// Every change, but new generated files (scaffold, compatibility layer, copied page files)
    /// as one line per resource folder.
    Summary,
    /// Every diff in full.
    All,
}

impl MigrateArgs {
    /// The output format, `--json` included.
    pub fn format(&self) -> Format {
        match self.json {
            true => Format::Json,
            false => self.format,
        }
    }

    /// The colour setting, `--no-color` included.
    pub fn color(&self) -> ColorWhen {
        match self.no_color {
            true => ColorWhen::Never,
            false => self.color,
        }
    }
}

#[derive(Debug, Args)]
#[group(multiple = false)]
pub struct Mode {
    /// Show the review (summary and diff of every file), write nothing, exit 0.
    #[arg(long)]
    pub dry_run: bool,
    /// Like --dry-run, but exit 1 when anything would change (for CI).
    #[arg(long)]
    pub check: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

/// How `migrate` shows the review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// The review for people (warnings on stderr)
    Text,
    /// One JSON document, described by docs/schema/migrate.schema.json
    Json,
    /// A SARIF 2.1.0 log of the warnings (errors too, on exit 2), for code scanning
    Sarif,
    /// A JUnit XML report: a test case per warning, one per planned file
    Junit,
    /// GitHub Actions annotations of the warnings, then the review folded in the log
    Github,
}

impl Format {
    /// The formats made for CI, which also report input errors as a document on stdout.
    pub fn is_ci(self) -> bool {
        matches!(self, Format::Sarif | Format::Junit | Format::Github)
    }
}

/// How `status` shows its report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatusFormat {
    /// The report for people
    Text,
    /// One JSON document, described by docs/schema/status.schema.json
    Json,
}

fn parse_page(s: &str) -> Result<(String, PathBuf), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.is_empty() && !v.is_empty() => Ok((k.to_string(), PathBuf::from(v))),
        _ => Err(format!("expected KEY=FILE, got `{s}`")),
    }
}

fn parse_var(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.is_empty() => Ok((k.to_string(), v.to_string())),
        _ => Err(format!("expected NAME=VALUE, got `{s}`")),
    }
}
