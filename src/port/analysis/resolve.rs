//! What an expression stands for: the global `AP` or a member of it (through aliases,
//! destructuring, `AP.require` callbacks and module wrappers), or a statically known string.

use super::*;

pub(super) const MAX_DEPTH: u32 = 16;

impl<'s, 'a> Script<'s, 'a> {
    pub(super) fn is_unresolved(&self, id: &IdentifierReference<'_>) -> bool {
        id.reference_id
            .get()
            .is_none_or(|r| self.scoping.get_reference(r).symbol_id().is_none())
    }

    pub(super) fn symbol_of(&self, id: &IdentifierReference<'_>) -> Option<SymbolId> {
        id.reference_id
            .get()
            .and_then(|r| self.scoping.get_reference(r).symbol_id())
    }

    pub(super) fn ident_path(&self, id: &IdentifierReference<'_>) -> Option<String> {
        match self.symbol_of(id) {
            // `import AP from './model/AP'` (a module handing out window.AP): Connect's AP.
            Some(s) => self.aliases.get(&s).cloned().or_else(|| {
                (id.name == "AP"
                    && self
                        .scoping
                        .symbol_flags(s)
                        .contains(oxc_syntax::symbol::SymbolFlags::Import))
                .then(String::new)
            }),
            None => match self.globals.get(id.name.as_str()) {
                Some(p) => Some(p.clone()),
                None => (id.name == "AP").then(String::new),
            },
        }
    }

    pub(super) fn is_global_object(&self, e: &Expression<'_>) -> bool {
        matches!(e.get_inner_expression(), Expression::Identifier(id)
            if matches!(id.name.as_str(), "window" | "self" | "globalThis") && self.is_unresolved(id))
    }

    /// The dotted Connect path `e` stands for (`""` for `AP` itself), if it is the global `AP`
    /// or a member of it.
    pub(super) fn path_of(&self, e: &Expression<'_>) -> Option<String> {
        self.path_of_depth(e, 0)
    }

    pub(super) fn path_of_depth(&self, e: &Expression<'_>, depth: u32) -> Option<String> {
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
    pub(super) fn bind(&mut self, pattern: &BindingPattern<'_>, path: &str, changed: &mut bool) {
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
    pub(super) fn resolve_aliases(&mut self, c: &Collect<'a>, classic: bool) {
        for ((d, kind), declare) in c.declarators.iter().zip(&c.var_kinds).zip(&c.declares) {
            // TypeScript's `declare var AP: any;` (or `declare const`) names the global AP.
            if let (BindingPattern::BindingIdentifier(b), true) = (&d.id, *declare) {
                if let Some(s) = b.symbol_id.get().filter(|_| b.name == "AP") {
                    self.aliases.insert(s, String::new());
                }
            }
            if let (BindingPattern::BindingIdentifier(b), Some(init)) = (&d.id, &d.init) {
                if let Some(s) = b.symbol_id.get() {
                    if *kind == VariableDeclarationKind::Const || !self.scoping.symbol_is_mutated(s)
                    {
                        self.inits.insert(s, init);
                    } else if self.scoping.get_resolved_reference_ids(s).iter().all(|r| {
                        !self.scoping.get_reference(*r).is_write() || c.appends.contains(r)
                    }) {
                        // `let url = '/rest/api/3/search'; url += '?jql=' + q;`: a prefix.
                        self.inits.insert(s, init);
                        self.appended.insert(s);
                    }
                }
            }
            // `const { AP } = this.state` (a component that kept `this.setState({ AP })`), or
            // `= this.props`, `= props`: AP handed around in an object is Connect's AP.
            if let (BindingPattern::ObjectPattern(o), Some(init)) = (&d.id, &d.init) {
                if self.path_of(init).is_none() {
                    for p in &o.properties {
                        if let (Some("AP"), BindingPattern::BindingIdentifier(b)) =
                            (property_name(&p.key).as_deref(), &p.value)
                        {
                            if let Some(s) = b.symbol_id.get().filter(|_| b.name == "AP") {
                                self.aliases.insert(s, String::new());
                            }
                        }
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
    pub(super) fn bind_wrapper(&mut self, call: &CallExpression<'_>, changed: &mut bool) {
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
    pub(super) fn bind_require(&mut self, call: &CallExpression<'_>, changed: &mut bool) {
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

    pub(super) fn static_string(&self, e: &Expression<'_>, depth: u32) -> Static {
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
            Expression::Identifier(id) => {
                let symbol = self.symbol_of(id);
                match symbol.and_then(|s| self.inits.get(&s)) {
                    Some(init) => match self.static_string(init, depth + 1) {
                        Static::Exact(s) if symbol.is_some_and(|y| self.appended.contains(&y)) => {
                            Static::Prefix(s)
                        }
                        other => other,
                    },
                    None => Static::Unknown,
                }
            }
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
}
