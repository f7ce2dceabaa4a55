//! The human table of `kcred inspect`.

use std::fmt::Write;

use time::OffsetDateTime;

use super::rfc3339;
use crate::credential::Inventory;
use crate::expiry::{human_duration, ExpiryStatus};

/// Column layout: context(s), user, kind, identity, expires, remaining, status.
///
/// `color` adds ANSI colours to the status column (the caller decides: a terminal
/// and no `NO_COLOR`).
pub fn inventory_table(inventory: &Inventory, now: OffsetDateTime, color: bool) -> String {
    let header = [
        "CONTEXTS",
        "USER",
        "KIND",
        "IDENTITY",
        "EXPIRES",
        "REMAINING",
        "STATUS",
    ];
    let mut rows: Vec<[String; 7]> = Vec::new();
    for r in &inventory.credentials {
        let status = r.status(now);
        let validity = r.validity();
        let expires = match validity {
            Some(v) if v.never_expires => "never".to_owned(),
            Some(v) => v.not_after.map(rfc3339).unwrap_or_else(|| "-".to_owned()),
            None => "-".to_owned(),
        };
        let remaining = match status {
            ExpiryStatus::Valid { remaining } => human_duration(remaining),
            ExpiryStatus::Expired { since } => format!("-{}", human_duration(since)),
            ExpiryStatus::NotYetValid { starts_in } => {
                format!("starts in {}", human_duration(starts_in))
            }
            _ => "-".to_owned(),
        };
        let contexts = if r.contexts.is_empty() {
            "(none)".to_owned()
        } else {
            r.contexts.join(",")
        };
        rows.push([
            contexts,
            r.user.clone(),
            r.kind().name().to_owned(),
            r.identity(),
            expires,
            remaining,
            status.name().to_owned(),
        ]);
    }
    let mut widths = header.map(str::len);
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let line = |out: &mut String, cells: &[String], paint: Option<&str>| {
        let last = cells.len() - 1;
        for (i, cell) in cells.iter().enumerate() {
            if i == last {
                match paint {
                    Some(code) => {
                        let _ = write!(out, "\x1b[{code}m{cell}\x1b[0m");
                    }
                    None => out.push_str(cell),
                }
            } else {
                let _ = write!(out, "{cell:<width$}   ", width = widths[i]);
            }
        }
        out.push('\n');
    };
    line(&mut out, &header.map(str::to_owned), None);
    for row in &rows {
        let paint = color.then(|| match row[6].as_str() {
            "valid" => "32",
            "expired" | "not-yet-valid" => "31",
            "never-expires" => "33",
            _ => "2",
        });
        line(&mut out, row, paint);
    }
    if !inventory.problems.is_empty() {
        let _ = writeln!(out, "\n{} problem(s):", inventory.problems.len());
        for p in &inventory.problems {
            let _ = writeln!(out, "  {p}");
        }
    }
    out
}
