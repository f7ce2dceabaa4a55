//! What an untagged plain scalar is, resolved as serde-saphyr 2.2 resolves it
//! for an untyped target (`serde_json::Value`, unknown keys): null, a YAML 1.1
//! boolean, a YAML 1.2 integer (`0x`, `0o`, `0b`, `_` separators), a float, or
//! text. Quoted and block scalars, and `!!str` ones, are always text.

/// The value of a plain scalar.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Plain {
    Null,
    Bool(bool),
    Unsigned(u64),
    Signed(i64),
    Float(f64),
    /// `.nan`, `.inf`, `1e999`: refused for untyped targets, as serde-saphyr does.
    NonFinite,
    Text,
}

/// `""`, `~`, `null`, `Null`, `NULL` (plain scalars only).
pub(super) fn is_nullish(text: &str) -> bool {
    matches!(text, "" | "~" | "null" | "Null" | "NULL")
}

fn trim(s: &str) -> &str {
    s.trim_matches([' ', '\t', '\r', '\n'])
}

/// YAML 1.1 booleans, any case: `y`, `yes`, `true`, `on` and their opposites.
pub(super) fn yaml11_bool(text: &str) -> Option<bool> {
    let t = trim(text);
    let any = |words: &[&str]| words.iter().any(|w| t.eq_ignore_ascii_case(w));
    if any(&["true", "yes", "y", "on"]) {
        Some(true)
    } else if any(&["false", "no", "n", "off"]) {
        Some(false)
    } else {
        None
    }
}

/// Resolves an untagged plain scalar for an untyped target.
pub(super) fn resolve_plain(text: &str) -> Plain {
    if is_nullish(text) {
        return Plain::Null;
    }
    if let Some(b) = yaml11_bool(text) {
        return Plain::Bool(b);
    }
    let t = trim(text);
    let unsigned = t.strip_prefix(['+', '-']).unwrap_or(t);
    if matches!(unsigned.as_bytes(), [b'0', b'X' | b'O' | b'B', ..]) || is_signed_nan(t) {
        return Plain::Text;
    }
    if let Some(rest) = t.strip_prefix('-') {
        if !leading_zero_decimal(t) {
            if let Some(n) = signed(rest) {
                return Plain::Signed(n);
            }
        }
    } else if let Some(n) = unsigned_int(t.strip_prefix('+').unwrap_or(t)) {
        return Plain::Unsigned(n);
    }
    match float(t) {
        Some(f) if f.is_finite() => Plain::Float(f),
        Some(_) => Plain::NonFinite,
        None => Plain::Text,
    }
}

fn is_signed_nan(t: &str) -> bool {
    t.strip_prefix(['+', '-'])
        .is_some_and(|u| matches!(u, ".nan" | ".NaN" | ".NAN"))
}

fn leading_zero_decimal(t: &str) -> bool {
    let digits = t.strip_prefix(['+', '-']).unwrap_or(t);
    digits.len() > 1 && digits.starts_with('0') && digits.bytes().all(|b| b.is_ascii_digit())
}

/// The radix and digits of an integer without its sign.
fn radix(rest: &str) -> (u32, &str) {
    for (prefix, radix) in [
        ("0x", 16),
        ("0X", 16),
        ("0o", 8),
        ("0O", 8),
        ("0b", 2),
        ("0B", 2),
    ] {
        if let Some(digits) = rest.strip_prefix(prefix) {
            return (radix, digits);
        }
    }
    (10, rest)
}

/// Digits in `radix` with single `_` separators between digits.
fn digits(digits: &str, radix: u32) -> Option<u128> {
    let bytes = digits.as_bytes();
    let mut value: u128 = 0;
    let mut saw = false;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'_' {
            let prev_ok = i > 0 && bytes.get(i - 1) != Some(&b'_');
            let next_ok = bytes.get(i + 1).is_some_and(|n| *n != b'_');
            if !prev_ok || !next_ok {
                return None;
            }
            continue;
        }
        let d = char::from(b).to_digit(16)?;
        if d >= radix {
            return None;
        }
        value = value
            .checked_mul(u128::from(radix))?
            .checked_add(u128::from(d))?;
        saw = true;
    }
    saw.then_some(value)
}

fn magnitude(rest: &str) -> Option<u128> {
    let (radix, ds) = radix(rest);
    if radix == 10 && ds.starts_with('0') && ds != "0" {
        return None;
    }
    digits(ds, radix)
}

fn unsigned_int(rest: &str) -> Option<u64> {
    magnitude(rest).and_then(|m| u64::try_from(m).ok())
}

fn signed(rest: &str) -> Option<i64> {
    let m = magnitude(rest)?;
    let m = i128::try_from(m).ok()?;
    i64::try_from(m.checked_neg()?).ok()
}

/// YAML 1.2 floats: `.inf`/`.nan` spellings, Rust's finite decimal forms, and
/// digit-led literals that overflow to infinity.
fn float(t: &str) -> Option<f64> {
    let (negative, unsigned) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    match unsigned {
        ".nan" | ".NaN" | ".NAN" => return Some(f64::NAN),
        ".inf" | ".Inf" | ".INF" if negative => return Some(f64::NEG_INFINITY),
        ".inf" | ".Inf" | ".INF" => return Some(f64::INFINITY),
        _ => {}
    }
    match t.parse::<f64>() {
        Ok(v) if v.is_finite() => Some(v),
        Ok(v) if v.is_infinite() && unsigned.as_bytes().first().is_some_and(u8::is_ascii_digit) => {
            Some(v)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_scalars_resolve_as_serde_saphyr_does() {
        let cases = [
            ("~", Plain::Null),
            ("", Plain::Null),
            ("Yes", Plain::Bool(true)),
            ("off", Plain::Bool(false)),
            ("12", Plain::Unsigned(12)),
            ("+12", Plain::Unsigned(12)),
            ("1_000", Plain::Unsigned(1000)),
            ("0x1f", Plain::Unsigned(31)),
            ("0X1f", Plain::Text),
            ("-0o17", Plain::Signed(-15)),
            ("0127", Plain::Float(127.0)),
            ("-0127", Plain::Float(-127.0)),
            ("1.5e3", Plain::Float(1500.0)),
            (".inf", Plain::NonFinite),
            ("1e999", Plain::NonFinite),
            ("-.nan", Plain::Text),
            ("inf", Plain::Text),
            ("1__0", Plain::Text),
            ("v1", Plain::Text),
        ];
        for (text, want) in cases {
            assert_eq!(resolve_plain(text), want, "{text}");
        }
    }
}
