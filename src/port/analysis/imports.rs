//! The modules a front-end source file imports, as written (`./api`, `@/store`, `react`): static
//! `import`/`export … from`, dynamic `import('x')` and CommonJS `require('x')` with a literal
//! argument. Read from the AST (oxc), in each language the analysis reads (TS, TSX, JSX, the
//! `<script>` blocks of `.vue` and `.svelte` files), so an import in a comment or a string is
//! not one. A part that does not parse in any of its languages (Flow types, a syntax error) is
//! read by pattern instead, so its imports are still followed; one nested too deep is not read.
//!
//! No file-system access, no panic on any input; call it on the analysis's big stack
//! ([`super::on_big_stack`]), as the parser recurses once per level of nesting.

use std::sync::LazyLock;

use oxc_allocator::Allocator;
use oxc_ast::ast::{
    Argument, ArrayExpressionElement, CallExpression, ExportAllDeclaration, ExportFromDeclaration,
    Expression, ImportDeclaration, ImportExpression,
};
use oxc_ast_visit::{walk, Visit};
use oxc_parser::Parser;
use regex::Regex;

use super::{sources, too_deep, ScriptInput};

/// The specifiers `text` (the file `file`, whose extension decides the language) imports, in
/// source order, each once.
pub fn imports(file: &str, text: &str) -> Vec<String> {
    read(file, text).0
}

/// The module ids `text` asks an AMD loader (RequireJS) for: the literal arrays of
/// `require([...])`, `requirejs([...])` and `define([...])`, in source order, each once.
pub fn amd_dependencies(file: &str, text: &str) -> Vec<String> {
    read(file, text).1
}

/// What [`read`] gave for each file of this run, by a hash of its name and text: the pages of an
/// app share most of their front end's files (at most [`CACHED`], then emptied).
type Read = (Vec<String>, Vec<String>);
const CACHED: usize = 8_192;

fn read(file: &str, text: &str) -> Read {
    use std::collections::HashMap;
    use std::hash::{Hash, Hasher};
    use std::sync::{Mutex, OnceLock};
    static SEEN: OnceLock<Mutex<HashMap<(u64, u64), Read>>> = OnceLock::new();
    let key = {
        let hash = |salt: u8| {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            (salt, file, text).hash(&mut h);
            h.finish()
        };
        (hash(1), hash(2))
    };
    let seen = SEEN.get_or_init(|| Mutex::new(HashMap::new()));
    if let Some(found) = seen.lock().ok().and_then(|s| s.get(&key).cloned()) {
        return found;
    }
    let found = read_uncached(file, text);
    if let Ok(mut s) = seen.lock() {
        if s.len() >= CACHED {
            s.clear();
        }
        s.insert(key, found.clone());
    }
    found
}

fn read_uncached(file: &str, text: &str) -> Read {
    let mut out: Vec<String> = Vec::new();
    let mut amd: Vec<String> = Vec::new();
    for part in sources::parts(&ScriptInput::file(file, text)) {
        let text = part.input.text;
        if too_deep(text).is_some() {
            continue;
        }
        let allocator = Allocator::default();
        let mut parsed = None;
        for &(source_type, _) in part.tries {
            let ret = Parser::new(&allocator, text, source_type).parse();
            if !ret.panicked && ret.diagnostics.is_empty() {
                parsed = Some(ret);
                break;
            }
        }
        let (found, ids) = match parsed {
            Some(ret) => {
                let mut v = Specifiers::default();
                v.visit_program(&ret.program);
                (v.0, v.1)
            }
            None => (by_pattern(text), Vec::new()),
        };
        for s in found {
            if !out.contains(&s) {
                out.push(s);
            }
        }
        for s in ids {
            if !amd.contains(&s) {
                amd.push(s);
            }
        }
    }
    (out, amd)
}

/// The visitor collecting literal specifiers (`.0`) and AMD dependency ids (`.1`).
#[derive(Default)]
struct Specifiers(Vec<String>, Vec<String>);

impl<'a> Visit<'a> for Specifiers {
    fn visit_import_declaration(&mut self, it: &ImportDeclaration<'a>) {
        self.0.push(it.source.value.to_string());
    }

    fn visit_export_from_declaration(&mut self, it: &ExportFromDeclaration<'a>) {
        self.0.push(it.source.value.to_string());
    }

    fn visit_export_all_declaration(&mut self, it: &ExportAllDeclaration<'a>) {
        self.0.push(it.source.value.to_string());
    }

    fn visit_import_expression(&mut self, it: &ImportExpression<'a>) {
        if let Some(s) = literal(&it.source) {
            self.0.push(s);
        }
        walk::walk_import_expression(self, it);
    }

    fn visit_call_expression(&mut self, it: &CallExpression<'a>) {
        if let (Expression::Identifier(callee), [Argument::StringLiteral(s)]) =
            (&it.callee, it.arguments.as_slice())
        {
            if callee.name == "require" {
                self.0.push(s.value.to_string());
            }
        }
        // AMD: `require(['a', 'b'], fn)`, `requirejs([...])`, `define([...], fn)`,
        // `define('name', [...], fn)` (not `AP.require`, Connect's own).
        if let Expression::Identifier(callee) = &it.callee {
            if matches!(callee.name.as_str(), "require" | "requirejs" | "define") {
                let array = it.arguments.iter().find_map(|a| match a {
                    Argument::ArrayExpression(arr) => Some(arr),
                    _ => None,
                });
                if let Some(arr) = array {
                    for el in &arr.elements {
                        if let ArrayExpressionElement::StringLiteral(s) = el {
                            self.1.push(s.value.to_string());
                        }
                    }
                }
            }
        }
        walk::walk_call_expression(self, it);
    }
}

/// A string literal, or a template literal without expressions.
fn literal(e: &Expression<'_>) -> Option<String> {
    match e.get_inner_expression() {
        Expression::StringLiteral(s) => Some(s.value.to_string()),
        Expression::TemplateLiteral(t) if t.expressions.is_empty() => t
            .quasis
            .first()
            .and_then(|q| q.value.cooked.as_ref())
            .map(|c| c.to_string()),
        _ => None,
    }
}

static PATTERN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?m)(?:^[[:space:]]*(?:import|export)(?:[^'"`;]*?[[:space:]]from)?|(?-u:\b)import[[:space:]]*\(|(?-u:\b)require[[:space:]]*\()[[:space:]]*['"]([^'"\n]+)['"]"#,
    )
    .unwrap_or_else(|e| unreachable!("{e}"))
});

/// The specifiers of a part that does not parse, by pattern.
fn by_pattern(text: &str) -> Vec<String> {
    PATTERN
        .captures_iter(text)
        .filter_map(|c| c.get(1).map(|m| m.as_str().to_string()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{amd_dependencies, imports};

    #[test]
    fn amd_dependency_arrays_are_read_and_connects_require_is_not() {
        let text = "require(['config'], function () {\n  require(['ap-loader', './data'], function () {});\n});\ndefine('x', ['jquery', 'host'], function ($, host) {});\nAP.require(['request'], function (request) {});\n";
        assert_eq!(
            amd_dependencies("js/main.js", text),
            ["config", "ap-loader", "./data", "jquery", "host"]
        );
    }

    #[test]
    fn every_literal_import_form_is_read_and_comments_are_not() {
        let text = "import React from 'react';\nimport './styles.css';\nimport { a } from \"./api\";\nexport * from './all';\nexport { b } from './b';\n// import x from './commented';\nconst c = require('./c');\nconst d = () => import('./lazy');\nconst s = \"import e from './in-a-string'\";\n";
        assert_eq!(
            imports("src/index.js", text),
            [
                "react",
                "./styles.css",
                "./api",
                "./all",
                "./b",
                "./c",
                "./lazy"
            ]
        );
    }

    #[test]
    fn typescript_vue_and_unparsable_files_give_their_imports() {
        let ts = "import type { T } from './types';\nimport api from './api';\nconst x = <T,>(v: T) => v;\n";
        assert_eq!(imports("src/a.ts", ts), ["./types", "./api"]);
        let tsx =
            "import { go } from '../nav';\nexport const A = () => <div onClick={() => go()} />;\n";
        assert_eq!(imports("src/A.tsx", tsx), ["../nav"]);
        let vue = "<template><div/></template>\n<script setup lang=\"ts\">\nimport { send } from '@/api';\nconst n: number = 1;\n</script>\n";
        assert_eq!(imports("src/App.vue", vue), ["@/api"]);
        // Flow types parse in no language oxc reads: the imports are read by pattern.
        let flow = "// @flow\nimport { api } from './api';\ntype P = {| a: number |};\nconst f = (p: P): ?string => null;\n";
        assert_eq!(imports("src/flow.jsx", flow), ["./api"]);
    }
}
