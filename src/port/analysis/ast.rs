//! The one walk over a script's AST, and small readers of its nodes (property names, call
//! arguments, named functions and their parameters).

use super::*;

/// Everything the one walk over a script's AST collects; the rest works on these lists.
#[derive(Default)]
pub(super) struct Collect<'a> {
    pub(super) declarators: Vec<&'a VariableDeclarator<'a>>,
    pub(super) var_kinds: Vec<VariableDeclarationKind>,
    /// The references assigned by appending to themselves (`url += x`, `url = url + x`): a
    /// variable written only so keeps its initial value as a prefix.
    pub(super) appends: HashSet<oxc_syntax::reference::ReferenceId>,
    /// Whether each declarator is TypeScript's ambient `declare var AP: any;`.
    pub(super) declares: Vec<bool>,
    pub(super) assignments: Vec<(&'a AssignmentTarget<'a>, &'a Expression<'a>)>,
    /// Each call and the span of its innermost enclosing function (none at the top level).
    pub(super) calls: Vec<(&'a CallExpression<'a>, Option<Span>)>,
    pub(super) functions: Vec<Span>,
    /// `function name(...) {...}` declarations, for [`Wrapper`]s.
    pub(super) function_decls: Vec<&'a Function<'a>>,
    /// Member expressions read as a condition, not called: the feature tests
    /// (`AP.host.getSelectedText ? … : …`, `if (AP.history)`, `typeof AP.x === 'function'`).
    pub(super) tests: Vec<&'a Expression<'a>>,
    /// `new X(...)` expressions: a constructor of `AP` (`new AP.jiraServiceDesk.X()`) is a use.
    pub(super) news: Vec<&'a oxc_ast::ast::NewExpression<'a>>,
}

impl<'a> Collect<'a> {
    /// Keeps `e` as a feature test when it is a member expression, or a name that may alias
    /// one (`const sd = AP.jiraServiceDesk; if (sd) …`).
    fn test(&mut self, e: &Expression<'a>) {
        if matches!(
            e.get_inner_expression(),
            Expression::StaticMemberExpression(_)
                | Expression::ComputedMemberExpression(_)
                | Expression::ChainExpression(_)
                | Expression::Identifier(_)
        ) {
            self.tests.push(self.alloc(e));
        }
    }
}

impl<'a> Visit<'a> for Collect<'a> {
    fn visit_variable_declaration(&mut self, it: &oxc_ast::ast::VariableDeclaration<'a>) {
        for d in &it.declarations {
            // `alloc` gives back the arena's `'a` reference: the lists outlive this call.
            self.declarators.push(self.alloc(d));
            self.var_kinds.push(it.kind);
            self.declares.push(it.declare);
        }
        walk::walk_variable_declaration(self, it);
    }

    fn visit_assignment_expression(&mut self, it: &oxc_ast::ast::AssignmentExpression<'a>) {
        let it = self.alloc(it);
        self.assignments.push((&it.left, &it.right));
        if let AssignmentTarget::AssignmentTargetIdentifier(id) = &it.left {
            use oxc_syntax::operator::{AssignmentOperator, BinaryOperator};
            let appends = match it.operator {
                AssignmentOperator::Addition => true,
                AssignmentOperator::Assign => matches!(it.right.get_inner_expression(),
                    Expression::BinaryExpression(b) if b.operator == BinaryOperator::Addition
                        && matches!(b.left.get_inner_expression(), Expression::Identifier(l) if l.name == id.name)),
                _ => false,
            };
            if let (true, Some(r)) = (appends, id.reference_id.get()) {
                self.appends.insert(r);
            }
        }
        walk::walk_assignment_expression(self, it);
    }

    fn visit_conditional_expression(&mut self, it: &oxc_ast::ast::ConditionalExpression<'a>) {
        self.test(&it.test);
        walk::walk_conditional_expression(self, it);
    }

    fn visit_if_statement(&mut self, it: &oxc_ast::ast::IfStatement<'a>) {
        self.test(&it.test);
        walk::walk_if_statement(self, it);
    }

    fn visit_logical_expression(&mut self, it: &oxc_ast::ast::LogicalExpression<'a>) {
        self.test(&it.left);
        self.test(&it.right);
        walk::walk_logical_expression(self, it);
    }

    fn visit_unary_expression(&mut self, it: &oxc_ast::ast::UnaryExpression<'a>) {
        use oxc_syntax::operator::UnaryOperator;
        if matches!(
            it.operator,
            UnaryOperator::Typeof | UnaryOperator::LogicalNot
        ) {
            self.test(&it.argument);
        }
        walk::walk_unary_expression(self, it);
    }

    fn visit_new_expression(&mut self, it: &oxc_ast::ast::NewExpression<'a>) {
        let it = self.alloc(it);
        self.news.push(it);
        walk::walk_new_expression(self, it);
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
pub(super) fn join(base: &str, member: &str) -> String {
    if base.is_empty() {
        member.to_string()
    } else {
        format!("{base}.{member}")
    }
}

pub(super) fn property_name<'b>(key: &'b PropertyKey<'_>) -> Option<std::borrow::Cow<'b, str>> {
    key.static_name()
}

pub(super) fn object_property<'b, 'a>(
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
pub(super) type NamedFunction = (String, Vec<Option<SymbolId>>);

/// The name a function is called by: `name`, or a member chain of names (`JiraClient.send`).
pub(super) fn callee_name(e: &Expression<'_>) -> Option<String> {
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
pub(super) fn named_functions(c: &Collect<'_>) -> Vec<NamedFunction> {
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
pub(super) fn function_params<'b, 'a>(e: &'b Expression<'a>) -> Option<&'b FormalParameters<'a>> {
    match e.get_inner_expression() {
        Expression::FunctionExpression(f) => Some(&f.params),
        Expression::ArrowFunctionExpression(f) => Some(&f.params),
        _ => None,
    }
}

/// Each parameter's symbol (`None` for a destructured one), in order.
pub(super) fn param_symbols(params: &FormalParameters<'_>) -> Vec<Option<SymbolId>> {
    params
        .items
        .iter()
        .map(|p| match &p.pattern {
            BindingPattern::BindingIdentifier(b) => b.symbol_id.get(),
            _ => None,
        })
        .collect()
}

pub(super) fn expression_arg<'b, 'a>(
    args: &'b [Argument<'a>],
    i: usize,
) -> Option<&'b Expression<'a>> {
    args.get(i).and_then(Argument::as_expression)
}
