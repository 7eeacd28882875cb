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
        let url = match url {
            // `https://site.atlassian.net/rest/…`: the product's own REST path.
            Static::Exact(u) => Static::Exact(product_relative(&u).unwrap_or(u)),
            Static::Prefix(u) => Static::Prefix(product_relative(&u).unwrap_or(u)),
            Static::Unknown => Static::Unknown,
        };
        match url.known() {
            Some((path, _)) if is_product_page(path) => {
                entry.support = Support::Unsupported;
                entry.note = PRODUCT_PAGE_NOTE.to_string();
                out.warnings.push(self.lines.warning(
                    start,
                    format!(
                        "AP.request {} {path}: {PRODUCT_PAGE_NOTE}",
                        method.as_deref().unwrap_or("GET")
                    ),
                ));
            }
            Some((path, _)) if scopes::rest_product(path).is_none() => {
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
                let mut product = None;
                let scopes = match &path {
                    Some(p) => {
                        let m = method.as_deref().unwrap_or("GET");
                        let found = scopes::rest_scopes(m, p);
                        product = found.map(|(product, _)| product);
                        if product == Some(scopes::Product::Confluence) {
                            entry.note = apis::REQUEST_CONFLUENCE_NOTE.to_string();
                        }
                        let rule = found.map(|(_, rule)| rule);
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
                    product,
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
            if scopes::rest_product(path).is_none() {
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
            let found = scopes::rest_scopes(m, path);
            let rule = found.map(|(_, rule)| rule);
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
                product: found.map(|(product, _)| product),
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
            let method = method.or_else(|| {
                options
                    .and_then(|o| object_property(o, &["type", "method"]))
                    .and_then(|m| match self.static_string(m, 0) {
                        Static::Exact(m) => Some(m.to_ascii_uppercase()),
                        _ => None,
                    })
            });
            let start = call.callee.span().start;
            let m = method.as_deref().unwrap_or("GET");
            if let Some((u, exact)) = url.known() {
                if let Some(host) = absolute_host(u) {
                    match product_relative(u) {
                        // The product's site from the browser: a REST call that moves to
                        // requestJira/requestConfluence, with its scopes.
                        Some(path) => {
                            if let Some((product, rule)) = scopes::rest_scopes(m, &path) {
                                out.requests.push(RestRequest {
                                    method: Some(m.to_string()),
                                    path: Some(path),
                                    exact,
                                    product: Some(product),
                                    place: self.lines.place(start),
                                    scopes: rule.scopes.iter().map(|s| s.to_string()).collect(),
                                });
                            }
                        }
                        None => {
                            let warning = match crate::port::external::unlistable(u) {
                                Some(why) => format!("{via} {m} {u}: a third-party host ({host}) that manifest.yml cannot list under permissions.external.fetch.client: {why}; on Forge the request is refused: call it over https at a public host"),
                                None => format!("{via} {m} {u}: a third-party host ({host}); on Forge the page reaches it only because manifest.yml now lists https://{host} under permissions.external.fetch.client: check that the host is one the app should call (no Connect JWT is needed)"),
                            };
                            out.warnings.push(self.lines.warning(start, warning));
                            out.external.push(ExternalRequest {
                                via: via.to_string(),
                                method: Some(m.to_string()),
                                url: u.to_string(),
                                host,
                                place: self.lines.place(start),
                                note: EXTERNAL_NOTE.to_string(),
                            });
                        }
                    }
                    continue;
                }
            }
            let near = tokens.iter().find(|(t, tf)| {
                let inside_callback =
                    t.span.start <= call.span.start && call.span.end <= t.span.end;
                let same_function = tf.is_some() && tf == func;
                inside_callback || same_function
            });
            let carries = url.known().is_some_and(|(p, _)| p.contains("jwt="))
                || options.is_some_and(|o| self.has_jwt_header(o));
            // A relative URL is the app's own server, JWT or not; an unknown one only with a token.
            let relative = url.known().is_some();
            if near.is_none() && !carries && !relative {
                continue;
            }
            if let Some((t, _)) = near {
                used_tokens.insert(t.span.start);
            }
            out.endpoints.push(Endpoint {
                via: via.to_string(),
                method: method.or_else(|| Some("GET".to_string())),
                path: url.known().map(|(p, _)| p.to_string()),
                place: self.lines.place(start),
                support: Support::Unsupported,
                note: if near.is_some() || carries {
                    ENDPOINT_NOTE.to_string()
                } else {
                    RELATIVE_NOTE.to_string()
                },
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
        let config = |o: Option<&'b ObjectExpression<'a>>, via| {
            let method = o
                .and_then(|o| object_property(o, &["method"]))
                .and_then(|m| match m.get_inner_expression() {
                    Expression::StringLiteral(s) => Some(s.value.to_ascii_uppercase()),
                    _ => None,
                });
            (via, method, o.and_then(|o| object_property(o, &["url"])), o)
        };
        match call.callee.get_inner_expression() {
            Expression::Identifier(id) if id.name == "fetch" => {
                Some(("fetch", None, expression_arg(&call.arguments, 0), object(1)))
            }
            // `axios(url, config)` or `axios(config)`.
            Expression::Identifier(id) if id.name == "axios" => match object(0) {
                Some(o) => Some(config(Some(o), "axios")),
                None => Some(("axios", None, expression_arg(&call.arguments, 0), object(1))),
            },
            Expression::StaticMemberExpression(m) if matches!(m.object.get_inner_expression(), Expression::Identifier(o) if o.name == "axios") =>
            {
                let name = m.property.name.as_str();
                match name {
                    "request" => Some(config(object(0), "axios")),
                    "get" | "delete" | "head" | "options" => Some((
                        "axios",
                        Some(name.to_ascii_uppercase()),
                        expression_arg(&call.arguments, 0),
                        object(1),
                    )),
                    "post" | "put" | "patch" => Some((
                        "axios",
                        Some(name.to_ascii_uppercase()),
                        expression_arg(&call.arguments, 0),
                        object(2),
                    )),
                    _ => None,
                }
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

/// The note of a call to the app's backend by a relative URL, with no Connect token seen.
const RELATIVE_NOTE: &str = "a call to the app's own server by a relative URL: on Forge the page \
     is served by Atlassian, so the URL no longer reaches the backend; call it with \
     invokeRemote/requestRemote (@forge/bridge) to the `connect` remote";

/// The note of a call to a third-party host.
const EXTERNAL_NOTE: &str =
    "a third-party host: Forge lets the page fetch it because manifest.yml \
     lists it under permissions.external.fetch.client (connect2forge adds it); it never expected \
     a Connect JWT";

/// The note of an `AP.request` to a product page outside the REST API.
const PRODUCT_PAGE_NOTE: &str = "a product page outside the REST API, which is all requestJira \
     and requestConfluence reach: use the REST operation that serves it (an attachment's \
     content is GET /rest/api/3/attachment/content/{id} in Jira, the attachment's \
     _links.download under /wiki in Confluence)";

/// The host of an absolute URL (`https://h/…`, `//h/…`), lower-case.
fn absolute_host(url: &str) -> Option<String> {
    let lower = url.trim_start().to_ascii_lowercase();
    let rest = ["https://", "http://", "//"]
        .iter()
        .find_map(|p| lower.strip_prefix(p))?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    (!host.is_empty()).then(|| host.to_string())
}

/// Whether `host` is an Atlassian product site.
fn is_product_host(host: &str) -> bool {
    let host = host.split(':').next().unwrap_or(host);
    [".atlassian.net", ".jira.com", ".jira-dev.com"]
        .iter()
        .any(|d| host.ends_with(d))
}

/// The path of an absolute URL on the product's site (`https://x.atlassian.net/rest/…` →
/// `/rest/…`); `None` for any other URL.
fn product_relative(url: &str) -> Option<String> {
    let host = absolute_host(url)?;
    if !is_product_host(&host) {
        return None;
    }
    let at = url.to_ascii_lowercase().find(&host)? + host.len();
    let path = url.get(at..).unwrap_or("");
    Some(if path.starts_with('/') {
        path.to_string()
    } else {
        format!("/{path}")
    })
}

/// Whether `path` is a page of the product outside its REST API.
fn is_product_page(path: &str) -> bool {
    [
        "/secure/",
        "/browse/",
        "/download/",
        "/plugins/servlet/",
        "/wiki/download/",
        "/wiki/spaces/",
        "/wiki/display/",
    ]
    .iter()
    .any(|p| path.starts_with(p))
}
