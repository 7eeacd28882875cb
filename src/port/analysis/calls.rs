//! Each use of `AP` reported once, with its support on Forge, and the events emitted and
//! listened to by name.

use super::*;

impl<'s, 'a> Script<'s, 'a> {
    pub(super) fn report(
        &mut self,
        c: &Collect<'a>,
        earlier: &HashMap<String, Wrapper>,
        out: &mut Analysis,
    ) {
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
            } else if api == "navigator.go" {
                // The layer sends some targets to Forge's router and refuses the others.
                if let Some(Static::Exact(target)) =
                    expression_arg(&call.arguments, 0).map(|e| self.static_string(e, 0))
                {
                    let row = apis::navigator_target(&target);
                    entry.support = row.support;
                    entry.note = format!("target '{target}': {}", row.note);
                }
            } else if apis::is_listener(&api) || apis::is_emitter(&api) {
                match expression_arg(&call.arguments, 0).map(|e| self.static_string(e, 0)) {
                    Some(Static::Exact(name)) => {
                        if apis::is_listener(&api) {
                            // Support as at run time: a product event Forge never sends is not.
                            let row = apis::event(&name);
                            if row.support != Support::Supported {
                                entry.support = row.support;
                                entry.note = format!("event '{name}': {}", row.note);
                            }
                        }
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
        // Feature tests: an API read as a condition, not called, is a use of it too.
        let before_tests = calls.len();
        // A member of AP the layer does not define, read into a variable
        // (`const sd = AP.jiraServiceDesk;`): undefined on Forge, so what the page does with it
        // is lost there — reported where it is read.
        for d in &c.declarators {
            let Some(init) = d.init.as_ref().filter(|e| {
                matches!(
                    e.get_inner_expression(),
                    Expression::StaticMemberExpression(_)
                        | Expression::ComputedMemberExpression(_)
                        | Expression::ChainExpression(_)
                )
            }) else {
                continue;
            };
            let Some(api) = self.path_of(init).filter(|p| {
                !p.is_empty()
                    && !apis::is_known(p)
                    && !LAYER_NAMESPACES.contains(&p.split('.').next().unwrap_or(p))
            }) else {
                continue;
            };
            let mut entry = self.call(api.clone(), init.span().start);
            entry.note = format!(
                "read into a variable, not called: the compatibility layer does not define AP.{api}, so it is undefined on Forge; {}",
                entry.note
            );
            calls.push(entry);
        }
        // A constructor reached through AP (`new sd.RequestProperties()`) is called too.
        for n in &c.news {
            if let Some(api) = self.path_of(&n.callee).filter(|p| !p.is_empty()) {
                calls.push(self.call(api, n.callee.span().start));
            }
        }
        // A member of AP (known or not) or one of the namespaces the layer defines.
        for e in &c.tests {
            if let Some(api) = self.path_of(e).filter(|p| {
                apis::is_known(p) || p.contains('.') || LAYER_NAMESPACES.contains(&p.as_str())
            }) {
                let namespace = LAYER_NAMESPACES.contains(&api.as_str()) && !apis::is_known(&api);
                let mut entry = self.call(api, e.span().start);
                if namespace {
                    entry.support = Support::Supported;
                    entry.note = "the compatibility layer defines this namespace (each member's support is reported where it is called)".to_string();
                }
                entry.note = if entry.note.is_empty() {
                    "read as a feature test, not called".to_string()
                } else {
                    format!("read as a feature test, not called; {}", entry.note)
                };
                calls.push(entry);
            }
        }
        if calls.len() > before_tests {
            calls.sort_by_key(|c| (c.line, c.column));
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

    pub(super) fn call(&self, api: String, start: u32) -> ApiCall {
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
}

/// The namespaces of `AP` the compatibility layer defines (`templates/scaffold/src/connect-compat.js.hbs`),
/// so a feature test of one (`window.AP && window.AP.confluence`) is true on Forge as on Connect.
const LAYER_NAMESPACES: &[&str] = &[
    "context",
    "events",
    "flag",
    "messages",
    "navigator",
    "jira",
    "confluence",
    "user",
    "theming",
    "dialog",
    "cookie",
    "host",
    "inlineDialog",
    "history",
    "scrollPosition",
    "iframe",
    "page",
    "analytics",
    "customContent",
    "propertyService",
];

/// `AP.x.y(` (or `window.AP.x(`) in code, not after another name's dot.
static TEXT_CALL: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"(?:^|[^.[:word:]$])(?:window[[:space:]]*\.[[:space:]]*)?(AP)[[:space:]]*\.[[:space:]]*([A-Za-z_$][[:word:]$]*(?:[[:space:]]*\.[[:space:]]*[A-Za-z_$][[:word:]$]*)*)[[:space:]]*\(")
        .unwrap_or_else(|e| unreachable!("{e}"))
});

/// The Connect calls of a script that does not parse (Flow, a syntax error), found by their
/// text: comments and the insides of string literals are not code. Each is reported with its
/// API's support and a note that its arguments were not read.
pub(super) fn by_text(text: &str, lines: &super::lines::Lines<'_>) -> Vec<ApiCall> {
    let code = super::blank(text, true);
    TEXT_CALL
        .captures_iter(&code)
        .filter_map(|c| {
            let at = c.get(1)?.start();
            let api: String = c.get(2)?.as_str().split_whitespace().collect();
            let row = apis::lookup(&api);
            let place = lines.place(u32::try_from(at).ok()?);
            let note = if row.note.is_empty() {
                "found by its text (the file does not parse): its arguments are not read"
                    .to_string()
            } else {
                format!(
                    "found by its text (the file does not parse): its arguments are not read; {}",
                    row.note
                )
            };
            Some(ApiCall {
                api,
                file: place.file,
                line: place.line,
                column: place.column,
                support: row.support,
                note,
            })
        })
        .collect()
}
