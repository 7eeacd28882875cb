//! Code read by its text (a script that does not parse, a route's arguments): its comments, and
//! optionally the insides of its string and template literals, blanked — each byte an ASCII
//! space, newlines kept — so offsets stay the text's and a quote in a comment (`// don't`)
//! cannot open a string for a later reader.

/// `text` with its `//` and `/* */` comments blanked, and with `strings` the insides of its
/// `'…'`, `"…"` and `` `…` `` literals too (their quotes kept).
pub(crate) fn blank(text: &str, strings: bool) -> String {
    let bytes = text.as_bytes();
    let mut out = bytes.to_vec();
    let clear = |out: &mut Vec<u8>, from: usize, to: usize| {
        for o in out.iter_mut().take(to).skip(from) {
            if *o != b'\n' {
                *o = b' ';
            }
        }
    };
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                let end = memchr::memchr(b'\n', bytes.get(i..).unwrap_or(&[]))
                    .map_or(bytes.len(), |e| i + e);
                clear(&mut out, i, end);
                i = end;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                let end = memchr::memmem::find(bytes.get(i + 2..).unwrap_or(&[]), b"*/")
                    .map_or(bytes.len(), |e| i + 2 + e + 2);
                clear(&mut out, i, end);
                i = end;
            }
            b'\'' | b'"' | b'`' => {
                let mut j = i + 1;
                while let Some(&c) = bytes.get(j) {
                    if c == b'\\' {
                        j += 2;
                        continue;
                    }
                    if c == b || (c == b'\n' && b != b'`') {
                        break;
                    }
                    j += 1;
                }
                if strings {
                    clear(&mut out, i + 1, j.min(bytes.len()));
                }
                i = j + 1;
            }
            _ => i += 1,
        }
    }
    // Only whole characters were blanked (the bounds are ASCII quotes and comment marks), byte
    // by byte: the text stays UTF-8, a multi-byte character becoming as many spaces.
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_and_optionally_strings_are_blanked_with_offsets_kept() {
        let t = "a(1, // don't\n 'x // y', /* b's */ 2)";
        let comments = blank(t, false);
        assert_eq!(comments.len(), t.len());
        assert_eq!(
            comments,
            format!("a(1,{}\n 'x // y', {} 2)", " ".repeat(9), " ".repeat(9))
        );
        assert_eq!(
            blank(t, true),
            format!(
                "a(1,{}\n '{}', {} 2)",
                " ".repeat(9),
                " ".repeat(6),
                " ".repeat(9)
            )
        );
        assert_eq!(blank("x /* é */ y", false), "x          y");
        assert_eq!(blank("`a\nb` 'é'", true), "` \n ` '  '");
    }
}
