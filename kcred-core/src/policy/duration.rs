//! Policy durations: `15m`, `24h`, `30d`, `2w`, `1y`, or sums like `1d12h`;
//! and thresholds, which are a duration or a share of lifetime (`33%`).
//!
//! A small parser of our own rather than `humantime`: the grammar is six units,
//! `y` is exactly 365 days (humantime's year is 365.25 days, which would make
//! `1y` print as a fraction of a day), and the original text is kept so messages
//! say "policy allows at most 24h" in the user's words.
// Durations are parsed from policy text: every computation is checked.
#![deny(clippy::arithmetic_side_effects)]

use std::fmt;

use serde::{Deserialize, Deserializer};
use time::Duration;

/// A duration written in a policy, with the text it was written as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyDuration {
    text: String,
    duration: Duration,
}

impl PolicyDuration {
    /// Parses `15m`, `24h`, `30d`, `2w`, `1y` (365 days), `90s`, or a sum of
    /// those written together (`1d12h`). A bare number is refused: the unit
    /// must be explicit.
    ///
    /// ```
    /// use kcred_core::PolicyDuration;
    /// assert_eq!(PolicyDuration::parse("1d12h").unwrap().duration(), time::Duration::hours(36));
    /// assert!(PolicyDuration::parse("30").is_err());
    /// ```
    pub fn parse(text: &str) -> Result<Self, String> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err("empty duration".to_owned());
        }
        let mut total: i64 = 0;
        let mut digits = String::new();
        for c in trimmed.chars() {
            if c.is_ascii_digit() {
                digits.push(c);
                continue;
            }
            let unit: i64 = match c {
                's' => 1,
                'm' => 60,
                'h' => 3_600,
                'd' => 86_400,
                'w' => 7 * 86_400,
                'y' => 365 * 86_400,
                _ => return Err(
                    "not a duration (use a number and one of s, m, h, d, w, y, like 24h or 30d)"
                        .to_owned(),
                ),
            };
            if digits.is_empty() {
                return Err(format!("unit {c:?} without a number"));
            }
            let n: i64 = digits
                .parse()
                .map_err(|_| "duration too large".to_owned())?;
            digits.clear();
            total = n
                .checked_mul(unit)
                .and_then(|s| total.checked_add(s))
                .filter(|s| *s <= 1_000 * 365 * 86_400)
                .ok_or_else(|| "duration too large (at most 1000y)".to_owned())?;
        }
        if !digits.is_empty() {
            return Err("duration has no unit (write it like 24h or 30d)".to_owned());
        }
        Ok(PolicyDuration {
            text: trimmed.to_owned(),
            duration: Duration::seconds(total),
        })
    }

    /// The duration.
    pub fn duration(&self) -> Duration {
        self.duration
    }

    /// The text as written in the policy (`24h`).
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl fmt::Display for PolicyDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// `Deserialize` for types read from their text by their own `parse`, whose
/// error message is the one a policy file shows.
macro_rules! deserialize_by_parse {
    ($($ty:ident),*) => {$(
        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = String::deserialize(deserializer)?;
                $ty::parse(&text).map_err(serde::de::Error::custom)
            }
        }
    )*};
}

deserialize_by_parse!(PolicyDuration, Threshold);

/// A rule's threshold as written: a duration (`30d`) or, for expiring-soon, a
/// share of each credential's lifetime (`33%`: warn once a third of its
/// lifetime is left, as step's `needs-renewal` and cert-manager's
/// `renewBeforePercentage` do).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Threshold {
    /// A fixed duration.
    Duration(PolicyDuration),
    /// A share of the lifetime (notBefore to notAfter).
    Share(LifetimeShare),
}

impl Threshold {
    /// Parses a duration (see [`PolicyDuration::parse`]) or a share `33%`
    /// (more than 0, at most 100, up to two decimals).
    ///
    /// ```
    /// use kcred_core::Threshold;
    /// assert!(matches!(Threshold::parse("33%"), Ok(Threshold::Share(_))));
    /// assert!(matches!(Threshold::parse("30d"), Ok(Threshold::Duration(_))));
    /// assert!(Threshold::parse("0%").is_err());
    /// assert!(Threshold::parse("101%").is_err());
    /// ```
    pub fn parse(text: &str) -> Result<Self, String> {
        if text.trim().ends_with('%') {
            return LifetimeShare::parse(text).map(Threshold::Share);
        }
        PolicyDuration::parse(text)
            .map(Threshold::Duration)
            .map_err(|e| {
                match text.trim().bytes().all(|b| b.is_ascii_digit() || b == b'.') {
                    // `33`: a share without its `%`, or a duration without its unit.
                    true => format!("{e}; or a share of lifetime like 33%"),
                    false => e,
                }
            })
    }

    /// The duration, when the threshold is one.
    pub fn duration(&self) -> Option<&PolicyDuration> {
        match self {
            Threshold::Duration(d) => Some(d),
            Threshold::Share(_) => None,
        }
    }

    /// The limit for a credential of `lifetime`: the duration itself, or the
    /// share of `lifetime` (`None` when the lifetime is unknown).
    pub fn limit(&self, lifetime: Option<Duration>) -> Option<Duration> {
        match self {
            Threshold::Duration(d) => Some(d.duration()),
            Threshold::Share(s) => lifetime.and_then(|l| s.of(l)),
        }
    }

    /// The text as written in the policy (`24h`, `33%`).
    pub fn as_str(&self) -> &str {
        match self {
            Threshold::Duration(d) => d.as_str(),
            Threshold::Share(s) => &s.text,
        }
    }
}

impl fmt::Display for Threshold {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A share of a lifetime, `33%` or `12.5%`: more than 0 and at most 100.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LifetimeShare {
    text: String,
    /// Hundredths of a percent: 1 to 10,000.
    basis_points: i64,
}

impl LifetimeShare {
    fn parse(text: &str) -> Result<Self, String> {
        let trimmed = text.trim();
        let number = trimmed.strip_suffix('%').unwrap_or(trimmed).trim_end();
        let range = "a share of lifetime is more than 0% and at most 100%";
        let shape = || format!("not a share of lifetime (write it like 33% or 12.5%; {range})");
        let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() || !digits(whole) || !digits(fraction) || fraction.len() > 2 {
            return Err(shape());
        }
        if whole.len() > 3 {
            return Err(range.to_owned());
        }
        let whole: i64 = whole.parse().map_err(|_| shape())?;
        let fraction: i64 = format!("{fraction:0<2}").parse().map_err(|_| shape())?;
        let basis_points = whole
            .checked_mul(100)
            .and_then(|w| w.checked_add(fraction))
            .filter(|bp| (1..=10_000).contains(bp))
            .ok_or_else(|| range.to_owned())?;
        Ok(LifetimeShare {
            text: trimmed.to_owned(),
            basis_points,
        })
    }

    /// This share of `lifetime` (rounded down to the second); `None` when the
    /// lifetime is negative or the product does not fit.
    pub fn of(&self, lifetime: Duration) -> Option<Duration> {
        lifetime
            .whole_seconds()
            .checked_mul(self.basis_points)
            .and_then(|s| s.checked_div(10_000))
            .filter(|s| *s >= 0)
            .map(Duration::seconds)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_and_sums() {
        let d = |t: &str| PolicyDuration::parse(t).map(|d| d.duration());
        assert_eq!(d("15m"), Ok(Duration::minutes(15)));
        assert_eq!(d("24h"), Ok(Duration::hours(24)));
        assert_eq!(d("30d"), Ok(Duration::days(30)));
        assert_eq!(d("2w"), Ok(Duration::days(14)));
        assert_eq!(d("1y"), Ok(Duration::days(365)));
        assert_eq!(d(" 1d12h "), Ok(Duration::hours(36)));
        assert_eq!(d("0s"), Ok(Duration::ZERO));
        assert_eq!(PolicyDuration::parse("24h").unwrap().to_string(), "24h");
    }

    #[test]
    fn refusals() {
        for bad in [
            "",
            "30",
            "h",
            "1.5h",
            "-1d",
            "1mo",
            "99999999999999999999d",
            "2000y",
            "1000000000000000d",
            "9223372036854775807s",
            "9223372036854775807w",
            "1000y1s",
            "365001d",
            "999y9999999999999999d",
        ] {
            assert!(PolicyDuration::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn shares_of_lifetime() {
        let share = |t: &str| match Threshold::parse(t) {
            Ok(Threshold::Share(s)) => s,
            other => panic!("{t}: {other:?}"),
        };
        let year = Duration::days(365);
        assert_eq!(
            share("33%").of(Duration::days(300)),
            Some(Duration::days(99))
        );
        assert_eq!(
            share(" 12.5% ").of(Duration::days(8)),
            Some(Duration::days(1))
        );
        assert_eq!(share("100%").of(year), Some(year));
        assert_eq!(
            share("0.01%").of(Duration::seconds(99)),
            Some(Duration::ZERO)
        );
        assert_eq!(share("50%").of(Duration::seconds(-10)), None);
        assert_eq!(share("50%").of(Duration::MAX), None);
        assert_eq!(Threshold::parse("33%").unwrap().to_string(), "33%");
        assert_eq!(Threshold::parse("33%").unwrap().limit(None), None);
        let d = Threshold::parse("1d").unwrap();
        assert_eq!(d.limit(None), Some(Duration::days(1)));
        for bad in [
            "0%",
            "0.00%",
            "100.01%",
            "101%",
            "1000%",
            "-5%",
            "%",
            "3.333%",
            "1e2%",
            "33 %%",
            "99999999999999999999%",
        ] {
            assert!(Threshold::parse(bad).is_err(), "{bad}");
        }
        assert!(Threshold::parse("150%")
            .unwrap_err()
            .contains("at most 100%"));
        assert!(Threshold::parse("33").unwrap_err().contains("33%"));
    }
}
