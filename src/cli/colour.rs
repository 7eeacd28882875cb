//! Whether to colour: the `--color`/`--no-color` flags, then `FORCE_COLOR` (the variable
//! Node.js tools read, so a JavaScript project's CI that sets it gets colour here too), then
//! anstream's own reading of `NO_COLOR`, `CLICOLOR_FORCE`, `CLICOLOR`, `TERM` and the terminal.
//!
//! Decided once, at the edge, and made anstream's global choice: every stream the command line
//! opens (the review, warnings, errors, `Created` lines) follows the same answer.

use anstream::ColorChoice;

use super::args::ColorWhen;

/// The choice for this run. `force_color` is `FORCE_COLOR`'s value when it is set.
///
/// As in Node.js, `FORCE_COLOR` set to anything but `0` or `false` (the empty string included)
/// colours, and wins over `NO_COLOR`; `0` or `false` turns colour off. An explicit `--color
/// always|never` or `--no-color` wins over both.
pub fn choice(flag: ColorWhen, force_color: Option<&str>) -> ColorChoice {
    match (flag, force_color) {
        (ColorWhen::Always, _) => ColorChoice::Always,
        (ColorWhen::Never, _) => ColorChoice::Never,
        (ColorWhen::Auto, Some("0" | "false")) => ColorChoice::Never,
        (ColorWhen::Auto, Some(_)) => ColorChoice::Always,
        (ColorWhen::Auto, None) => ColorChoice::Auto,
    }
}

/// Reads `FORCE_COLOR` and makes the choice anstream's global one; returns it.
pub fn apply(flag: ColorWhen) -> ColorChoice {
    let force = std::env::var("FORCE_COLOR").ok();
    let chosen = choice(flag, force.as_deref());
    chosen.write_global();
    chosen
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_win_over_force_color() {
        assert_eq!(
            choice(ColorWhen::Never, Some("1")),
            ColorChoice::Never,
            "--color never / --no-color"
        );
        assert_eq!(choice(ColorWhen::Always, Some("0")), ColorChoice::Always);
    }

    #[test]
    fn force_color_reads_as_node_does() {
        for on in ["1", "2", "3", "true", ""] {
            assert_eq!(
                choice(ColorWhen::Auto, Some(on)),
                ColorChoice::Always,
                "{on:?}"
            );
        }
        for off in ["0", "false"] {
            assert_eq!(
                choice(ColorWhen::Auto, Some(off)),
                ColorChoice::Never,
                "{off:?}"
            );
        }
        assert_eq!(choice(ColorWhen::Auto, None), ColorChoice::Auto);
    }
}
