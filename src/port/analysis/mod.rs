//! The static analysis of a carried page's scripts: every use of Connect's global `AP`, the REST
//! calls and the OAuth scopes they need, the calls to the app's own backend that carried a
//! Connect JWT, and the events the page emits and listens to.
//!
//! Semantic, not textual: each script is parsed by oxc and its scopes are resolved, so `AP` is
//! reported only where it is the global (an unresolved reference, `window.AP`, or an alias of
//! one), never a local variable or parameter that happens to share the name. Classic scripts
//! share one global scope, so an alias made at the top level of one script is followed into the
//! scripts after it, in document order.
//!
//! Guarantees: no file-system access; no panic on any input (a script that does not parse gives
//! its first error, with its position, and the other scripts are still analysed); positions are
//! those of the original file (a script inlined in a template starts mid-file), 1-based, columns
//! in characters; the output order is the scripts' document order, then the position. One oxc
//! arena per script, dropped before the next, so memory follows the largest script, not the page.

mod ast;
mod blank;
mod cache;
mod calls;
mod csp;
mod imports;
mod lines;
mod literals;
mod requests;
mod resolve;
mod sources;
#[cfg(test)]
mod tests;

pub(crate) use blank::blank;

use std::collections::{HashMap, HashSet};

use oxc_allocator::Allocator;
use oxc_ast::ast::{
    Argument, ArrayExpressionElement, AssignmentTarget, BindingPattern, CallExpression, Expression,
    FormalParameters, Function, IdentifierReference, LogicalOperator, ObjectExpression,
    ObjectPropertyKind, PropertyKey, VariableDeclarationKind, VariableDeclarator,
};
use oxc_ast_visit::{walk, Visit};
use oxc_parser::{ParseOptions, Parser};
use oxc_semantic::{Scoping, SemanticBuilder, SymbolId};
use oxc_span::{GetSpan, SourceType, Span};
use oxc_syntax::scope::ScopeFlags;
use serde::Serialize;

use crate::diagnostics::{Diagnostic, Severity};
use crate::port::apis::{self, Support};
use crate::port::scopes;
use crate::source::Position;

use ast::*;
pub use imports::{amd_dependencies, imports};
use lines::Lines;
pub use literals::{asset_literals, AssetLiteral, FETCHED_KINDS};

/// One script of the page, as the page splitter found it.
#[derive(Debug, Clone, Copy)]
pub struct ScriptInput<'a> {
    /// The original file, relative to the source root (`views/sla.hbs`, `public/js/sla.js`).
    pub file: &'a str,
    /// The script's text.
    pub text: &'a str,
    /// 1-based line in `file` where `text` starts.
    pub line: u32,
    /// 1-based column (in characters) in `file` where `text` starts.
    pub column: u32,
}

impl<'a> ScriptInput<'a> {
    /// A whole file: its text starts at 1:1.
    pub fn file(file: &'a str, text: &'a str) -> Self {
        Self {
            file,
            text,
            line: 1,
            column: 1,
        }
    }
}

/// A place in an original file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Place {
    /// The file, relative to the source root.
    pub file: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
}

impl Place {
    /// A warning at this place.
    pub fn warning(&self, message: String) -> crate::diagnostics::Diagnostic {
        crate::diagnostics::Diagnostic {
            severity: crate::diagnostics::Severity::Warning,
            file: self.file.clone(),
            position: Some(crate::source::Position {
                line: self.line as usize,
                column: self.column as usize,
            }),
            path: None,
            module: None,
            message,
        }
    }
}

/// One use of a Connect API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiCall {
    /// The API's dotted name below `AP` (`request`, `events.on`, `context.getToken`).
    pub api: String,
    /// The file, relative to the source root.
    pub file: String,
    /// 1-based line of the callee's start.
    pub line: u32,
    /// 1-based column of the callee's start.
    pub column: u32,
    /// How it behaves on Forge.
    pub support: Support,
    /// What differs, or the manual step; empty when nothing does.
    pub note: String,
}

/// A `request` to a Jira REST path (or one whose path is not known).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RestRequest {
    /// Upper-case HTTP method; `None` when it is not statically known.
    pub method: Option<String>,
    /// The path, or the statically known prefix of it; `None` when nothing is known.
    pub path: Option<String>,
    /// True when `path` is the whole URL, false when it is a prefix.
    pub exact: bool,
    /// Whose REST API: `jira` (requestJira) or `confluence` (requestConfluence); absent when the
    /// path is not known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub product: Option<scopes::Product>,
    /// Where the call is (flattened: `file`, `line`, `column`).
    #[serde(flatten)]
    pub place: Place,
    /// The classic scopes it needs.
    pub scopes: Vec<String>,
}

/// A scope the ported code needs, and whether the app's Connect scopes already grant it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScopeNeed {
    /// The classic OAuth scope (`read:jira-work`).
    pub scope: String,
    /// Whether the app's scopes already grant it: its Connect scopes by Atlassian's equivalences,
    /// or the scope listed already (an adopted manifest). No new admin approval is needed for it.
    pub covered_by_connect: bool,
    /// The REST calls that need it.
    pub needed_by: Vec<Place>,
}

/// A call to the app's own backend that carried (or may have carried) a Connect JWT: there is
/// none on Forge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Endpoint {
    /// How the call is made: `AP.request`, `$.ajax`, `fetch`, `XMLHttpRequest`,
    /// `AP.context.getToken` (a token with no request found near it), `{{token}}`.
    pub via: String,
    /// Upper-case HTTP method, when known.
    pub method: Option<String>,
    /// The path or its known prefix, when known.
    pub path: Option<String>,
    /// Where (flattened: `file`, `line`, `column`).
    #[serde(flatten)]
    pub place: Place,
    /// Always unsupported on Forge.
    pub support: Support,
    /// The Forge route.
    pub note: String,
}

/// A carried page's call to the app's own backend, as the backend's to-do list names it: the
/// module whose page makes it and what was read of the call. The record keeps it, so a re-run
/// that does not look for the page (its code kept from an earlier run) still lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct BackendCall {
    /// The key of the module whose page makes the call.
    pub module: String,
    /// Upper-case HTTP method, `""` when not known.
    pub method: String,
    /// The path or its known prefix, `""` when not known.
    pub path: String,
    /// How the call is made (`fetch`, `$.ajax`, `AP.request`, ...).
    pub via: String,
    /// The file, relative to the source root.
    pub file: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
}

impl BackendCall {
    /// The call `e` of a page of the module `module`.
    pub fn new(module: &str, e: &Endpoint) -> Self {
        Self {
            module: module.to_string(),
            method: e.method.clone().unwrap_or_default(),
            path: e.path.clone().unwrap_or_default(),
            via: e.via.clone(),
            file: e.place.file.clone(),
            line: e.place.line,
            column: e.place.column,
        }
    }
}

const ENDPOINT_NOTE: &str = "a call to the app's own backend, which expected a Connect JWT; Forge \
     issues none: call the backend \
     with invokeRemote/requestRemote (@forge/bridge) to the `connect` remote, and make the \
     backend accept Forge Invocation Tokens";

impl Endpoint {
    /// An endpoint found outside the scripts, such as ACE's `{{token}}` template expression in
    /// a page (the page splitter finds those).
    pub fn new(via: &str, method: Option<&str>, path: Option<&str>, place: Place) -> Self {
        Self {
            via: via.to_string(),
            method: method.map(str::to_ascii_uppercase),
            path: path.map(str::to_string),
            place,
            support: Support::Unsupported,
            note: ENDPOINT_NOTE.to_string(),
        }
    }
}

/// A request to a third-party host (`fetch`, XHR, jQuery, axios with an absolute URL): Forge lets
/// the page make it when the manifest lists the host under `permissions.external.fetch.client`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExternalRequest {
    /// How the call is made (`fetch`, `$.ajax`, `XMLHttpRequest`, `axios`).
    pub via: String,
    /// Upper-case HTTP method, when known.
    pub method: Option<String>,
    /// The URL, or its known prefix.
    pub url: String,
    /// The host, lower-case.
    pub host: String,
    /// Where (flattened: `file`, `line`, `column`).
    #[serde(flatten)]
    pub place: Place,
    /// What to do on Forge.
    pub note: String,
}

/// An event emitted or listened to by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventUse {
    /// The event name as written.
    pub name: String,
    /// The API (`events.emit`, `events.onPublic`).
    pub api: String,
    /// Where (flattened: `file`, `line`, `column`).
    #[serde(flatten)]
    pub place: Place,
}

/// What the analysis of one page found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Analysis {
    /// Every Connect API use.
    pub calls: Vec<ApiCall>,
    /// `request` calls to Jira REST paths, or to paths not statically known.
    pub requests: Vec<RestRequest>,
    /// The scopes those requests need, in order of first need.
    pub scopes: Vec<ScopeNeed>,
    /// Calls to the app's own backend that carried a Connect JWT.
    pub endpoints: Vec<Endpoint>,
    /// Requests to third-party hosts.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub external: Vec<ExternalRequest>,
    /// Events emitted by name.
    pub emits: Vec<EventUse>,
    /// Events listened to by name.
    pub listens: Vec<EventUse>,
    /// Scripts that do not parse, paths that cannot be resolved, guessed scopes.
    pub warnings: Vec<Diagnostic>,
}

impl Analysis {
    /// The `permissions.external.fetch.client` addresses the third-party requests need
    /// (`https://` and the host: Custom UI is served over https), in order of first call.
    pub fn fetch_hosts(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for e in &self.external {
            if crate::port::external::unlistable(&e.url).is_some() {
                continue;
            }
            let address = format!("https://{}", e.host);
            if !out.contains(&address) {
                out.push(address);
            }
        }
        out
    }

    /// Adds an endpoint found elsewhere (see [`Endpoint::new`]), keeping the order by place.
    pub fn add_endpoint(&mut self, endpoint: Endpoint) {
        let key = |e: &Endpoint| (e.place.line, e.place.column);
        let at = self
            .endpoints
            .iter()
            .rposition(|e| e.place.file == endpoint.place.file && key(e) <= key(&endpoint))
            .map_or(self.endpoints.len(), |i| i + 1);
        self.endpoints.insert(at, endpoint);
    }
}

/// The stack the analysis runs on. oxc's parser, its semantic pass and the visitors recurse once
/// per level of nesting (about 4 KB a level in a debug build): the main thread's 8 MB overflow
/// (an abort, no file named) near 2,000 levels, a 20 KB script of nested brackets. Reserved, not
/// used: the pages are only touched as deep as the script nests.
const STACK_BYTES: usize = 512 << 20;

/// The deepest nesting analysed (brackets, or a run of prefix operators): deeper, the script is
/// not parsed and a warning says where. Far below what [`STACK_BYTES`] holds; far above what
/// code people write or minifiers make.
const MAX_NESTING: usize = 20_000;

/// Analyses a page's scripts, in document order. `connect_scopes` are the app's Connect scopes
/// (`READ`, `WRITE`, …), which decide [`ScopeNeed::covered_by_connect`].
///
/// Runs on a thread of its own with a big stack, so no nesting the parser accepts can abort the
/// process; a page analysed already in this run (the same scripts, for another module or for a
/// page that stays on Connect) is not analysed again; a script the page includes again (same
/// file, same text) is analysed once.
pub fn analyze(scripts: &[ScriptInput<'_>], connect_scopes: &[&str]) -> Analysis {
    let key = cache::key(scripts);
    let mut out = match cache::get(key) {
        Some(found) => found,
        None => {
            let found = on_big_stack(|| analyze_scripts(scripts));
            cache::put(key, &found);
            found
        }
    };
    let mut needs: Vec<ScopeNeed> = Vec::new();
    for r in &out.requests {
        for s in &r.scopes {
            match needs.iter_mut().find(|n| &n.scope == s) {
                Some(n) => n.needed_by.push(r.place.clone()),
                None => needs.push(ScopeNeed {
                    scope: s.clone(),
                    covered_by_connect: scopes::covered_by_connect(s, connect_scopes),
                    needed_by: vec![r.place.clone()],
                }),
            }
        }
    }
    out.scopes = needs;
    out
}

/// Runs `f` on a thread with a [`STACK_BYTES`] stack (on this one if no thread can be made).
pub(crate) fn on_big_stack<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    let f = std::sync::Mutex::new(Some(f));
    let run = || f.lock().ok().and_then(|mut f| f.take()).map(|f| f());
    let done = std::thread::scope(|s| {
        match std::thread::Builder::new()
            .name("connect2forge-analysis".into())
            .stack_size(STACK_BYTES)
            .spawn_scoped(s, run)
        {
            Ok(handle) => match handle.join() {
                Ok(v) => v,
                Err(panic) => std::panic::resume_unwind(panic),
            },
            Err(_) => None,
        }
    });
    match done {
        Some(v) => v,
        // No thread: `f` was never taken, so it runs here.
        None => {
            run().unwrap_or_else(|| unreachable!("the analysis ran neither on its thread nor here"))
        }
    }
}

/// The analysis proper, without the scopes' coverage.
fn analyze_scripts(scripts: &[ScriptInput<'_>]) -> Analysis {
    let mut out = Analysis::default();
    let mut globals: HashMap<String, String> = HashMap::new();
    let mut shared = Shared::default();
    let mut seen: HashSet<(&str, u32, u32, &str)> = HashSet::new();
    for script in scripts {
        // A file the page loads twice defines the same things twice: its calls are reported once.
        if !seen.insert((script.file, script.line, script.column, script.text)) {
            continue;
        }
        for part in sources::parts(script) {
            analyze_script(&part.input, part.tries, &mut globals, &mut shared, &mut out);
        }
    }
    out
}

/// Where the nesting of `text` first goes deeper than [`MAX_NESTING`]: brackets, or a run of
/// prefix operators (`!!!!x`, `- - -x`). Strings and comments are not told apart, so it is an
/// upper bound: a script under it is never refused.
fn too_deep(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut run = 0usize;
    for (at, b) in text.bytes().enumerate() {
        match b {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        match b {
            b'!' | b'~' | b'+' | b'-' => run += 1,
            b' ' | b'\t' | b'\n' | b'\r' => {}
            _ => run = 0,
        }
        if depth > MAX_NESTING || run > MAX_NESTING {
            return Some(at);
        }
    }
    None
}

/// The events listened to by name in the scripts of another page of the source tree (one that
/// stays on Connect), with the scripts that do not parse as warnings.
pub fn event_listeners(scripts: &[ScriptInput<'_>]) -> (Vec<EventUse>, Vec<Diagnostic>) {
    let a = analyze(scripts, &[]);
    (a.listens, a.warnings)
}

/// Settings objects of the page's classic scripts, by global name: each string-valued property
/// (`var SETTINGS = { panelEvent: 'x' }` → `SETTINGS` → `panelEvent` → `x`), so a later script's
/// `SETTINGS.panelEvent` is a known event name or URL. A script that does not parse adds none.
type Constants = HashMap<String, HashMap<String, String>>;

/// A function of the page that makes an `AP.request` with its own parameters as the URL (and
/// method): `JiraClient.send(method, path, …)`. Its callers' arguments are the REST paths.
#[derive(Debug, Clone)]
struct Wrapper {
    /// The parameter that is the URL.
    url: usize,
    /// The method: fixed, a parameter, or not known.
    method: WrapperMethod,
}

#[derive(Debug, Clone)]
enum WrapperMethod {
    Fixed(String),
    Param(usize),
    Unknown,
}

/// What the classic scripts of a page share, in document order.
#[derive(Default)]
struct Shared {
    constants: Constants,
    /// [`Wrapper`]s by the name they are called with (`JiraClient.send`, `getJson`).
    wrappers: HashMap<String, Wrapper>,
}

/// Adds the top-level `var`/`let`/`const NAME = { key: 'string', … }` of a classic script to
/// `constants` (a later declaration of the same name replaces the earlier one, as it would at
/// run time).
fn collect_constants(program: &oxc_ast::ast::Program<'_>, constants: &mut Constants) {
    for stmt in &program.body {
        let oxc_ast::ast::Statement::VariableDeclaration(decl) = stmt else {
            continue;
        };
        for d in &decl.declarations {
            let (BindingPattern::BindingIdentifier(b), Some(Expression::ObjectExpression(o))) =
                (&d.id, d.init.as_ref().map(Expression::get_inner_expression))
            else {
                continue;
            };
            let mut props = HashMap::new();
            for p in &o.properties {
                let ObjectPropertyKind::ObjectProperty(p) = p else {
                    continue;
                };
                if p.computed && !matches!(p.key, PropertyKey::StringLiteral(_)) {
                    continue;
                }
                let (Some(name), Expression::StringLiteral(v)) =
                    (property_name(&p.key), p.value.get_inner_expression())
                else {
                    continue;
                };
                props.insert(name.to_string(), v.value.to_string());
            }
            constants.insert(b.name.to_string(), props);
        }
    }
}

fn analyze_script(
    script: &ScriptInput<'_>,
    tries: &[(SourceType, bool)],
    globals: &mut HashMap<String, String>,
    shared: &mut Shared,
    out: &mut Analysis,
) {
    let lines = Lines::new(script);
    // A script that cannot reach Connect gives the same findings in every page that loads it:
    // a page of the run that loaded it already gave them (issue 19: each file analysed once).
    let names_a_wrapper = |text: &str| {
        shared.wrappers.keys().any(|w| {
            let first = w.split('.').next().unwrap_or(w);
            text.contains(first)
        })
    };
    let quick = !names_a_wrapper(script.text)
        && !may_use_connect(script.text, globals)
        && !may_request(script.text);
    let key = cache::script_key(script);
    match cache::script(key) {
        Some(cache::Script::Refused { warnings, calls }) => {
            out.warnings.extend(warnings);
            out.calls.extend(calls);
            return;
        }
        Some(cache::Script::Skipped {
            warnings,
            constants,
        }) if quick => {
            out.warnings.extend(warnings);
            shared.constants.extend(constants);
            return;
        }
        _ => {}
    }
    let first_warning = out.warnings.len();
    if let Some(at) = too_deep(script.text) {
        out.warnings.push(lines.warning(
            u32::try_from(at).unwrap_or(u32::MAX),
            format!("the script is nested more than {MAX_NESTING} levels deep here: it is not analysed, so its Connect calls are not reported; check them by hand"),
        ));
        cache::put_script(
            key,
            cache::Script::Refused {
                warnings: out.warnings[first_warning..].to_vec(),
                calls: Vec::new(),
            },
        );
        return;
    }
    let allocator = Allocator::default();
    let options = ParseOptions {
        preserve_parens: false,
        ..ParseOptions::default()
    };
    let (first, first_classic) = tries.first().copied().unwrap_or((SourceType::mjs(), false));
    let mut ret = Parser::new(&allocator, script.text, first)
        .with_options(options)
        .parse();
    let mut classic = first_classic;
    // A file with import/export is a module, a `.js` React component has JSX (a component's
    // block may be a script): try the others before calling it broken; the first error is kept.
    for &(other_type, other_classic) in tries.iter().skip(1) {
        if !ret.panicked && ret.diagnostics.is_empty() {
            break;
        }
        let other = Parser::new(&allocator, script.text, other_type)
            .with_options(options)
            .parse();
        if !other.panicked && other.diagnostics.is_empty() {
            ret = other;
            classic = other_classic;
        }
    }
    if ret.panicked || !ret.diagnostics.is_empty() {
        let (offset, message) = ret
            .diagnostics
            .iter()
            .next()
            .map(|d| {
                let offset = d.labels.first().map_or(0, |l| l.offset());
                (offset, d.message.to_string())
            })
            .unwrap_or((0, "the parser stopped".to_string()));
        // Its Connect calls found by their text: where they are and which API, not what their
        // arguments say.
        let calls = calls::by_text(script.text, &lines);
        let reported = if calls.is_empty() {
            "its Connect calls are not reported".to_string()
        } else {
            format!("its {} Connect call(s) are found by their text (`AP.x(`), not parsed: what their arguments decide (a request's URL and scopes, a callback) is not read; check them by hand", calls.len())
        };
        out.warnings.push(lines.warning(
            offset,
            format!("does not parse as JavaScript ({message}): {reported}"),
        ));
        out.calls.extend(calls.iter().cloned());
        cache::put_script(
            key,
            cache::Script::Refused {
                warnings: out.warnings[first_warning..].to_vec(),
                calls,
            },
        );
        return;
    }
    out.warnings
        .extend(csp::findings(&ret.program, script.text, &lines));
    let mut constants = Constants::new();
    if classic {
        collect_constants(&ret.program, &mut constants);
        shared
            .constants
            .extend(constants.iter().map(|(k, v)| (k.clone(), v.clone())));
    }
    if quick {
        cache::put_script(
            key,
            cache::Script::Skipped {
                warnings: out.warnings[first_warning..].to_vec(),
                constants,
            },
        );
        return;
    }
    let program = ret.program;
    let semantic = SemanticBuilder::new().build(&program).semantic;
    let scoping = semantic.scoping();

    let mut collect = Collect::default();
    collect.visit_program(&program);

    let mut a = Script {
        scoping,
        globals,
        constants: &shared.constants,
        wrappers: HashMap::new(),
        aliases: HashMap::new(),
        inits: HashMap::new(),
        appended: HashSet::new(),
        lines: &lines,
        text: script.text,
    };
    a.resolve_aliases(&collect, classic);
    a.report(&collect, &shared.wrappers, out);
    let found = std::mem::take(&mut a.wrappers);
    // A module script's functions are not globals: its wrappers serve only itself.
    if classic {
        shared.wrappers.extend(found);
    }
}

/// Whether a script can reach Connect at all: it names `AP` or a global alias of it as a whole
/// word, or mentions a JWT (a backend call that carries one). A page's big scripts are mostly
/// libraries that do neither, and skipping their scope analysis halves the time
/// (`docs/performance.md`). Conservative: words in strings and comments count too, and only
/// ASCII identifier characters join a word. Not seen: an identifier spelled with escapes
/// (`\u0041P`).
fn may_use_connect(text: &str, globals: &HashMap<String, String>) -> bool {
    let bytes = text.as_bytes();
    let jwt = memchr::memchr2_iter(b'j', b'J', bytes).any(|at| {
        bytes
            .get(at..at + 3)
            .is_some_and(|w| w.eq_ignore_ascii_case(b"jwt"))
    });
    jwt || has_word(bytes, "AP") || globals.keys().any(|name| has_word(bytes, name))
}

/// Whether `name` is in `bytes` as a whole word (only ASCII identifier characters join a word).
fn has_word(bytes: &[u8], name: &str) -> bool {
    let is_ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'$';
    memchr::memmem::find_iter(bytes, name.as_bytes()).any(|at| {
        let before = at.checked_sub(1).and_then(|i| bytes.get(i));
        let after = bytes.get(at + name.len());
        !before.is_some_and(|b| is_ident(*b)) && !after.is_some_and(|b| is_ident(*b))
    })
}

/// Whether a script may make an HTTP request of its own (`fetch`, `XMLHttpRequest`, jQuery's
/// `$.ajax`/`$.getJSON`/`$.get`/`$.post`, axios): with no `AP` in it, its calls to a third-party
/// host still need `permissions.external.fetch.client`, and its calls to the app's backend a
/// remote. Words in strings and comments count too; libraries that make requests (jQuery) are
/// analysed in full, the others still skip the scope analysis.
fn may_request(text: &str) -> bool {
    let bytes = text.as_bytes();
    ["fetch", "XMLHttpRequest", "ajax", "getJSON", "axios"]
        .iter()
        .any(|w| has_word(bytes, w))
        || ["$.get(", "$.post(", "jQuery.get(", "jQuery.post("]
            .iter()
            .any(|s| memchr::memmem::find(bytes, s.as_bytes()).is_some())
}

/// A string known statically: the whole of it, or a prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Static {
    Exact(String),
    Prefix(String),
    Unknown,
}

impl Static {
    fn known(&self) -> Option<(&str, bool)> {
        match self {
            Static::Exact(s) => Some((s, true)),
            Static::Prefix(s) if !s.is_empty() => Some((s, false)),
            _ => None,
        }
    }
}

/// Per-script state of the analysis.
struct Script<'s, 'a> {
    scoping: &'s Scoping,
    globals: &'s mut HashMap<String, String>,
    /// Local symbols that stand for `AP` or a member of it, with that member's dotted path.
    aliases: HashMap<SymbolId, String>,
    /// The page's settings objects so far (see [`Constants`]).
    constants: &'s Constants,
    /// The [`Wrapper`]s this script defines.
    wrappers: HashMap<String, Wrapper>,
    /// Initialisers of never-reassigned variables, for constant URLs.
    inits: HashMap<SymbolId, &'a Expression<'a>>,
    /// Those of [`Script::inits`] that are later appended to: their value is a prefix.
    appended: HashSet<SymbolId>,
    lines: &'s Lines<'s>,
    text: &'s str,
}
