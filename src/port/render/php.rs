//! PHP: a page's `<?php … ?>` blocks run on its server. A block that includes a file by a literal
//! path (`include 'header.php'`, `require_once "parts/nav.php"`, beside the including file) has
//! that file put in; a block that starts by writing output (`<?= $x ?>`, `<?php echo $x ?>`,
//! `print`, `printf`) is a template expression left as written (inside a script it gets the same
//! advice as any other); any other block is server logic (a long block whose functions echo
//! later included), left out, and one warning per page says how many there were and where the
//! first is: what they write or compute must come from the backend. A block left open runs to
//! the end of the file, as PHP reads it.

use std::sync::LazyLock;

use regex::Regex;

use super::{find, folder, Cx, Engine, Framework, Rendered};

/// The PHP renderer.
pub struct Php;

impl Engine for Php {
    fn name(&self) -> &'static str {
        "php"
    }

    fn claims(&self, file: &str, _framework: Framework, _text: &str) -> bool {
        let lower = file.to_ascii_lowercase();
        lower.ends_with(".php") || lower.ends_with(".phtml")
    }

    fn render(&self, cx: &mut Cx<'_>, file: &str, out: &mut Rendered) {
        let text = cx.tree.get(file).unwrap_or("");
        let mut logic = Logic::default();
        scan(cx, file, text, out, &mut logic);
        if let Some((logic_file, at)) = logic.first {
            let source = cx.tree.get(&logic_file).unwrap_or("");
            out.warn_at(
                &logic_file,
                source,
                at,
                format!(
                    "the page runs {} PHP block(s) of server logic (the first here): left out of index.html; what they write or compute (a value, a redirect, a check) must come from the app's backend on Forge",
                    logic.count
                ),
            );
        }
    }
}

/// The server logic blocks left out: how many, and the first one's file and offset.
#[derive(Default)]
struct Logic {
    count: usize,
    first: Option<(String, usize)>,
}

static INCLUDE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?-u:\b)(?:include|require)(?:_once)?[[:space:]]*\(?[[:space:]]*(?:__DIR__[[:space:]]*\.[[:space:]]*)?['"]([^'"$\n]+)['"]"#)
        .unwrap_or_else(|e| unreachable!("{e}"))
});
static OUTPUT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)(?:echo|print|printf|print_r|var_dump|readfile)(?-u:\b)")
        .unwrap_or_else(|e| unreachable!("{e}"))
});

fn scan(cx: &mut Cx<'_>, file: &str, text: &str, out: &mut Rendered, logic: &mut Logic) {
    let mut i = 0;
    let mut copied = 0;
    while let Some(lt) = find(text, i, "<?") {
        let rest = text.get(lt..).unwrap_or("");
        // `<?xml` is markup, not PHP.
        if rest
            .get(..5)
            .is_some_and(|p| p.eq_ignore_ascii_case("<?xml"))
        {
            i = lt + 2;
            continue;
        }
        let end = find(text, lt + 2, "?>").map_or(text.len(), |e| e + 2);
        out.copy(file, text, copied..lt);
        copied = end;
        i = end;
        let block = text.get(lt..end).unwrap_or("");
        // Output is a block that starts by writing (`<?= $x ?>`, `<?php echo $x ?>`); a longer
        // block whose functions echo is server logic.
        let body = block
            .trim_start_matches("<?php")
            .trim_start_matches("<?PHP")
            .trim_start_matches("<?")
            .trim_start();
        if block.starts_with("<?=") || OUTPUT.find(body).is_some_and(|m| m.start() == 0) {
            out.expression(file, text, lt..end);
            continue;
        }
        let includes: Vec<String> = INCLUDE
            .captures_iter(block)
            .filter_map(|c| Some(c.get(1)?.as_str().to_string()))
            .collect();
        // What the block does besides its includes: server logic.
        let rest = INCLUDE.replace_all(body, "");
        let code = rest
            .trim_end_matches("?>")
            .chars()
            .any(|c| !c.is_whitespace() && !matches!(c, ';' | ')'));
        if code {
            logic.count += 1;
            if logic.first.is_none() {
                logic.first = Some((file.to_string(), lt));
            }
        }
        for path in includes {
            include(cx, file, text, lt, &path, out, logic);
        }
    }
    out.copy(file, text, copied..text.len().max(copied));
}

fn include(
    cx: &mut Cx<'_>,
    file: &str,
    text: &str,
    at: usize,
    path: &str,
    out: &mut Rendered,
    logic: &mut Logic,
) {
    let target = super::join(folder(file), path.trim_start_matches('/'));
    let put_in = cx.include_with(target, out, |cx, t, included, out| {
        scan(cx, t, included, out, logic);
    });
    if put_in {
        return;
    }
    let why = if path
        .split('/')
        .any(|s| s.starts_with('.') && s != "." && s != "..")
    {
        "is a hidden file, which the source walk does not read"
    } else {
        "is not in the source tree (or nests too deep)"
    };
    out.warn_at(
        file,
        text,
        at,
        format!(
            "included {} {why}: the scripts and stylesheets it loads are not carried",
            super::super::page::expr::shorten(path)
        ),
    );
}

#[cfg(test)]
mod tests {
    use super::super::super::tree::SourceTree;
    use super::super::render;
    use super::*;

    #[test]
    fn includes_are_put_in_output_is_an_expression_and_logic_is_left_out_with_a_warning() {
        let page = concat!(
            "<?php include 'functions.php' ?>\n",
            "<html><head><?php require_once(__DIR__ . '/parts/head.php'); ?></head>\n",
            "<body><script>var rows = [<?php echo $rows ?>]; var n = <?= $n ?>;</script>\n",
            "<?php if ($x) { $y = 1; } ?><p>done</p><?xml-stylesheet x?></body></html>\n",
        );
        let tree = SourceTree::from_files([
            ("www/index.php", page),
            (
                "www/functions.php",
                "<?php require_once '.secrets.php';\nfunction f() { echo 1; } ?>",
            ),
            ("www/parts/head.php", "<script src=\"/js/app.js\"></script>"),
        ]);
        let r = render(&tree, "www/index.php", Framework::Static);
        assert_eq!(r.engine, "php");
        assert_eq!(
            r.text,
            concat!(
                "\n<html><head><script src=\"/js/app.js\"></script></head>\n",
                "<body><script>var rows = [<?php echo $rows ?>]; var n = <?= $n ?>;</script>\n",
                "<p>done</p><?xml-stylesheet x?></body></html>\n",
            )
        );
        let shown: Vec<&str> = r.expressions.iter().map(|e| &r.text[e.clone()]).collect();
        assert_eq!(shown, ["<?php echo $rows ?>", "<?= $n ?>"]);
        // The included head's script is located in its own file.
        let at = r.text.find("<script src").unwrap();
        assert_eq!(r.location(at).file, "www/parts/head.php");
        assert_eq!(r.warnings.len(), 2, "{:?}", r.warnings);
        assert!(r.warnings[0]
            .message
            .contains("included .secrets.php is a hidden file"));
        assert!(r.warnings[1]
            .message
            .contains("runs 2 PHP block(s) of server logic"));
        assert_eq!(r.warnings[1].file, "www/functions.php");
    }

    #[test]
    fn a_missing_include_and_an_open_block_are_said() {
        let tree = SourceTree::from_files([(
            "p.php",
            "<p>a</p><?php include 'gone.php'; ?><p>b</p><?php $open = 1;\n<p>never</p>",
        )]);
        let r = render(&tree, "p.php", Framework::Static);
        assert_eq!(r.text, "<p>a</p><p>b</p>");
        assert!(r.warnings[0]
            .message
            .contains("included gone.php is not in the source tree"));
        assert!(r.warnings[1].message.contains("runs 1 PHP block(s)"));
    }
}
