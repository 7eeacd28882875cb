//! Small readers of code the rules share: line numbers, balanced brackets and argument lists
//! (string literals skipped), and relative paths.

/// 1-based line of a byte offset.
pub(super) fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    memchr::memchr_iter(b'\n', text.as_bytes().get(..end).unwrap_or(&[])).count() + 1
}

/// The first of the capture groups 1..=n that matched.
pub(super) fn first_group<'t>(
    c: &regex::Captures<'t>,
    groups: std::ops::RangeInclusive<usize>,
) -> Option<&'t str> {
    groups.filter_map(|i| c.get(i)).map(|m| m.as_str()).next()
}

pub(crate) fn folder_of(path: &str) -> &str {
    path.rfind('/').and_then(|i| path.get(..=i)).unwrap_or("")
}

/// `a/b/` + `../c/./d` → `a/c/d`; `None` when it climbs out of the root.
pub(crate) fn join_normalized(base: &str, rel: &str) -> Option<String> {
    let mut out: Vec<&str> = base.split('/').filter(|s| !s.is_empty()).collect();
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                out.pop()?;
            }
            s => out.push(s),
        }
    }
    Some(out.join("/"))
}

/// The text between the bracket at `open` (`(`, `[` or `{`) and its match, skipping string
/// literals (`'`, `"`, `` ` ``), and the offset after it; `None` if unclosed within `limit`
/// bytes.
pub(crate) fn balanced(text: &str, open: usize, limit: usize) -> Option<(&str, usize)> {
    let bytes = text.as_bytes();
    let (o, c) = match bytes.get(open)? {
        b'(' => (b'(', b')'),
        b'[' => (b'[', b']'),
        b'{' => (b'{', b'}'),
        _ => return None,
    };
    let (mut depth, mut i, mut quote) = (0usize, open, None::<u8>);
    let end = open.saturating_add(limit).min(bytes.len());
    while i < end {
        let b = bytes.get(i).copied()?;
        match quote {
            Some(q) => {
                if b == b'\\' {
                    i += 1;
                } else if b == q {
                    quote = None;
                }
            }
            None => {
                if matches!(b, b'\'' | b'"' | b'`') {
                    quote = Some(b);
                } else if b == o {
                    depth += 1;
                } else if b == c {
                    depth = depth.checked_sub(1)?;
                    if depth == 0 {
                        return Some((text.get(open + 1..i)?, i + 1));
                    }
                }
            }
        }
        i += 1;
    }
    None
}

/// Splits an argument list at its top-level commas.
pub(crate) fn split_args(args: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut quote, mut start) = (0i32, None::<u8>, 0usize);
    let bytes = args.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match quote {
            Some(q) => {
                if b == b'\\' {
                    i += 1;
                } else if b == q {
                    quote = None;
                }
            }
            None => match b {
                b'\'' | b'"' | b'`' => quote = Some(b),
                b'(' | b'[' | b'{' => depth += 1,
                b')' | b']' | b'}' => depth -= 1,
                b',' if depth == 0 => {
                    out.push(args.get(start..i).unwrap_or("").trim());
                    start = i + 1;
                }
                _ => {}
            },
        }
        i += 1;
    }
    let last = args.get(start..).unwrap_or("").trim();
    if !last.is_empty() {
        out.push(last);
    }
    out
}
