//! Policy durations: `15m`, `24h`, `30d`, `2w`, `1y`, or sums like `1d12h`.
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

impl<'de> Deserialize<'de> for PolicyDuration {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        PolicyDuration::parse(&text).map_err(serde::de::Error::custom)
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
}
