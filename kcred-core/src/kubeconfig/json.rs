//! JSON kubeconfigs: serde_json, with kcred's own nesting cap checked first.

use std::path::Path;

use super::sanitize::sanitize;
use super::{Kubeconfig, Limits};
use crate::error::{Error, Location};

/// Reads a JSON kubeconfig (entries get no line: serde_json keeps none).
pub(super) fn parse_json(text: &str, source: &Path, limits: &Limits) -> Result<Kubeconfig, Error> {
    if json_depth_exceeds(text, limits.max_depth) {
        return Err(Error::Syntax {
            at: Location::file(source),
            reason: format!("nesting deeper than {} levels", limits.max_depth),
        });
    }
    match serde_json::from_str::<Kubeconfig>(text) {
        Ok(config) => Ok(config),
        Err(err) => Err(Error::Syntax {
            at: Location::file(source).with_line(u32::try_from(err.line()).ok()),
            reason: sanitize(&err.to_string(), text, json_kind(&err)),
        }),
    }
}

fn json_kind(err: &serde_json::Error) -> &'static str {
    match err.classify() {
        serde_json::error::Category::Io => "read error",
        serde_json::error::Category::Syntax => "JSON syntax error",
        serde_json::error::Category::Data => "value of the wrong shape",
        serde_json::error::Category::Eof => "unexpected end of input",
    }
}

/// Whether `{`/`[` nest deeper than `max` outside strings (serde_json has its own
/// fixed cap of 128; this makes [`Limits::max_depth`] apply below it).
fn json_depth_exceeds(text: &str, max: usize) -> bool {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for b in text.bytes() {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' | b'[' => {
                depth += 1;
                if depth > max {
                    return true;
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    false
}
