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

/// `text` with its `//` and `/* */` comments blanked (each byte a space, newlines kept), string
/// literals (`'`, `"`, `` ` ``) left whole: offsets stay those of `text`, and a quote in a
/// comment (`// don't`) cannot open a string for [`balanced`] and [`split_args`].
pub(crate) fn blank_comments(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = bytes.to_vec();
    let (mut i, mut quote) = (0, None::<u8>);
    while let Some(&b) = bytes.get(i) {
        match quote {
            Some(q) => {
                if b == b'\\' {
                    i += 1;
                } else if b == q {
                    quote = None;
                }
                i += 1;
            }
            None if matches!(b, b'\'' | b'"' | b'`') => {
                quote = Some(b);
                i += 1;
            }
            None if b == b'/' && bytes.get(i + 1) == Some(&b'/') => {
                while bytes.get(i).is_some_and(|&c| c != b'\n') {
                    if let Some(o) = out.get_mut(i) {
                        *o = b' ';
                    }
                    i += 1;
                }
            }
            None if b == b'/' && bytes.get(i + 1) == Some(&b'*') => {
                let end = memchr::memmem::find(bytes.get(i + 2..).unwrap_or(&[]), b"*/")
                    .map_or(bytes.len(), |e| i + 2 + e + 2);
                for k in i..end {
                    if let Some(o) = out.get_mut(k).filter(|o| **o != b'\n') {
                        *o = b' ';
                    }
                }
                i = end;
            }
            None => i += 1,
        }
    }
    // Only ASCII bytes outside strings were replaced by ASCII spaces: a multi-byte character in
    // a comment is blanked whole, byte by byte, so the result is still UTF-8.
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_are_blanked_and_strings_kept() {
        let t = "a(1, // don't\n 'x // y', /* b's */ 2)";
        let b = blank_comments(t);
        assert_eq!(b.len(), t.len());
        assert_eq!(
            b,
            format!("a(1,{}\n 'x // y', {} 2)", " ".repeat(9), " ".repeat(9))
        );
        assert_eq!(split_args(balanced(&b, 1, 100).unwrap().0).len(), 3);
        assert_eq!(blank_comments("x /* é */ y"), "x          y");
    }
}
