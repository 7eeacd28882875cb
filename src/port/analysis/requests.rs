//! Requests: `AP.request` to REST paths and the scopes they need, wrappers over it, and calls
//! to the app's own backend that carried a Connect JWT.

use super::*;

impl<'s, 'a> Script<'s, 'a> {
    /// The URL and method of an `AP.request` call: `(url)`, `(url, options)` or `(options)`.
    pub(super) fn request<'n>(
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
    pub(super) fn as_wrapper(
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
    pub(super) fn wrapper_calls(
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
    pub(super) fn method(
        &self,
        options: Option<&ObjectExpression<'_>>,
        out: &mut Analysis,
    ) -> Option<String> {
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
    pub(super) fn backend_calls(
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

    pub(super) fn has_jwt_header(&self, o: &ObjectExpression<'_>) -> bool {
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
    pub(super) fn http_call<'b>(
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
