//! A route's handler when it is not written inline: a function of the same file, a member of an
//! imported controller module, a factory call; and the values a loop-built path takes.

use super::*;

/// The values a loop variable takes when the loop (before `at`) runs over a list of string
/// literals: `for (const page of ['a', 'b'])`, `pages.forEach((page) => ...)` with
/// `const pages = ['a', 'b']` here or exported by an imported module. `None` when the list is
/// not literal (a folder listing, a computed array).
pub(super) fn loop_values(
    tree: &SourceTree,
    path: &str,
    text: &str,
    binds: &BTreeMap<String, String>,
    var: &str,
    at: usize,
) -> Option<Vec<String>> {
    let before = text.get(..at)?;
    let v = regex::escape(var);
    let header = Regex::new(&format!(
        r"(?:([A-Za-z_$][[:word:]$.]*)[[:space:]]*\.[[:space:]]*forEach[[:space:]]*\([[:space:]]*(?:async[[:space:]]*)?\(?[[:space:]]*{v}(?-u:\b)|for[[:space:]]*\([[:space:]]*(?:const|let|var)[[:space:]]+{v}[[:space:]]+of[[:space:]]+([A-Za-z_$][[:word:]$.]*|\[[^\]]*\]))"
    ))
    .ok()?;
    let c = header.captures_iter(before).last()?;
    let iterable = c.get(1).or(c.get(2))?.as_str();
    let list = |body: &str| -> Option<Vec<String>> {
        let values: Vec<String> = split_args(body)
            .iter()
            .map(|a| literal(a))
            .collect::<Option<Vec<String>>>()?;
        (!values.is_empty()).then_some(values)
    };
    if let Some(body) = iterable.strip_prefix('[') {
        return list(body.strip_suffix(']')?);
    }
    let name = iterable.rsplit('.').next()?;
    let def = Regex::new(&format!(
        r"(?-u:\b){}[[:space:]]*[:=][[:space:]]*\[",
        regex::escape(name)
    ))
    .ok()?;
    let mut sources: Vec<&str> = vec![text];
    let root = iterable.split('.').next().unwrap_or(iterable);
    if let Some(f) = binds.get(root).and_then(|m| resolve_module(tree, path, m)) {
        sources.extend(tree.get(&f));
    }
    for src in sources {
        if let Some(m) = def.find(src) {
            let (body, _) = balanced(src, m.end() - 1, MAX_ARGS)?;
            return list(body);
        }
    }
    None
}

/// The handler's text: the route's own, plus the body of a handler it names that is defined
/// in this file or in a module it imports (`controller.show`, `showPage`, `page('sla')`).
pub(super) fn handler_text(
    tree: &SourceTree,
    path: &str,
    text: &str,
    binds: &BTreeMap<String, String>,
    route: &Route<'_>,
) -> String {
    let own = route.handler;
    if RENDER.is_match(own) || SEND_FILE.is_match(own) {
        return own.to_string();
    }
    // The route call's last argument names the handler.
    let Some(last) = route.last_arg.as_deref() else {
        return own.to_string();
    };
    let Some(c) = IDENT.captures(last.trim()) else {
        return own.to_string();
    };
    let (object, member) = match (c.get(1), c.get(2)) {
        (Some(o), Some(m)) => (Some(o.as_str()), m.as_str()),
        (Some(n), None) => (None, n.as_str()),
        _ => return own.to_string(),
    };
    // A factory call's literal argument (`page('sla')`) stands for its parameter.
    let factory_arg = last
        .find('(')
        .and_then(|i| last.get(i..))
        .and_then(|a| QUOTED.captures(a))
        .and_then(|q| first_group(&q, 1..=3))
        .map(str::to_string);
    let mut sources: Vec<(String, &str)> = Vec::new();
    let module_of = |name: &str| binds.get(name).and_then(|m| resolve_module(tree, path, m));
    match object {
        Some(o) => {
            if let Some(f) = module_of(o) {
                if let Some(t) = tree.get(&f) {
                    sources.push((f, t));
                }
            }
        }
        None => {
            sources.push((path.to_string(), text));
            if let Some(f) = module_of(member) {
                if let Some(t) = tree.get(&f) {
                    sources.push((f, t));
                }
            }
        }
    }
    for (_, src) in sources {
        if let Some(body) = definition(src, member) {
            let mut body = body.to_string();
            if let Some(arg) = &factory_arg {
                // `res.render(name)` in the factory: the literal the route passed.
                body.push_str(&format!("\n;res.render('{}');", arg.replace('\'', "")));
            }
            return format!("{own}\n{body}");
        }
    }
    own.to_string()
}

/// The text of the definition of `name` in `text`: a function, a method, an arrow function or
/// an exported property, up to the end of its body.
pub(super) fn definition<'t>(text: &'t str, name: &str) -> Option<&'t str> {
    let n = regex::escape(name);
    let def = Regex::new(&format!(
        r"(?m)(?-u:\b)(?:function[[:space:]]*\*?[[:space:]]*{n}[[:space:]]*\(|(?:const|let|var)[[:space:]]+{n}[[:space:]]*=|exports[[:space:]]*\.[[:space:]]*{n}[[:space:]]*=|(?:^|[[:space:],{{]){n}[[:space:]]*:|^[[:space:]]*(?:async[[:space:]]+|static[[:space:]]+)*{n}[[:space:]]*\([^)]*\)[[:space:]]*\{{)"
    ))
    .ok()?;
    let m = def.find(text)?;
    let from = m.start();
    let rest = text.get(from..)?;
    // The body: the first `{` after the match to its `}`; or the expression to the end of the
    // statement (an arrow function without braces).
    let open = rest.find('{');
    let semi = rest.find(";\n").unwrap_or(rest.len());
    match open {
        Some(o)
            if o < semi
                || rest.get(..o).is_some_and(|h| {
                    h.contains("=>") || h.contains("function") || h.contains(')')
                }) =>
        {
            let (body, end) = balanced(rest, o, MAX_ARGS)?;
            let _ = body;
            rest.get(..end)
        }
        _ => rest.get(..semi),
    }
}
