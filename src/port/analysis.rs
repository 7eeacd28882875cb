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
    /// Events emitted by name.
    pub emits: Vec<EventUse>,
    /// Events listened to by name.
    pub listens: Vec<EventUse>,
    /// Scripts that do not parse, paths that cannot be resolved, guessed scopes.
    pub warnings: Vec<Diagnostic>,
}

impl Analysis {
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

/// Analyses a page's scripts, in document order. `connect_scopes` are the app's Connect scopes
/// (`READ`, `WRITE`, …), which decide [`ScopeNeed::covered_by_connect`].
pub fn analyze(scripts: &[ScriptInput<'_>], connect_scopes: &[&str]) -> Analysis {
    let mut out = Analysis::default();
    let mut globals: HashMap<String, String> = HashMap::new();
    let mut shared = Shared::default();
    for script in scripts {
        analyze_script(script, &mut globals, &mut shared, &mut out);
    }
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

/// The events listened to by name in the scripts of another page of the source tree (one that
/// stays on Connect), with the scripts that do not parse as warnings.
pub fn event_listeners(scripts: &[ScriptInput<'_>]) -> (Vec<EventUse>, Vec<Diagnostic>) {
    let a = analyze(scripts, &[]);
    (a.listens, a.warnings)
}

/// Byte offset → original line:column for one script.
struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
    line: u32,
    column: u32,
    file: &'a str,
}

impl<'a> Lines<'a> {
    fn new(s: &ScriptInput<'a>) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', s.text.as_bytes()).map(|i| i + 1));
        Self {
            text: s.text,
            starts,
            line: s.line.max(1),
            column: s.column.max(1),
            file: s.file,
        }
    }

    fn position(&self, offset: u32) -> (u32, u32) {
        let offset = (offset as usize).min(self.text.len());
        let i = match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let start = self.starts.get(i).copied().unwrap_or(0);
        let chars = self
            .text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count());
        let chars = u32::try_from(chars).unwrap_or(u32::MAX);
        let i = u32::try_from(i).unwrap_or(u32::MAX);
        if i == 0 {
            (self.line, self.column.saturating_add(chars))
        } else {
            (self.line.saturating_add(i), chars.saturating_add(1))
        }
    }

    fn place(&self, offset: u32) -> Place {
        let (line, column) = self.position(offset);
        Place {
            file: self.file.to_string(),
            line,
            column,
        }
    }

    fn warning(&self, offset: u32, message: String) -> Diagnostic {
        let (line, column) = self.position(offset);
        Diagnostic {
            severity: Severity::Warning,
            file: self.file.to_string(),
            position: Some(Position {
                line: line as usize,
                column: column as usize,
            }),
            path: None,
            module: None,
            message,
        }
    }
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
    globals: &mut HashMap<String, String>,
    shared: &mut Shared,
    out: &mut Analysis,
) {
    let lines = Lines::new(script);
    let allocator = Allocator::default();
    let options = ParseOptions {
        preserve_parens: false,
        ..ParseOptions::default()
    };
    let mut ret = Parser::new(&allocator, script.text, SourceType::script())
        .with_options(options)
        .parse();
    let mut classic = true;
    if ret.panicked || !ret.diagnostics.is_empty() {
        // A file with import/export is a module: try that before calling it broken.
        let module = Parser::new(&allocator, script.text, SourceType::mjs())
            .with_options(options)
            .parse();
        if !module.panicked && module.diagnostics.is_empty() {
            ret = module;
            classic = false;
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
        out.warnings.push(lines.warning(
            offset,
            format!("does not parse as JavaScript ({message}): its Connect calls are not reported"),
        ));
        return;
    }
    if classic {
        collect_constants(&ret.program, &mut shared.constants);
    }
    let names_a_wrapper = shared.wrappers.keys().any(|w| {
        let first = w.split('.').next().unwrap_or(w);
        script.text.contains(first)
    });
    if !names_a_wrapper && !may_use_connect(script.text, globals) {
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
    let is_ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'$';
    let word = |name: &str| {
        memchr::memmem::find_iter(bytes, name.as_bytes()).any(|at| {
            let before = at.checked_sub(1).and_then(|i| bytes.get(i));
            let after = bytes.get(at + name.len());
            !before.is_some_and(|b| is_ident(*b)) && !after.is_some_and(|b| is_ident(*b))
        })
    };
    let jwt = memchr::memchr2_iter(b'j', b'J', bytes).any(|at| {
        bytes
            .get(at..at + 3)
            .is_some_and(|w| w.eq_ignore_ascii_case(b"jwt"))
    });
    jwt || word("AP") || globals.keys().any(|name| word(name))
}

/// Everything the one walk over a script's AST collects; the rest works on these lists.
#[derive(Default)]
struct Collect<'a> {
    declarators: Vec<&'a VariableDeclarator<'a>>,
    var_kinds: Vec<VariableDeclarationKind>,
    assignments: Vec<(&'a AssignmentTarget<'a>, &'a Expression<'a>)>,
    /// Each call and the span of its innermost enclosing function (none at the top level).
    calls: Vec<(&'a CallExpression<'a>, Option<Span>)>,
    functions: Vec<Span>,
    /// `function name(...) {...}` declarations, for [`Wrapper`]s.
    function_decls: Vec<&'a Function<'a>>,
}

impl<'a> Visit<'a> for Collect<'a> {
    fn visit_variable_declaration(&mut self, it: &oxc_ast::ast::VariableDeclaration<'a>) {
        for d in &it.declarations {
            // `alloc` gives back the arena's `'a` reference: the lists outlive this call.
            self.declarators.push(self.alloc(d));
            self.var_kinds.push(it.kind);
        }
        walk::walk_variable_declaration(self, it);
    }

    fn visit_assignment_expression(&mut self, it: &oxc_ast::ast::AssignmentExpression<'a>) {
        let it = self.alloc(it);
        self.assignments.push((&it.left, &it.right));
        walk::walk_assignment_expression(self, it);
    }

    fn visit_call_expression(&mut self, it: &CallExpression<'a>) {
        let it = self.alloc(it);
        self.calls.push((it, self.functions.last().copied()));
        walk::walk_call_expression(self, it);
    }

    fn visit_function(&mut self, it: &Function<'a>, flags: ScopeFlags) {
        if it.is_declaration() && it.id.is_some() {
            self.function_decls.push(self.alloc(it));
        }
        self.functions.push(it.span);
        walk::walk_function(self, it, flags);
        self.functions.pop();
    }

    fn visit_arrow_function_expression(&mut self, it: &oxc_ast::ast::ArrowFunctionExpression<'a>) {
        self.functions.push(it.span);
        walk::walk_arrow_function_expression(self, it);
        self.functions.pop();
    }
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
    lines: &'s Lines<'s>,
    text: &'s str,
}

fn join(base: &str, member: &str) -> String {
    if base.is_empty() {
        member.to_string()
    } else {
        format!("{base}.{member}")
    }
}

fn property_name<'b>(key: &'b PropertyKey<'_>) -> Option<std::borrow::Cow<'b, str>> {
    key.static_name()
}

fn object_property<'b, 'a>(
    obj: &'b ObjectExpression<'a>,
    names: &[&str],
) -> Option<&'b Expression<'a>> {
    obj.properties.iter().find_map(|p| match p {
        // `{ url: x }`, `{ 'url': x }`, `{ ['url']: x }`; not `{ [name]: x }`.
        ObjectPropertyKind::ObjectProperty(p)
            if !p.computed || matches!(p.key, PropertyKey::StringLiteral(_)) =>
        {
            let name = property_name(&p.key)?;
            names.contains(&name.as_ref()).then_some(&p.value)
        }
        _ => None,
    })
}

/// A function's name and its parameters' symbols (`None` for a destructured one).
type NamedFunction = (String, Vec<Option<SymbolId>>);

/// The name a function is called by: `name`, or a member chain of names (`JiraClient.send`).
fn callee_name(e: &Expression<'_>) -> Option<String> {
    match e.get_inner_expression() {
        Expression::Identifier(id) => Some(id.name.to_string()),
        Expression::StaticMemberExpression(m) => {
            Some(format!("{}.{}", callee_name(&m.object)?, m.property.name))
        }
        _ => None,
    }
}

/// The script's named functions with their parameters' symbols: declarations
/// (`function get(path)`), functions assigned to a name (`var get = function`, `api.get = (p) =>`)
/// and methods of an object literal given a name (`var JiraClient = { send: function (...) }`).
fn named_functions(c: &Collect<'_>) -> Vec<NamedFunction> {
    let params_of = |e: &Expression<'_>| function_params(e).map(param_symbols);
    let mut out = Vec::new();
    let named = |name: String, value: &Expression<'_>, out: &mut Vec<_>| {
        if let Some(p) = params_of(value) {
            out.push((name, p));
        } else if let Expression::ObjectExpression(o) = value.get_inner_expression() {
            for prop in &o.properties {
                if let ObjectPropertyKind::ObjectProperty(prop) = prop {
                    let key = property_name(&prop.key).filter(|_| !prop.computed);
                    if let (Some(key), Some(p)) = (key, params_of(&prop.value)) {
                        out.push((format!("{name}.{key}"), p));
                    }
                }
            }
        }
    };
    for f in &c.function_decls {
        if let Some(id) = &f.id {
            out.push((id.name.to_string(), param_symbols(&f.params)));
        }
    }
    for d in &c.declarators {
        if let (BindingPattern::BindingIdentifier(b), Some(init)) = (&d.id, &d.init) {
            named(b.name.to_string(), init, &mut out);
        }
    }
    for (target, value) in &c.assignments {
        let name = match target {
            AssignmentTarget::AssignmentTargetIdentifier(id) => Some(id.name.to_string()),
            AssignmentTarget::StaticMemberExpression(m) => {
                callee_name(&m.object).map(|o| format!("{o}.{}", m.property.name))
            }
            _ => None,
        };
        if let Some(name) = name {
            named(name, value, &mut out);
        }
    }
    out
}

/// The parameters of a function or arrow function expression.
fn function_params<'b, 'a>(e: &'b Expression<'a>) -> Option<&'b FormalParameters<'a>> {
    match e.get_inner_expression() {
        Expression::FunctionExpression(f) => Some(&f.params),
        Expression::ArrowFunctionExpression(f) => Some(&f.params),
        _ => None,
    }
}

/// Each parameter's symbol (`None` for a destructured one), in order.
fn param_symbols(params: &FormalParameters<'_>) -> Vec<Option<SymbolId>> {
    params
        .items
        .iter()
        .map(|p| match &p.pattern {
            BindingPattern::BindingIdentifier(b) => b.symbol_id.get(),
            _ => None,
        })
        .collect()
}

fn expression_arg<'b, 'a>(args: &'b [Argument<'a>], i: usize) -> Option<&'b Expression<'a>> {
    args.get(i).and_then(Argument::as_expression)
}

const MAX_DEPTH: u32 = 16;

impl<'s, 'a> Script<'s, 'a> {
    fn is_unresolved(&self, id: &IdentifierReference<'_>) -> bool {
        id.reference_id
            .get()
            .is_none_or(|r| self.scoping.get_reference(r).symbol_id().is_none())
    }

    fn symbol_of(&self, id: &IdentifierReference<'_>) -> Option<SymbolId> {
        id.reference_id
            .get()
            .and_then(|r| self.scoping.get_reference(r).symbol_id())
    }

    fn ident_path(&self, id: &IdentifierReference<'_>) -> Option<String> {
        match self.symbol_of(id) {
            Some(s) => self.aliases.get(&s).cloned(),
            None => match self.globals.get(id.name.as_str()) {
                Some(p) => Some(p.clone()),
                None => (id.name == "AP").then(String::new),
            },
        }
    }

    fn is_global_object(&self, e: &Expression<'_>) -> bool {
        matches!(e.get_inner_expression(), Expression::Identifier(id)
            if matches!(id.name.as_str(), "window" | "self" | "globalThis") && self.is_unresolved(id))
    }

    /// The dotted Connect path `e` stands for (`""` for `AP` itself), if it is the global `AP`
    /// or a member of it.
    fn path_of(&self, e: &Expression<'_>) -> Option<String> {
        self.path_of_depth(e, 0)
    }

    fn path_of_depth(&self, e: &Expression<'_>, depth: u32) -> Option<String> {
        if depth > MAX_DEPTH {
            return None;
        }
        match e.get_inner_expression() {
            Expression::Identifier(id) => self.ident_path(id),
            e @ (Expression::StaticMemberExpression(_)
            | Expression::ComputedMemberExpression(_)) => {
                let m = e.as_member_expression()?;
                let name = m.static_property_name()?;
                if name == "AP" && self.is_global_object(m.object()) {
                    return Some(String::new());
                }
                let base = self.path_of_depth(m.object(), depth + 1)?;
                Some(join(&base, name))
            }
            Expression::ChainExpression(c) => {
                let m = c.expression.as_member_expression()?;
                let name = m.static_property_name()?;
                if name == "AP" && self.is_global_object(m.object()) {
                    return Some(String::new());
                }
                let base = self.path_of_depth(m.object(), depth + 1)?;
                Some(join(&base, name))
            }
            // `window.AP || {}`, `AP && AP.events`
            Expression::LogicalExpression(l) => match l.operator {
                LogicalOperator::Or | LogicalOperator::Coalesce => {
                    self.path_of_depth(&l.left, depth + 1)
                }
                LogicalOperator::And => self.path_of_depth(&l.right, depth + 1),
            },
            _ => None,
        }
    }

    /// Binds the names in `pattern` to `path` (destructuring goes one member deeper per level).
    fn bind(&mut self, pattern: &BindingPattern<'_>, path: &str, changed: &mut bool) {
        match pattern {
            BindingPattern::BindingIdentifier(b) => {
                if let Some(s) = b.symbol_id.get() {
                    if self.aliases.get(&s).map(String::as_str) != Some(path) {
                        self.aliases.insert(s, path.to_string());
                        *changed = true;
                    }
                }
            }
            BindingPattern::ObjectPattern(o) => {
                for p in &o.properties {
                    if let Some(name) = property_name(&p.key) {
                        let sub = join(path, &name);
                        self.bind(&p.value, &sub, changed);
                    }
                }
            }
            BindingPattern::AssignmentPattern(a) => self.bind(&a.left, path, changed),
            BindingPattern::ArrayPattern(_) => {}
        }
    }

    /// Finds the aliases: declarators and assignments whose value is an AP path, and the
    /// parameters of `AP.require` callbacks. Repeated until nothing changes, since an alias can
    /// be used before the line that makes it (hoisting, callbacks), a few rounds at most.
    fn resolve_aliases(&mut self, c: &Collect<'a>, classic: bool) {
        for (d, kind) in c.declarators.iter().zip(&c.var_kinds) {
            if let (BindingPattern::BindingIdentifier(b), Some(init)) = (&d.id, &d.init) {
                if let Some(s) = b.symbol_id.get() {
                    if *kind == VariableDeclarationKind::Const || !self.scoping.symbol_is_mutated(s)
                    {
                        self.inits.insert(s, init);
                    }
                }
            }
            // `var AP;` at the top of a classic script redeclares the global, it does not hide it.
            if let (BindingPattern::BindingIdentifier(b), None, true) = (&d.id, &d.init, classic) {
                if let Some(s) = b.symbol_id.get() {
                    if b.name == "AP"
                        && *kind == VariableDeclarationKind::Var
                        && self.scoping.symbol_scope_id(s) == self.scoping.root_scope_id()
                        && !self.scoping.symbol_is_mutated(s)
                    {
                        self.aliases.insert(s, String::new());
                    }
                }
            }
        }
        for _round in 0..4 {
            let mut changed = false;
            for d in &c.declarators {
                if let Some(path) = d.init.as_ref().and_then(|e| self.path_of(e)) {
                    self.bind(&d.id, &path, &mut changed);
                }
            }
            for (target, value) in &c.assignments {
                let Some(path) = self.path_of(value) else {
                    continue;
                };
                if let AssignmentTarget::AssignmentTargetIdentifier(id) = target {
                    match self.symbol_of(id) {
                        Some(s) => {
                            if self.aliases.get(&s) != Some(&path) {
                                self.aliases.insert(s, path);
                                changed = true;
                            }
                        }
                        None => {
                            if self.globals.get(id.name.as_str()) != Some(&path) {
                                self.globals.insert(id.name.to_string(), path);
                                changed = true;
                            }
                        }
                    }
                }
            }
            for (call, _) in &c.calls {
                if self.path_of(&call.callee).as_deref() == Some("require") {
                    self.bind_require(call, &mut changed);
                }
                self.bind_wrapper(call, &mut changed);
            }
            if !changed {
                break;
            }
        }
        if classic {
            let root = self.scoping.root_scope_id();
            for (s, path) in &self.aliases {
                if self.scoping.symbol_scope_id(*s) == root {
                    self.globals
                        .insert(self.scoping.symbol_name(*s).to_string(), path.clone());
                }
            }
        }
    }

    /// A function called on the spot with AP as an argument, the usual module wrapper:
    /// `(function ($, AP) {...})(jQuery, window.AP)`, or `.call(this, AP)`: its parameter is AP.
    fn bind_wrapper(&mut self, call: &CallExpression<'_>, changed: &mut bool) {
        let (callee, skip) = match call.callee.get_inner_expression() {
            Expression::StaticMemberExpression(m) if m.property.name == "call" => {
                (m.object.get_inner_expression(), 1)
            }
            e => (e, 0),
        };
        let Some(params) = function_params(callee) else {
            return;
        };
        for (i, param) in params.items.iter().enumerate() {
            let arg = expression_arg(&call.arguments, i + skip);
            if let Some(path) = arg.and_then(|a| self.path_of(a)) {
                self.bind(&param.pattern, &path, changed);
            }
        }
    }

    /// `AP.require(['request', 'events'], function (request, events) {...})`.
    fn bind_require(&mut self, call: &CallExpression<'_>, changed: &mut bool) {
        let names: Vec<String> = match expression_arg(&call.arguments, 0) {
            Some(Expression::StringLiteral(s)) => vec![s.value.to_string()],
            Some(Expression::ArrayExpression(a)) => a
                .elements
                .iter()
                .map(|e| match e {
                    ArrayExpressionElement::StringLiteral(s) => s.value.to_string(),
                    _ => String::new(),
                })
                .collect(),
            _ => return,
        };
        let Some(params) = expression_arg(&call.arguments, 1).and_then(function_params) else {
            return;
        };
        for (param, name) in params.items.iter().zip(&names) {
            if !name.is_empty() {
                self.bind(&param.pattern, name, changed);
            }
        }
    }

    fn static_string(&self, e: &Expression<'_>, depth: u32) -> Static {
        if depth > MAX_DEPTH {
            return Static::Unknown;
        }
        match e.get_inner_expression() {
            Expression::StringLiteral(s) => Static::Exact(s.value.to_string()),
            Expression::TemplateLiteral(t) => {
                let first = t
                    .quasis
                    .first()
                    .map(|q| q.value.cooked.unwrap_or(q.value.raw).to_string())
                    .unwrap_or_default();
                if t.expressions.is_empty() {
                    Static::Exact(first)
                } else {
                    Static::Prefix(first)
                }
            }
            Expression::BinaryExpression(b)
                if b.operator == oxc_syntax::operator::BinaryOperator::Addition =>
            {
                match self.static_string(&b.left, depth + 1) {
                    Static::Exact(l) => match self.static_string(&b.right, depth + 1) {
                        Static::Exact(r) => Static::Exact(l + &r),
                        Static::Prefix(r) => Static::Prefix(l + &r),
                        Static::Unknown => Static::Prefix(l),
                    },
                    p @ Static::Prefix(_) => p,
                    Static::Unknown => Static::Unknown,
                }
            }
            Expression::Identifier(id) => match self.symbol_of(id).and_then(|s| self.inits.get(&s))
            {
                Some(init) => self.static_string(init, depth + 1),
                None => Static::Unknown,
            },
            // `SETTINGS.url`: a property of a constant object of this script, or of a settings
            // object an earlier classic script declared.
            Expression::StaticMemberExpression(m) => {
                let Expression::Identifier(id) = m.object.get_inner_expression() else {
                    return Static::Unknown;
                };
                let name = m.property.name.as_str();
                match self.symbol_of(id) {
                    Some(s) => match self.inits.get(&s).map(|e| e.get_inner_expression()) {
                        Some(Expression::ObjectExpression(o)) => object_property(o, &[name])
                            .map_or(Static::Unknown, |v| self.static_string(v, depth + 1)),
                        _ => Static::Unknown,
                    },
                    None => self
                        .constants
                        .get(id.name.as_str())
                        .and_then(|props| props.get(name))
                        .map_or(Static::Unknown, |v| Static::Exact(v.clone())),
                }
            }
            _ => Static::Unknown,
        }
    }

    fn report(&mut self, c: &Collect<'a>, earlier: &HashMap<String, Wrapper>, out: &mut Analysis) {
        let first_endpoint = out.endpoints.len();
        let first_request = out.requests.len();
        // Only a request whose URL is not known needs the named functions: worked out then.
        let named = std::cell::OnceCell::new();
        let named = || named.get_or_init(|| named_functions(c)).as_slice();
        let mut calls = Vec::new();
        let mut token_calls: Vec<(&CallExpression<'_>, Option<Span>)> = Vec::new();
        for (call, func) in &c.calls {
            let Some(mut api) = self.path_of(&call.callee) else {
                // A known API passed as a value (`promisify(AP.request)`) counts as its use.
                for arg in call.arguments.iter().filter_map(Argument::as_expression) {
                    if let Some(api) = self.path_of(arg).filter(|p| apis::is_known(p)) {
                        calls.push(self.call(api, arg.span().start));
                    }
                }
                continue;
            };
            if api.is_empty() {
                continue;
            }
            for suffix in [".call", ".apply"] {
                if let Some(base) = api.strip_suffix(suffix).filter(|b| apis::is_known(b)) {
                    api = base.to_string();
                }
            }
            let start = call.callee.span().start;
            let mut entry = self.call(api.clone(), start);
            if api == "request" {
                self.request(call, start, &mut entry, &named, out);
            } else if api == "context.getToken" {
                token_calls.push((call, *func));
            } else if apis::is_listener(&api) || apis::is_emitter(&api) {
                match expression_arg(&call.arguments, 0).map(|e| self.static_string(e, 0)) {
                    Some(Static::Exact(name)) => {
                        let list = if apis::is_listener(&api) {
                            &mut out.listens
                        } else {
                            &mut out.emits
                        };
                        list.push(EventUse {
                            name,
                            api: api.clone(),
                            place: self.lines.place(start),
                        });
                    }
                    _ => out.warnings.push(self.lines.warning(
                        start,
                        format!("AP.{api}: the event name is not a string literal, so it cannot be checked against the modules still on Connect"),
                    )),
                }
            }
            calls.push(entry);
        }
        out.calls.extend(calls);
        self.wrapper_calls(c, earlier, out);
        if let Some(new) = out.requests.get_mut(first_request..) {
            new.sort_by_key(|r| (r.place.line, r.place.column));
        }
        self.backend_calls(c, &token_calls, out);
        if let Some(new) = out.endpoints.get_mut(first_endpoint..) {
            new.sort_by_key(|e| (e.place.line, e.place.column));
        }
    }

    fn call(&self, api: String, start: u32) -> ApiCall {
        let row = apis::lookup(&api);
        let place = self.lines.place(start);
        ApiCall {
            api,
            file: place.file,
            line: place.line,
            column: place.column,
            support: row.support,
            note: row.note.to_string(),
        }
    }

    /// The URL and method of an `AP.request` call: `(url)`, `(url, options)` or `(options)`.
    fn request<'n>(
        &mut self,
        call: &CallExpression<'_>,
        start: u32,
        entry: &mut ApiCall,
        named: &dyn Fn() -> &'n [NamedFunction],
        out: &mut Analysis,
    ) {
        let first = expression_arg(&call.arguments, 0).map(Expression::get_inner_expression);
        let (url, options) = match first {
            Some(Expression::ObjectExpression(o)) => (object_property(o, &["url"]), Some(&**o)),
            Some(e) => (
                Some(e),
                match expression_arg(&call.arguments, 1).map(Expression::get_inner_expression) {
                    Some(Expression::ObjectExpression(o)) => Some(&**o),
                    _ => None,
                },
            ),
            None => (None, None),
        };
        let url_text = url.map_or(Static::Unknown, |u| self.static_string(u, 0));
        if url_text == Static::Unknown {
            if let Some((name, w)) = url.and_then(|u| self.as_wrapper(u, options, named())) {
                entry.note = format!(
                    "the URL is a parameter of {name}: the REST paths of its callers are checked"
                );
                self.wrappers.insert(name, w);
                return;
            }
        }
        let url = url_text;
        let method = self.method(options, out);
        let place = self.lines.place(start);
        match url.known() {
            Some((path, _)) if !path.starts_with("/rest/") => {
                entry.support = Support::Unsupported;
                entry.note = apis::REQUEST_BACKEND_NOTE.to_string();
                out.endpoints.push(Endpoint {
                    via: "AP.request".to_string(),
                    method: Some(method.clone().unwrap_or_else(|| "GET".into())),
                    path: Some(path.to_string()),
                    place,
                    support: Support::Unsupported,
                    note: ENDPOINT_NOTE.to_string(),
                });
            }
            known => {
                let (path, exact) = known.map_or((None, false), |(p, e)| (Some(p.to_string()), e));
                let scopes = match &path {
                    Some(p) => {
                        let m = method.as_deref().unwrap_or("GET");
                        let rule = scopes::scopes_for(m, p);
                        if let Some(r) = rule.filter(|r| r.guessed) {
                            out.warnings.push(self.lines.warning(start, format!(
                                "AP.request {m} {p}: no row of the scope table matches; assumed {}, check the operation's \"OAuth scopes required\"",
                                r.scopes.join(", ")
                            )));
                        }
                        rule.map(|r| r.scopes.iter().map(|s| s.to_string()).collect())
                            .unwrap_or_default()
                    }
                    None => {
                        entry.support = Support::Differs;
                        entry.note = apis::REQUEST_UNKNOWN_NOTE.to_string();
                        out.warnings.push(self.lines.warning(
                            start,
                            "AP.request: the URL is not statically known, so the scopes it needs cannot be inferred; add them to the manifest by hand".to_string(),
                        ));
                        Vec::new()
                    }
                };
                out.requests.push(RestRequest {
                    method,
                    path,
                    exact,
                    place,
                    scopes,
                });
            }
        }
    }

    /// When a request's URL is a parameter of a named function (a wrapper over `AP.request`),
    /// that function's name and which of its parameters are the URL and method.
    fn as_wrapper(
        &self,
        url: &Expression<'_>,
        options: Option<&ObjectExpression<'_>>,
        named: &[NamedFunction],
    ) -> Option<(String, Wrapper)> {
        let param = |e: &Expression<'_>| match e.get_inner_expression() {
            Expression::Identifier(id) => self.symbol_of(id),
            _ => None,
        };
        let url_symbol = param(url)?;
        let (name, params) = named
            .iter()
            .find(|(_, params)| params.contains(&Some(url_symbol)))?;
        let index = |s: SymbolId| params.iter().position(|p| *p == Some(s));
        let method = match options.and_then(|o| object_property(o, &["type", "method"])) {
            None => WrapperMethod::Fixed("GET".into()),
            Some(m) => match self.static_string(m, 0) {
                Static::Exact(m) => WrapperMethod::Fixed(m.to_ascii_uppercase()),
                _ => param(m)
                    .and_then(index)
                    .map_or(WrapperMethod::Unknown, WrapperMethod::Param),
            },
        };
        Some((
            name.clone(),
            Wrapper {
                url: index(url_symbol)?,
                method,
            },
        ))
    }

    /// Calls of a wrapper (this script's or an earlier one's): each is a REST request at the call
    /// site, with the caller's arguments as its URL and method.
    fn wrapper_calls(
        &self,
        c: &Collect<'a>,
        earlier: &HashMap<String, Wrapper>,
        out: &mut Analysis,
    ) {
        if self.wrappers.is_empty() && earlier.is_empty() {
            return;
        }
        for (call, _) in &c.calls {
            let Some(name) = callee_name(&call.callee) else {
                continue;
            };
            let Some(w) = self.wrappers.get(&name).or_else(|| earlier.get(&name)) else {
                continue;
            };
            let start = call.span.start;
            let url = expression_arg(&call.arguments, w.url)
                .map_or(Static::Unknown, |u| self.static_string(u, 0));
            let method = match &w.method {
                WrapperMethod::Fixed(m) => Some(m.clone()),
                WrapperMethod::Param(i) => {
                    match expression_arg(&call.arguments, *i).map(|m| self.static_string(m, 0)) {
                        Some(Static::Exact(m)) => Some(m.to_ascii_uppercase()),
                        _ => None,
                    }
                }
                WrapperMethod::Unknown => None,
            };
            let Some((path, exact)) = url.known() else {
                out.warnings.push(self.lines.warning(
                    start,
                    format!("{name} (which calls AP.request): the URL is not statically known, so the scopes it needs cannot be inferred; add them to the manifest by hand"),
                ));
                continue;
            };
            if !path.starts_with("/rest/") {
                // The app's own backend, through the wrapper: no Connect JWT on Forge.
                out.endpoints.push(Endpoint {
                    via: format!("{name} (AP.request)"),
                    method: Some(method.unwrap_or_else(|| "GET".into())),
                    path: Some(path.to_string()),
                    place: self.lines.place(start),
                    support: Support::Unsupported,
                    note: ENDPOINT_NOTE.to_string(),
                });
                continue;
            }
            if method.is_none() {
                out.warnings.push(self.lines.warning(
                    start,
                    format!("{name} (which calls AP.request): the method is not statically known; scopes are inferred as for GET"),
                ));
            }
            let m = method.as_deref().unwrap_or("GET");
            let rule = scopes::scopes_for(m, path);
            if let Some(r) = rule.as_ref().filter(|r| r.guessed) {
                out.warnings.push(self.lines.warning(start, format!(
                    "{name} {m} {path}: no row of the scope table matches; assumed {}, check the operation's \"OAuth scopes required\"",
                    r.scopes.join(", ")
                )));
            }
            out.requests.push(RestRequest {
                method: method.clone(),
                path: Some(path.to_string()),
                exact,
                place: self.lines.place(start),
                scopes: rule
                    .map(|r| r.scopes.iter().map(|s| s.to_string()).collect())
                    .unwrap_or_default(),
            });
        }
    }

    /// The upper-case method of a request's options (`type` or `method`), `GET` when absent,
    /// `None` (with a warning) when not static.
    fn method(&self, options: Option<&ObjectExpression<'_>>, out: &mut Analysis) -> Option<String> {
        let Some(value) = options.and_then(|o| object_property(o, &["type", "method"])) else {
            return Some("GET".to_string());
        };
        match self.static_string(value, 0) {
            Static::Exact(m) => Some(m.to_ascii_uppercase()),
            _ => {
                out.warnings.push(self.lines.warning(
                    value.span().start,
                    "the request's method is not statically known; scopes are inferred as for GET"
                        .to_string(),
                ));
                None
            }
        }
    }

    /// jQuery, fetch and XMLHttpRequest calls to the app's own backend near a Connect token.
    fn backend_calls(
        &self,
        c: &Collect<'a>,
        tokens: &[(&CallExpression<'_>, Option<Span>)],
        out: &mut Analysis,
    ) {
        let mut used_tokens: HashSet<u32> = HashSet::new();
        for (call, func) in &c.calls {
            let Some((via, method, url, options)) = self.http_call(call) else {
                continue;
            };
            let url = url.map_or(Static::Unknown, |u| self.static_string(u, 0));
            if url.known().is_some_and(|(p, _)| p.starts_with("/rest/")) {
                continue;
            }
            let near = tokens.iter().find(|(t, tf)| {
                let inside_callback =
                    t.span.start <= call.span.start && call.span.end <= t.span.end;
                let same_function = tf.is_some() && tf == func;
                inside_callback || same_function
            });
            let carries = url.known().is_some_and(|(p, _)| p.contains("jwt="))
                || options.is_some_and(|o| self.has_jwt_header(o));
            if near.is_none() && !carries {
                continue;
            }
            if let Some((t, _)) = near {
                used_tokens.insert(t.span.start);
            }
            let method = method.or_else(|| {
                options
                    .and_then(|o| object_property(o, &["type", "method"]))
                    .and_then(|m| match self.static_string(m, 0) {
                        Static::Exact(m) => Some(m.to_ascii_uppercase()),
                        _ => None,
                    })
            });
            let start = call.callee.span().start;
            out.endpoints.push(Endpoint {
                via: via.to_string(),
                method: method.or_else(|| Some("GET".to_string())),
                path: url.known().map(|(p, _)| p.to_string()),
                place: self.lines.place(start),
                support: Support::Unsupported,
                note: ENDPOINT_NOTE.to_string(),
            });
        }
        for (t, _) in tokens {
            if !used_tokens.contains(&t.span.start) {
                out.endpoints.push(Endpoint {
                    via: "AP.context.getToken".to_string(),
                    method: None,
                    path: None,
                    place: self.lines.place(t.callee.span().start),
                    support: Support::Unsupported,
                    note: format!("no request found next to this token; {ENDPOINT_NOTE}"),
                });
            }
        }
    }

    fn has_jwt_header(&self, o: &ObjectExpression<'_>) -> bool {
        let Some(Expression::ObjectExpression(h)) =
            object_property(o, &["headers"]).map(Expression::get_inner_expression)
        else {
            return false;
        };
        h.properties.iter().any(|p| match p {
            ObjectPropertyKind::ObjectProperty(p) => {
                property_name(&p.key).is_some_and(|n| n.eq_ignore_ascii_case("authorization"))
                    && self
                        .text
                        .get(p.value.span().start as usize..p.value.span().end as usize)
                        .is_some_and(|v| v.to_ascii_lowercase().contains("jwt"))
            }
            _ => false,
        })
    }

    /// `(via, method, url, options)` of a jQuery, fetch or XMLHttpRequest call.
    #[allow(clippy::type_complexity)]
    fn http_call<'b>(
        &self,
        call: &'b CallExpression<'a>,
    ) -> Option<(
        &'static str,
        Option<String>,
        Option<&'b Expression<'a>>,
        Option<&'b ObjectExpression<'a>>,
    )> {
        let object =
            |i| match expression_arg(&call.arguments, i).map(Expression::get_inner_expression) {
                Some(Expression::ObjectExpression(o)) => Some(&**o),
                _ => None,
            };
        match call.callee.get_inner_expression() {
            Expression::Identifier(id) if id.name == "fetch" => {
                Some(("fetch", None, expression_arg(&call.arguments, 0), object(1)))
            }
            callee => {
                let m = callee.as_member_expression()?;
                let name = m.static_property_name()?;
                let on_jquery = matches!(m.object().get_inner_expression(), Expression::Identifier(id) if id.name == "$" || id.name == "jQuery");
                match name {
                    "ajax" if on_jquery => match object(0) {
                        Some(o) => Some(("$.ajax", None, object_property(o, &["url"]), Some(o))),
                        None => Some((
                            "$.ajax",
                            None,
                            expression_arg(&call.arguments, 0),
                            object(1),
                        )),
                    },
                    "get" | "getJSON" if on_jquery => Some((
                        "$.get",
                        Some("GET".into()),
                        expression_arg(&call.arguments, 0),
                        None,
                    )),
                    "post" if on_jquery => Some((
                        "$.post",
                        Some("POST".into()),
                        expression_arg(&call.arguments, 0),
                        None,
                    )),
                    "fetch" if self.is_global_object(m.object()) => {
                        Some(("fetch", None, expression_arg(&call.arguments, 0), object(1)))
                    }
                    "open" => match expression_arg(&call.arguments, 0)? {
                        Expression::StringLiteral(s)
                            if matches!(
                                s.value.to_ascii_uppercase().as_str(),
                                "GET" | "POST" | "PUT" | "DELETE" | "PATCH"
                            ) =>
                        {
                            Some((
                                "XMLHttpRequest",
                                Some(s.value.to_ascii_uppercase()),
                                expression_arg(&call.arguments, 1),
                                None,
                            ))
                        }
                        _ => None,
                    },
                    _ => None,
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Analysis {
        analyze(&[ScriptInput::file("a.js", text)], &["READ"])
    }

    fn apis_of(a: &Analysis) -> Vec<(String, u32, u32)> {
        a.calls
            .iter()
            .map(|c| (c.api.clone(), c.line, c.column))
            .collect()
    }

    #[test]
    fn global_ap_and_its_aliases() {
        let a = one(concat!(
            "var ap = AP;\n",
            "ap.resize();\n",
            "window.AP.flag.create({});\n",
            "const { events, request: r } = AP;\n",
            "events.on('x', f); r('/rest/api/3/myself');\n",
            "var ev = self.AP.events; ev.emit('y');\n",
            "globalThis.AP['navigator'].go('issue', {});\n",
        ));
        assert_eq!(
            apis_of(&a),
            vec![
                ("resize".into(), 2, 1),
                ("flag.create".into(), 3, 1),
                ("events.on".into(), 5, 1),
                ("request".into(), 5, 20),
                ("events.emit".into(), 6, 26),
                ("navigator.go".into(), 7, 1),
            ]
        );
        assert_eq!(a.listens[0].name, "x");
        assert_eq!(a.emits[0].name, "y");
    }

    #[test]
    fn a_wrapper_called_with_ap_makes_its_parameter_ap() {
        let a = one(
            "(function ($, AP) {\n  AP.host.getSelectedText(function () {});\n})(jQuery, window.AP);\n\
             (function (ap) { ap.flag.create({}); }).call(this, AP);\n\
             ((events) => events.on('x', f))(AP.events);\n\
             (function (AP) { AP.resize(); })(somethingElse);\n",
        );
        assert_eq!(
            apis_of(&a),
            [
                ("host.getSelectedText".to_string(), 2, 3),
                ("flag.create".to_string(), 4, 18),
                ("events.on".to_string(), 5, 14),
            ]
        );
    }

    #[test]
    fn a_local_or_parameter_named_ap_is_not_reported() {
        let a = one(concat!(
            "function f(AP) { AP.request('/x'); }\n",
            "(function () { var AP = makeFake(); AP.events.emit('e'); })();\n",
            "let window = {}; window.AP.resize();\n",
        ));
        assert!(a.calls.is_empty(), "{:?}", a.calls);
    }

    #[test]
    fn require_parameters_are_the_modules() {
        let a = one(concat!(
            "AP.require(['request', 'events'], function (request, events) {\n",
            "  request({url: '/rest/api/3/issue/' + key, type: 'put'});\n",
            "  events.onPublic('ISSUE_CHANGED', f);\n",
            "});\n",
            "AP.require('flag', (flag) => flag.create({}));\n",
        ));
        let names: Vec<_> = a.calls.iter().map(|c| c.api.as_str()).collect();
        assert_eq!(
            names,
            [
                "require",
                "request",
                "events.onPublic",
                "require",
                "flag.create"
            ]
        );
        assert_eq!(a.requests[0].method.as_deref(), Some("PUT"));
        assert_eq!(a.requests[0].path.as_deref(), Some("/rest/api/3/issue/"));
        assert!(!a.requests[0].exact);
        assert_eq!(a.scopes[0].scope, "write:jira-work");
        assert!(!a.scopes[0].covered_by_connect);
    }

    #[test]
    fn aliases_cross_classic_scripts_in_document_order() {
        let a = analyze(
            &[
                ScriptInput::file("one.js", "var ap = window.AP; implicit = AP.events;"),
                ScriptInput::file("two.js", "ap.resize(); implicit.emit('z');"),
            ],
            &[],
        );
        assert_eq!(
            apis_of(&a),
            vec![("resize".into(), 1, 1), ("events.emit".into(), 1, 14)]
        );
        assert_eq!(a.calls[1].file, "two.js");
    }

    #[test]
    fn settings_objects_name_events_and_urls_across_classic_scripts() {
        let a = analyze(
            &[
                ScriptInput::file(
                    "settings.js",
                    "var SETTINGS = { panelEvent: 'watcher.status', 'base': '/rest/api/3/issue/', n: 1 };",
                ),
                ScriptInput::file(
                    "main.js",
                    "var local = { put: '/rest/api/3/issue/K-1' };\n\
                     AP.events.emit(SETTINGS.panelEvent, {});\n\
                     AP.request({ url: SETTINGS.base + key });\n\
                     AP.request({ url: local.put, type: 'PUT' });\n\
                     AP.events.emit(SETTINGS.n);\n",
                ),
            ],
            &[],
        );
        let emits: Vec<&str> = a.emits.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(emits, ["watcher.status"]);
        let paths: Vec<(Option<&str>, Option<&str>)> = a
            .requests
            .iter()
            .map(|r| (r.method.as_deref(), r.path.as_deref()))
            .collect();
        assert_eq!(
            paths,
            [
                (Some("GET"), Some("/rest/api/3/issue/")),
                (Some("PUT"), Some("/rest/api/3/issue/K-1"))
            ]
        );
        // A property that is not a string stays unknown: a warning, no event.
        assert!(a
            .warnings
            .iter()
            .any(|w| w.position.map(|p| p.line) == Some(5)));
    }

    #[test]
    fn requests_through_a_wrapper_take_the_callers_paths() {
        let a = analyze(
            &[
                ScriptInput::file(
                    "client.js",
                    "var Client = {\n  send: function (method, path, data) { AP.request({ url: path, type: method, data: data }); },\n  get: function (path) { AP.require('request', function (r) { r({ url: path }); }); }\n};\n\
                     function del(path) { AP.request(path, { type: 'DELETE' }); }\n",
                ),
                ScriptInput::file(
                    "page.js",
                    "Client.send('PUT', '/rest/api/3/issue/' + key, {});\n\
                     Client.get('/rest/api/3/myself');\n\
                     Client.send(verb, '/rest/api/3/issue/K');\n\
                     Client.get(somewhere);\n\
                     Client.get('/api/own-backend');\n",
                ),
                ScriptInput::file("late.js", "del('/rest/api/3/issue/K-1');\n"),
            ],
            &[],
        );
        let got: Vec<(Option<&str>, Option<&str>, &str, u32)> = a
            .requests
            .iter()
            .map(|r| {
                (
                    r.method.as_deref(),
                    r.path.as_deref(),
                    r.place.file.as_str(),
                    r.place.line,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (Some("PUT"), Some("/rest/api/3/issue/"), "page.js", 1),
                (Some("GET"), Some("/rest/api/3/myself"), "page.js", 2),
                (None, Some("/rest/api/3/issue/K"), "page.js", 3),
                (Some("DELETE"), Some("/rest/api/3/issue/K-1"), "late.js", 1),
            ]
        );
        let scopes: Vec<&str> = a.scopes.iter().map(|s| s.scope.as_str()).collect();
        assert_eq!(
            scopes,
            ["write:jira-work", "read:jira-user", "read:jira-work"]
        );
        // The wrappers' own calls are not unknown URLs; the callers that are say so, where they are.
        let lines: Vec<(&str, Option<usize>)> = a
            .warnings
            .iter()
            .map(|w| (w.file.as_str(), w.position.map(|p| p.line)))
            .collect();
        assert_eq!(
            lines,
            [("page.js", Some(3)), ("page.js", Some(4))],
            "{:#?}",
            a.warnings
        );
        assert!(a
            .calls
            .iter()
            .any(|c| c.note.contains("a parameter of Client.send")));
        let backend: Vec<(&str, Option<&str>, u32)> = a
            .endpoints
            .iter()
            .map(|e| (e.via.as_str(), e.path.as_deref(), e.place.line))
            .collect();
        assert_eq!(
            backend,
            [("Client.get (AP.request)", Some("/api/own-backend"), 5)]
        );
    }

    #[test]
    fn positions_are_in_the_original_file() {
        let s = ScriptInput {
            file: "views/sla.hbs",
            text: "  AP.resize();\n\tAP.hideFooter();",
            line: 10,
            column: 9,
        };
        let a = analyze(&[s], &[]);
        assert_eq!(
            apis_of(&a),
            vec![("resize".into(), 10, 11), ("hideFooter".into(), 11, 2)]
        );
        // Columns count characters, not bytes.
        let a = one("var é = 'ü'; AP.resize();");
        assert_eq!(a.calls[0].column, 14);
    }

    #[test]
    fn a_broken_script_warns_and_the_next_one_is_analysed() {
        let a = analyze(
            &[
                ScriptInput {
                    file: "views/p.hbs",
                    text: "AP.resize();\nfunction (",
                    line: 3,
                    column: 5,
                },
                ScriptInput::file("b.js", "AP.resize();"),
            ],
            &[],
        );
        assert_eq!(a.calls.len(), 1);
        assert_eq!(a.calls[0].file, "b.js");
        let w = &a.warnings[0];
        assert_eq!(w.file, "views/p.hbs");
        assert_eq!(w.position.map(|p| p.line), Some(4));
        assert!(w.message.contains("does not parse"), "{}", w.message);
    }

    #[test]
    fn html_comment_wrappers_and_crlf_lines() {
        // Old inline scripts hide themselves from pre-JavaScript browsers; Windows line ends.
        let a = one("<!--\r\nAP.resize();\r\n  AP.hideFooter();\r\n// -->\r\n");
        assert_eq!(
            apis_of(&a),
            vec![("resize".into(), 2, 1), ("hideFooter".into(), 3, 3)]
        );
    }

    #[test]
    fn scripts_that_cannot_reach_connect_are_told_apart() {
        let none = HashMap::new();
        assert!(!may_use_connect("var MAP = WRAP_AP; APx(); _AP.y", &none));
        assert!(may_use_connect("x=AP.resize()", &none));
        assert!(may_use_connect("\u{a0}AP", &none));
        assert!(may_use_connect("h.Authorization = 'JwT ' + t", &none));
        let globals = HashMap::from([("ap".to_string(), String::new())]);
        assert!(may_use_connect("ap.resize()", &globals));
        assert!(!may_use_connect("map.resize()", &globals));
        // A skipped script still reports that it does not parse.
        let a = one("var x = (;");
        assert_eq!(a.warnings.len(), 1);
    }

    #[test]
    fn a_module_parses_as_a_module() {
        let a = one("import x from './x.js';\nAP.resize(x);");
        assert_eq!(apis_of(&a), vec![("resize".into(), 2, 1)]);
        assert!(a.warnings.is_empty());
    }

    #[test]
    fn rest_paths_from_literals_concatenation_templates_and_constants() {
        let a = one(concat!(
            "const base = '/rest/api/3/';\n",
            "AP.request(base + 'myself');\n",
            "AP.request(`/rest/api/3/issue/${key}/properties/x`, {type: 'PUT'});\n",
            "AP.request({url: '/rest/api/2/search?jql=' + jql, success: f});\n",
            "AP.request(someUrl);\n",
            "let mutable = '/rest/api/3/myself'; mutable = other; AP.request(mutable);\n",
        ));
        let r: Vec<_> = a
            .requests
            .iter()
            .map(|r| (r.method.as_deref(), r.path.as_deref(), r.exact))
            .collect();
        assert_eq!(
            r,
            vec![
                (Some("GET"), Some("/rest/api/3/myself"), true),
                (Some("PUT"), Some("/rest/api/3/issue/"), false),
                (Some("GET"), Some("/rest/api/2/search?jql="), false),
                (Some("GET"), None, false),
                (Some("GET"), None, false),
            ]
        );
        let scopes: Vec<_> = a
            .scopes
            .iter()
            .map(|s| (s.scope.as_str(), s.covered_by_connect))
            .collect();
        assert_eq!(
            scopes,
            vec![
                ("read:jira-user", true),
                ("write:jira-work", false),
                ("read:jira-work", true)
            ]
        );
        let unresolved: Vec<_> = a
            .warnings
            .iter()
            .filter(|w| w.message.contains("not statically known"))
            .map(|w| w.position.map(|p| p.line))
            .collect();
        assert_eq!(unresolved, vec![Some(5), Some(6)]);
        assert_eq!(a.calls[3].support, Support::Differs);
    }

    #[test]
    fn backend_calls_with_a_token_are_endpoints() {
        let a = one(concat!(
            "AP.request('/api/sla');\n",
            "AP.context.getToken(function (token) {\n",
            "  $.ajax({url: '/api/check', type: 'POST', headers: {Authorization: 'JWT ' + token}});\n",
            "});\n",
            "async function g() { const t = await AP.context.getToken(); return fetch(`/api/x/${id}`, {method: 'PUT'}); }\n",
            "function h(t) { $.get('/api/y?jwt=' + t); }\n",
            "function unrelated() { $.get('/api/z'); fetch('/rest/api/3/myself'); }\n",
            "AP.context.getToken().then(save);\n",
        ));
        let e: Vec<_> = a
            .endpoints
            .iter()
            .map(|e| {
                (
                    e.via.as_str(),
                    e.method.as_deref(),
                    e.path.as_deref(),
                    e.place.line,
                )
            })
            .collect();
        assert_eq!(
            e,
            vec![
                ("AP.request", Some("GET"), Some("/api/sla"), 1),
                ("$.ajax", Some("POST"), Some("/api/check"), 3),
                ("fetch", Some("PUT"), Some("/api/x/"), 5),
                ("$.get", Some("GET"), Some("/api/y?jwt="), 6),
                ("AP.context.getToken", None, None, 8),
            ]
        );
        assert!(a.endpoints.iter().all(|e| e.note.contains("invokeRemote")));
        assert_eq!(a.calls[0].support, Support::Unsupported);
        assert!(a.requests.is_empty());
    }

    #[test]
    fn values_and_optional_chains_count() {
        let a = one("promisify(AP.request); AP?.events?.emit?.('e'); AP.resize.call(null);");
        assert_eq!(
            a.calls.iter().map(|c| c.api.as_str()).collect::<Vec<_>>(),
            ["request", "events.emit", "resize"]
        );
        assert_eq!(a.emits[0].name, "e");
    }

    #[test]
    fn unknown_members_are_unsupported() {
        let a = one("AP.host.getSelection(f); AP.inlineDialog.hide();");
        assert!(a.calls.iter().all(|c| c.support == Support::Unsupported));
        assert_eq!(a.calls[0].api, "host.getSelection");
    }

    #[test]
    fn listeners_of_another_page() {
        let (l, w) = event_listeners(&[ScriptInput::file(
            "views/panel.hbs",
            "AP.events.on('sla-breached', f); AP.events.once(name, g);",
        )]);
        assert_eq!(l.len(), 1);
        assert_eq!((l[0].name.as_str(), l[0].place.column), ("sla-breached", 1));
        assert_eq!(w.len(), 1);
    }

    #[test]
    fn an_endpoint_added_later_keeps_the_order() {
        let mut a = one("AP.request('/api/a');\n\n\nAP.request('/api/b');");
        let place = |line| Place {
            file: "a.js".into(),
            line,
            column: 1,
        };
        a.add_endpoint(Endpoint::new("{{token}}", None, None, place(2)));
        let lines: Vec<_> = a.endpoints.iter().map(|e| e.place.line).collect();
        assert_eq!(lines, vec![1, 2, 4]);
    }
}
