//! Leaving Connect: a fixture atlassian-connect-express app of our own
//! (`tests/fixtures/apps/ace-triggers`: lifecycle callbacks, webhooks, a workflow post function
//! and a settings page that calls the app's API with the Connect JWT) migrates to Forge
//! triggers and endpoints on its remote with no Connect module, scope or authentication left,
//! Atlassian's validator accepts the result, `status` says it qualifies for the revenue share,
//! and every route the manifest names can receive a Forge-Invocation-Token-shaped request on a
//! loopback server started by the test.

mod common;
use common::{migrate_out, root, shared, stderr};

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::Command;

use serde_json::Value;

const FIXTURE: &str = "tests/fixtures/apps/ace-triggers/atlassian-connect.json";

/// Migrates the fixture into a temp folder: (the folder, the manifest as JSON, stderr).
fn migrated() -> (tempfile::TempDir, Value, String) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("app");
    let run = migrate_out(&root().join(FIXTURE), &out, &["--yes"]);
    let err = stderr(&run);
    assert_eq!(run.status.code(), Some(0), "{err}");
    let text = std::fs::read_to_string(out.join("manifest.yml")).unwrap();
    let manifest: Value = serde_yaml::from_str(&text).unwrap();
    (tmp, manifest, err)
}

#[test]
fn lifecycle_and_webhooks_become_triggers_and_endpoints_and_nothing_stays_on_connect() {
    let (tmp, m, err) = migrated();
    assert!(m.get("connectModules").is_none(), "{m:#?}");
    assert_eq!(
        m["app"]["connect"],
        serde_json::json!({"key": "com.example.triage-bot", "remote": "connect"})
    );
    assert_eq!(m["remotes"][0]["key"], "connect");
    let scopes: Vec<&str> = m["permissions"]["scopes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert!(
        scopes.iter().all(|s| !s.contains(":connect-")),
        "{scopes:?}"
    );
    assert!(scopes.contains(&"read:jira-work"), "{scopes:?}");

    let events: BTreeMap<&str, &str> = m["modules"]["trigger"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["key"].as_str().unwrap(), t["events"][0].as_str().unwrap()))
        .collect();
    assert_eq!(
        events,
        BTreeMap::from([
            ("lifecycle-installed", "avi:forge:installed:app"),
            ("webhook-comment-created", "avi:jira:commented:issue"),
            ("webhook-jira-issue-created", "avi:jira:created:issue"),
            ("webhook-jira-issue-updated", "avi:jira:updated:issue"),
            ("webhook-jira-version-released", "avi:jira:released:version"),
        ])
    );
    assert_eq!(
        m["modules"]["preUninstall"][0]["endpoint"],
        "remote-uninstalled"
    );
    // The workflow post function keeps its key (workflows that hold it run the Forge one) and
    // calls its triggered route on the remote.
    let pf = &m["modules"]["jira:workflowPostFunction"][0];
    assert_eq!(pf["key"], "add-triage-label");
    assert_eq!(pf["name"], "Add the triage label");
    assert_eq!(pf["endpoint"], "remote-post-functions-triage-label");
    assert!(scopes.contains(&"manage:jira-configuration"), "{scopes:?}");
    // Every trigger's endpoint is declared, on the app's remote.
    let endpoints = m["modules"]["endpoint"].as_array().unwrap();
    for t in m["modules"]["trigger"].as_array().unwrap() {
        let e = endpoints
            .iter()
            .find(|e| e["key"] == t["endpoint"])
            .unwrap_or_else(|| panic!("no endpoint for {t}"));
        assert_eq!(e["remote"], "connect");
    }

    // What was not carried is said at its place, with its code.
    for (place, code) in [
        ("atlassian-connect.json:11:16", "C2F095"), // lifecycle.enabled
        ("atlassian-connect.json:28:49", "C2F093"), // variables in the release URL
        ("atlassian-connect.json:29:80", "C2F093"), // the JQL filter
        ("atlassian-connect.json:30:17", "C2F092"), // connect_addon_enabled
        ("atlassian-connect.json:22:30", "C2F106"), // the post function's new request
    ] {
        assert!(
            err.lines().any(|l| l.contains(place) && l.contains(code)),
            "{place} {code}:\n{err}"
        );
    }

    // The backend's to-do list names every route and ACE's Forge middleware.
    let doc = std::fs::read_to_string(tmp.path().join("app/docs/forge-backend.md")).unwrap();
    for e in endpoints {
        let path = e["route"]["path"].as_str().unwrap();
        assert!(doc.contains(&format!("- [ ] `{path}` accepts")), "{path}");
    }
    assert!(doc.contains("addon.authenticateForge()"));
    // The settings page's call to the app's API, which sent the Connect JWT, is on the list too.
    assert!(
        doc.contains("- [ ] `GET` `/api/triage-labels` from `triage-settings` (public/js/triage-settings.js:4:3, fetch)"),
        "{doc}"
    );
    assert!(doc.contains("https://forge.cdn.prod.atlassian-dev.net/.well-known/jwks.json"));
}

#[test]
fn the_migrated_app_passes_atlassians_validator_and_qualifies_for_the_revenue_share() {
    let (tmp, m, _) = migrated();
    let out = tmp.path().join("app");
    // The settings page's resource: a stub build/index.html stands in for `npm run build` (the
    // browser harness builds the fixture apps' pages; here the manifest is what is checked).
    for r in m["resources"].as_array().into_iter().flatten() {
        let path = out.join(r["path"].as_str().unwrap());
        std::fs::create_dir_all(&path).unwrap();
        std::fs::write(
            path.join("index.html"),
            "<!DOCTYPE html><title>stub</title>\n",
        )
        .unwrap();
    }
    let validate = shared("tools/forge-validate/validate");
    let run = Command::new("bash")
        .arg(&validate)
        .arg("--connect-schema")
        .arg(&out)
        .env("LOCAL_BASE_URL", "https://triage.example.com")
        .output()
        .expect("run forge-validate (needs Node.js 20+ and npm)");
    let printed = String::from_utf8_lossy(&run.stdout);
    assert_eq!(run.status.code(), Some(0), "{printed}");
    assert!(!printed.contains("error"), "{printed}");

    let status = common::c2f_in(root())
        .args(["status", "--format", "json"])
        .arg(&out)
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&status.stdout).unwrap();
    assert_eq!(v["fully_forge"], true, "{v:#}");
    assert_eq!(v["revenue_share"]["qualifies"], true, "{v:#}");
}

/// One request as the loopback server saw it.
#[derive(Debug)]
struct Seen {
    path: String,
    authorization: String,
}

fn serve_one(stream: TcpStream) -> Seen {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    let path = line.split(' ').nth(1).unwrap_or("").to_string();
    let (mut authorization, mut length) = (String::new(), 0usize);
    loop {
        let mut h = String::new();
        reader.read_line(&mut h).unwrap();
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        let (name, value) = h.split_once(':').unwrap();
        match name.to_ascii_lowercase().as_str() {
            "authorization" => authorization = value.trim().to_string(),
            "content-length" => length = value.trim().parse().unwrap(),
            _ => {}
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).unwrap();
    reader
        .get_mut()
        .write_all(b"HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n")
        .unwrap();
    Seen {
        path,
        authorization,
    }
}

/// A Forge-Invocation-Token-shaped bearer token (header.claims.signature, base64url): what the
/// backend's routes must learn to verify (docs/forge-backend.md).
fn fit_shaped(aud: &str) -> String {
    let b64 = |s: &str| {
        const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        let b = s.as_bytes();
        let mut out = String::new();
        for c in b.chunks(3) {
            let n = (u32::from(c[0]) << 16)
                | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
                | u32::from(*c.get(2).unwrap_or(&0));
            for i in 0..=c.len() {
                out.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
            }
        }
        out
    };
    let header = b64(r#"{"alg":"RS256","kid":"forge/invocation-token/test"}"#);
    let claims = b64(&format!(
        r#"{{"iss":"forge/invocation-token","aud":"{aud}","app":{{"installationId":"i-1"}},"context":{{"cloudId":"c-1"}}}}"#
    ));
    format!("Bearer {header}.{claims}.c2lnbmF0dXJl")
}

#[test]
fn every_route_receives_a_fit_shaped_request_on_a_loopback_server() {
    let (_tmp, m, _) = migrated();
    let routes: Vec<String> = m["modules"]["endpoint"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["route"]["path"].as_str().unwrap().to_string())
        .collect();
    let app_id = m["app"]["id"].as_str().unwrap().to_string();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let n = routes.len();
    let server = std::thread::spawn(move || {
        (0..n)
            .map(|_| serve_one(listener.accept().unwrap().0))
            .collect::<Vec<Seen>>()
    });
    let token = fit_shaped(&app_id);
    for r in &routes {
        let body = r#"{"eventType":"avi:jira:created:issue"}"#;
        let mut s = TcpStream::connect(addr).unwrap();
        write!(
            s,
            "POST {r} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: {token}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        let mut reply = String::new();
        s.read_to_string(&mut reply).unwrap();
        assert!(reply.starts_with("HTTP/1.1 204"), "{reply}");
    }
    let seen = server.join().unwrap();
    let paths: Vec<&str> = seen.iter().map(|s| s.path.as_str()).collect();
    assert_eq!(paths, routes.iter().map(String::as_str).collect::<Vec<_>>());
    for s in &seen {
        let jwt = s.authorization.strip_prefix("Bearer ").unwrap();
        assert_eq!(jwt.split('.').count(), 3, "{s:?}");
    }
}
