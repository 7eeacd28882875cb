//! The review, as text for people and as one JSON document for scripts. Plain strings: colour is
//! added at the edge (`cli`), and nothing here prints.

use serde_json::{json, Value};

use crate::error::Diagnostic;
use crate::mapping::ForgeApp;
use crate::plan::{Plan, Status};

/// Everything a review shows.
pub struct Review<'a> {
    /// The input's name.
    pub input: &'a str,
    /// The migrated app.
    pub app: &'a ForgeApp,
    /// The plan compared with the disk.
    pub plan: &'a Plan,
    /// Warnings from reading and mapping.
    pub warnings: &'a [Diagnostic],
}

impl Review<'_> {
    /// The module mapping and what the user must do, before the diffs.
    pub fn header(&self) -> String {
        let app = self.app;
        let mut s = format!(
            "Migrating {} ({}) into {}\n",
            self.input,
            app.product,
            self.plan.out_dir.display()
        );
        if app.background_scripts.is_empty() {
            s.push_str("\nNo background script (jiraBackgroundScripts) was found: every module stays a Connect module under connectModules.\n");
        } else {
            s.push_str("\nBackground scripts → Forge modules:\n");
            for m in &app.background_scripts {
                s.push_str(&format!(
                    "  {} ({}) → {} with resource {} ({})\n",
                    m.key,
                    m.location.as_str(),
                    m.forge_type,
                    m.resource_key,
                    m.resource_path
                ));
            }
        }
        if !app.connect_modules.is_empty() {
            let kept: Vec<String> = app
                .connect_modules
                .iter()
                .map(|(t, e)| format!("{t} ({})", e.len()))
                .collect();
            s.push_str(&format!(
                "\nStill Connect (connectModules): {}\n",
                kept.join(", ")
            ));
        }
        if !app.scopes.is_empty() {
            s.push_str(&format!("Scopes: {}\n", app.scopes.join(", ")));
        }
        s
    }

    /// The steps left before `forge deploy`.
    pub fn next_steps(&self) -> String {
        let app = self.app;
        let mut steps = Vec::new();
        if app.app_id_is_placeholder {
            steps.push(format!(
                "run `forge register` in {} to replace the placeholder app.id",
                self.plan.out_dir.display()
            ));
        }
        if !app.variables.is_empty() {
            let vars: Vec<String> = app
                .variables
                .iter()
                .map(|v| match &v.default {
                    Some(d) => format!("{} (was {}; optional, default {d})", v.name, v.placeholder),
                    None => format!("{} (was {})", v.name, v.placeholder),
                })
                .collect();
            steps.push(format!(
                "set these variables in the environment of `forge deploy` (each was a template placeholder): {}",
                vars.join(", ")
            ));
        }
        for m in &app.background_scripts {
            steps.push(format!(
                "build {}: `cd {} && npm install && npm run build` (Forge deploys {})",
                m.key, m.scaffold_dir, m.resource_path
            ));
        }
        if !app.background_scripts.is_empty() {
            steps.push("port each old background page's AP.* calls into its src/main.js (the comments there show the @forge/bridge equivalents)".into());
        }
        if steps.is_empty() {
            return String::new();
        }
        let mut s = String::from("\nBefore `forge deploy`:\n");
        for (i, step) in steps.iter().enumerate() {
            s.push_str(&format!("  {}. {step}\n", i + 1));
        }
        s
    }

    /// One line per file that is kept because the user owns it.
    pub fn kept(&self) -> String {
        self.plan
            .changes
            .iter()
            .filter(|c| c.status == Status::Kept)
            .map(|c| {
                format!(
                    "kept {} (it exists and is yours: not regenerated)\n",
                    c.file.path
                )
            })
            .chain(self.orphans())
            .collect()
    }

    /// One line per [`Plan::orphaned`] folder: kept, and how to carry it over when its
    /// background script was renamed (before writing, so the new folder is not created beside it).
    fn orphans(&self) -> Vec<String> {
        let created: Vec<&str> = self
            .app
            .background_scripts
            .iter()
            .map(|m| m.scaffold_dir.as_str())
            .filter(|dir| {
                let inside = format!("{dir}/");
                self.plan
                    .changes
                    .iter()
                    .filter(|c| c.file.path.starts_with(&inside))
                    .all(|c| c.status == Status::Create)
            })
            .collect();
        self.plan
            .orphaned
            .iter()
            .map(|old| {
                let hint = match created.as_slice() {
                    [new] => format!(
                        "; if its background script was renamed, move it before writing: `mv {old} {new}`, then run again"
                    ),
                    _ => String::new(),
                };
                format!(
                    "orphaned {old}/ (no background script uses it any more: kept, never deleted){hint}\n"
                )
            })
            .collect()
    }

    /// `N created, M changed, K unchanged`.
    pub fn summary_line(&self) -> String {
        let s = self.plan.summary();
        let mut line = format!(
            "{} created, {} changed, {} unchanged",
            s.created, s.changed, s.unchanged
        );
        if s.kept > 0 {
            line.push_str(&format!(", {} kept", s.kept));
        }
        line
    }

    /// The review as one JSON document.
    pub fn json(&self) -> Value {
        let app = self.app;
        json!({
            "input": self.input,
            "out": self.plan.out_dir,
            "product": app.product,
            "app_id_placeholder": app.app_id_is_placeholder,
            "modules": app.background_scripts.iter().map(|m| json!({
                "connect_key": m.key,
                "location": m.location,
                "forge_type": m.forge_type,
                "forge_key": m.key,
                "resource_key": m.resource_key,
                "resource_path": m.resource_path,
                "should_reload_on_refresh": m.should_reload_on_refresh,
            })).collect::<Vec<_>>(),
            "connect_modules": app.connect_modules.iter().map(|(t, e)| json!({
                "type": t,
                "keys": e.iter().map(|e| e.get("key").cloned().unwrap_or(Value::Null)).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
            "scopes": app.scopes,
            "variables": app.variables,
            "files": self.plan.changes.iter().map(|c| json!({
                "path": c.file.path,
                "status": c.status,
                "ownership": c.file.ownership,
                "diff": c.diff.text,
            })).collect::<Vec<_>>(),
            "orphaned": self.plan.orphaned,
            "summary": self.plan.summary(),
            "warnings": self.warnings,
        })
    }
}
