//! Template expressions the tool cannot evaluate, and the advice it gives for each.

/// The warning for one template expression inside a script.
pub(crate) fn expression_advice(expr: &str) -> String {
    let inner = expr
        .trim_start_matches(['{', '<', '%', '=', '[', '('])
        .trim_end_matches(['}', '%', '>', ']', ')'])
        .trim();
    let shown = shorten(expr);
    if inner.contains("localBaseUrl") {
        format!(
            "template expression {shown} inside a script cannot be evaluated on Forge: use a relative path for the app's static files, and call the app's backend through the `connect` remote (invokeRemote/requestRemote from @forge/bridge)"
        )
    } else if inner == "token" || inner.ends_with(".token") || inner == "jwt" {
        format!(
            "template expression {shown} inside a script: there is no Connect JWT on Forge; call the backend with invokeRemote/requestRemote to the `connect` remote, and make the backend accept a Forge Invocation Token"
        )
    } else {
        format!(
            "template expression {shown} inside a script cannot be evaluated by the tool: replace it with a value from AP.context.getContext() or from the backend"
        )
    }
}

/// At most 60 characters of a value for a message, on one line.
pub fn shorten(s: &str) -> String {
    let one_line: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if one_line.chars().count() > 60 {
        format!("{}…", one_line.chars().take(60).collect::<String>())
    } else {
        one_line
    }
}
