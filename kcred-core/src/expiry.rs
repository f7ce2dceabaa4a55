//! Validity windows and what they mean at a given instant.
// Dates come from input (a JWT `exp` of year 9999, an `X-Amz-Date`): every
// computation on them must be checked, never a plain `+` that can panic.
#![deny(clippy::arithmetic_side_effects)]

use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

/// RFC 5280 §4.1.2.5: a notAfter of 99991231235959Z means "no well-defined
/// expiration date".
pub const NO_WELL_DEFINED_EXPIRATION: i64 = 253_402_300_799; // 9999-12-31T23:59:59Z

/// `to - from`. Cannot overflow: both ends are within years -9999..=9999 (the
/// range of `OffsetDateTime` without `large-dates`), so the difference is at most
/// about 6.3e11 seconds, far inside `Duration`'s i64 seconds.
#[allow(clippy::arithmetic_side_effects)]
pub(crate) fn span(from: OffsetDateTime, to: OffsetDateTime) -> Duration {
    to - from
}

/// `t` when it is an instant kcred can name: years 0000 to 9999 both as written
/// and in UTC, what RFC 3339 can express. `9999-12-31T23:59:59-23:59` is in year
/// 10000 in UTC (converting it with `to_offset` panics), and a NumericDate of
/// year -5 cannot be written as RFC 3339 (serializing it fails): both are `None`.
pub(crate) fn in_range(t: OffsetDateTime) -> Option<OffsetDateTime> {
    let utc = t.checked_to_offset(time::UtcOffset::UTC)?;
    (t.year() >= 0 && utc.year() >= 0).then_some(t)
}

/// Unix seconds as an instant, within [`in_range`].
pub(crate) fn from_unix(seconds: i64) -> Option<OffsetDateTime> {
    OffsetDateTime::from_unix_timestamp(seconds)
        .ok()
        .and_then(in_range)
}

/// Parses an RFC 3339 instant, within [`in_range`].
pub(crate) fn parse_rfc3339(text: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
        .ok()
        // Kept (and so printed) in UTC, whatever offset the input wrote.
        .and_then(|t| t.checked_to_offset(time::UtcOffset::UTC))
        .and_then(in_range)
}

/// When a credential starts and stops working, as the credential itself says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Validity {
    /// Start: certificate notBefore, JWT `nbf` (or `iat` when there is no `nbf`).
    #[serde(with = "time::serde::rfc3339::option")]
    pub not_before: Option<OffsetDateTime>,
    /// End: certificate notAfter, JWT `exp`, cached token expiry. `None` with
    /// `never_expires` for tokens without `exp`.
    #[serde(with = "time::serde::rfc3339::option")]
    pub not_after: Option<OffsetDateTime>,
    /// True for RFC 5280's 99991231235959Z and for JWTs without `exp`.
    pub never_expires: bool,
}

impl Validity {
    /// A window from `not_before` to `not_after`; a notAfter of 9999-12-31T23:59:59Z
    /// is marked as never expiring.
    pub fn between(not_before: Option<OffsetDateTime>, not_after: OffsetDateTime) -> Self {
        Validity {
            not_before,
            not_after: Some(not_after),
            never_expires: not_after.unix_timestamp() >= NO_WELL_DEFINED_EXPIRATION,
        }
    }

    /// A credential that states no end (legacy service-account token, JWT without `exp`).
    pub fn never(not_before: Option<OffsetDateTime>) -> Self {
        Validity {
            not_before,
            not_after: None,
            never_expires: true,
        }
    }

    /// Total lifetime, `not_after - not_before`, when both are known and the end is real.
    pub fn lifetime(&self) -> Option<Duration> {
        match (self.not_before, self.not_after) {
            (Some(start), Some(end)) if !self.never_expires => Some(span(start, end)),
            _ => None,
        }
    }

    /// Time left at `now` (negative once expired); `None` when there is no end.
    pub fn remaining(&self, now: OffsetDateTime) -> Option<Duration> {
        match self.not_after {
            Some(end) if !self.never_expires => Some(span(now, end)),
            _ => None,
        }
    }

    /// The status of this window at `now`.
    ///
    /// ```
    /// use kcred_core::{ExpiryStatus, Validity};
    /// use time::macros::datetime;
    /// let v = Validity::between(Some(datetime!(2025-01-01 0:00 UTC)), datetime!(2027-01-01 0:00 UTC));
    /// let now = datetime!(2026-01-01 0:00 UTC); // fixed instant, never the clock
    /// assert_eq!(v.status(now), ExpiryStatus::Valid { remaining: time::Duration::days(365) });
    /// ```
    pub fn status(&self, now: OffsetDateTime) -> ExpiryStatus {
        if let Some(start) = self.not_before {
            if now < start {
                return ExpiryStatus::NotYetValid {
                    starts_in: span(now, start),
                };
            }
        }
        if self.never_expires {
            return ExpiryStatus::NeverExpires;
        }
        match self.not_after {
            Some(end) if now < end => ExpiryStatus::Valid {
                remaining: span(now, end),
            },
            // At notAfter itself the certificate is still valid per RFC 5280, but one
            // second later it is not; we treat the instant as expired like client-go's
            // token cache does (`exp <= now`) so a boundary never reads as usable.
            Some(end) => ExpiryStatus::Expired {
                since: span(end, now),
            },
            None => ExpiryStatus::Unknown {
                reason: UnknownReason::NoExpiryStated,
            },
        }
    }
}

/// Why an expiry cannot be told.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum UnknownReason {
    /// An opaque token: only the server knows.
    OpaqueToken,
    /// An exec plugin mints credentials on each call.
    Dynamic,
    /// Basic auth has no expiry of its own.
    NoExpiryStated,
    /// The credential could not be decoded.
    Undecodable,
    /// The file holding the credential does not exist.
    MissingFile,
    /// The file holding the credential could not be read.
    UnreadableFile,
    /// A limit stopped kcred before it read the credential.
    NotExamined,
}

/// A credential's state at an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "kebab-case")]
#[non_exhaustive]
pub enum ExpiryStatus {
    /// Works now; stops after `remaining`.
    Valid {
        /// Time left.
        #[serde(with = "seconds")]
        remaining: Duration,
    },
    /// Stopped working `since` ago.
    Expired {
        /// Time since expiry.
        #[serde(with = "seconds")]
        since: Duration,
    },
    /// Starts working in `starts_in`.
    NotYetValid {
        /// Time until start.
        #[serde(with = "seconds")]
        starts_in: Duration,
    },
    /// States no end.
    NeverExpires,
    /// The end cannot be told from the files.
    Unknown {
        /// Why.
        reason: UnknownReason,
    },
}

impl ExpiryStatus {
    /// Stable short name: `valid`, `expired`, `not-yet-valid`, `never-expires`, `unknown`.
    pub fn name(&self) -> &'static str {
        match self {
            ExpiryStatus::Valid { .. } => "valid",
            ExpiryStatus::Expired { .. } => "expired",
            ExpiryStatus::NotYetValid { .. } => "not-yet-valid",
            ExpiryStatus::NeverExpires => "never-expires",
            ExpiryStatus::Unknown { .. } => "unknown",
        }
    }
}

/// A duration as kubeadm prints RESIDUAL TIME: `364d`, `23h`, `59m`, `12s`, with
/// the largest unit only (a `-` in front when negative).
///
/// ```
/// assert_eq!(kcred_core::human_duration(time::Duration::hours(49)), "2d");
/// assert_eq!(kcred_core::human_duration(time::Duration::minutes(-90)), "-1h");
/// ```
pub fn human_duration(d: Duration) -> String {
    let sign = if d.is_negative() { "-" } else { "" };
    let secs = d.whole_seconds().unsigned_abs();
    let (value, unit) = if secs >= 2 * 365 * 86_400 {
        (secs / (365 * 86_400), "y")
    } else if secs >= 86_400 {
        (secs / 86_400, "d")
    } else if secs >= 3_600 {
        (secs / 3_600, "h")
    } else if secs >= 60 {
        (secs / 60, "m")
    } else {
        (secs, "s")
    };
    format!("{sign}{value}{unit}")
}

/// Serializes a duration as whole seconds.
pub(crate) mod seconds {
    use serde::Serializer;
    use time::Duration;

    pub(crate) fn serialize<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i64(d.whole_seconds())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2026-01-01 0:00 UTC); // 1_767_225_600

    #[test]
    fn rfc3339_times_are_kept_in_utc() {
        let t = parse_rfc3339("2026-01-01T02:00:00+02:00").unwrap();
        assert_eq!(t, NOW);
        assert_eq!(t.offset(), time::UtcOffset::UTC);
        assert_eq!(crate::report::rfc3339(t), "2026-01-01T00:00:00Z");
    }

    #[test]
    fn statuses_at_fixed_now() {
        let v = Validity::between(
            Some(datetime!(2025-12-01 0:00 UTC)),
            datetime!(2026-01-02 0:00 UTC),
        );
        assert_eq!(
            v.status(NOW),
            ExpiryStatus::Valid {
                remaining: Duration::days(1)
            }
        );
        assert_eq!(v.lifetime(), Some(Duration::days(32)));
        let v = Validity::between(None, datetime!(2025-12-31 23:00 UTC));
        assert_eq!(
            v.status(NOW),
            ExpiryStatus::Expired {
                since: Duration::hours(1)
            }
        );
        let v = Validity::between(
            Some(datetime!(2026-01-01 0:00:01 UTC)),
            datetime!(2027-01-01 0:00 UTC),
        );
        assert_eq!(
            v.status(NOW),
            ExpiryStatus::NotYetValid {
                starts_in: Duration::seconds(1)
            }
        );
        let v = Validity::between(None, datetime!(9999-12-31 23:59:59 UTC));
        assert_eq!(v.status(NOW), ExpiryStatus::NeverExpires);
        assert_eq!(v.lifetime(), None);
        assert_eq!(
            Validity::never(None).status(NOW),
            ExpiryStatus::NeverExpires
        );
    }

    #[test]
    fn expired_exactly_at_not_after() {
        let v = Validity::between(None, NOW);
        assert_eq!(
            v.status(NOW),
            ExpiryStatus::Expired {
                since: Duration::ZERO
            }
        );
    }

    #[test]
    fn window_arithmetic_at_the_ends_of_time_never_panics() {
        use time::{PrimitiveDateTime, UtcOffset};
        let edges = [PrimitiveDateTime::MIN, PrimitiveDateTime::MAX];
        let offsets = [
            UtcOffset::UTC,
            UtcOffset::from_hms(23, 59, 59).unwrap(),
            UtcOffset::from_hms(-23, -59, -59).unwrap(),
        ];
        let mut instants = vec![NOW];
        for e in edges {
            for o in offsets {
                instants.push(e.assume_offset(o));
            }
        }
        for &a in &instants {
            for &b in &instants {
                for v in [Validity::between(Some(a), b), Validity::between(None, b)] {
                    for &now in &instants {
                        let _ = (v.status(now), v.remaining(now), v.lifetime());
                    }
                }
                let _ = human_duration(span(a, b));
            }
        }
        assert_eq!(
            human_duration(Duration::MAX),
            format!("{}y", i64::MAX / (365 * 86_400))
        );
        assert_eq!(
            human_duration(Duration::MIN),
            format!("-{}y", (i64::MAX as u64 + 1) / (365 * 86_400))
        );
    }

    #[test]
    fn instants_outside_years_0000_to_9999_are_refused() {
        assert!(from_unix(NO_WELL_DEFINED_EXPIRATION).is_some());
        assert!(from_unix(-62_167_219_200).is_some());
        for s in [
            NO_WELL_DEFINED_EXPIRATION + 1,
            -62_167_219_201,
            i64::MAX,
            i64::MIN,
        ] {
            assert_eq!(from_unix(s), None, "{s}");
        }
        assert!(parse_rfc3339("9999-12-31T23:59:59.999999999Z").is_some());
        assert!(parse_rfc3339("0000-01-01T00:00:00-23:59").is_some());
        for t in [
            "9999-12-31T23:59:59-00:01",
            "0000-01-01T00:00:00+00:01",
            "10000-01-01T00:00:00Z",
            "+999999-01-01T00:00:00Z",
        ] {
            assert_eq!(parse_rfc3339(t), None, "{t}");
        }
    }

    #[test]
    fn human_durations() {
        assert_eq!(human_duration(Duration::days(729)), "729d");
        assert_eq!(human_duration(Duration::days(3650)), "10y");
        assert_eq!(human_duration(Duration::seconds(59)), "59s");
        assert_eq!(human_duration(Duration::ZERO), "0s");
    }
}
