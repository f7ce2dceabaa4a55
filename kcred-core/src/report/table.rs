//! The human table of `kcred inspect`.

use std::fmt::Write;

use time::OffsetDateTime;

use super::rfc3339;
use super::text::{cell, cell_in, column_widths, escape_text, pad, GAP};
use crate::credential::Inventory;
use crate::expiry::{human_duration, ExpiryStatus, Validity};
use crate::policy::{Finding, Severity};

/// Credentials (context(s), user, kind, identity, expires, remaining, status),
/// then clusters (CA expiry, TLS verification), then contexts (as `kubectl
/// config get-contexts`: current marked `*`, namespace), then problems.
///
/// `color` adds ANSI colours to the status column (the caller decides: a terminal
/// and no `NO_COLOR`). `width` is the width each table fits in, its widest
/// cells shortened with `…` (the CLI passes `$COLUMNS`, else 80); `None`
/// prints every cell whole (`--wide`; cells are still capped at
/// [`crate::CELL_MAX`]).
///
/// The TLS column says how a client would check the server: `verified`
/// (a CA is named and decodes), `no CA` (named, does not decode), `system
/// roots` (none named) or `insecure` (`insecure-skip-tls-verify`).
pub fn inventory_table(
    inventory: &Inventory,
    now: OffsetDateTime,
    color: bool,
    width: Option<usize>,
) -> String {
    // Rows are made twice (widths, then text) rather than held: 100,000
    // credentials would otherwise keep 700,000 cell strings alive.
    // RIGHTS only when an RBAC snapshot gave some record its rights.
    let with_rights = inventory.credentials.iter().any(|r| r.privileges.is_some());
    let row = |i: usize| {
        let r = &inventory.credentials[i];
        let status = r.status(now);
        let contexts = if r.contexts.is_empty() {
            "(none)".to_owned()
        } else {
            r.contexts.join(",")
        };
        let mut cells = vec![
            contexts,
            r.user.clone(),
            r.kind().name().to_owned(),
            r.identity(),
            expires(r.validity()),
            remaining(status),
            status.name().to_owned(),
        ];
        if with_rights {
            let rights = r.privileges.as_ref().map_or("unknown", |p| p.summary());
            cells.push(rights.to_owned());
        }
        cells
    };
    let headers: &[&str] = &[
        "CONTEXTS",
        "USER",
        "KIND",
        "IDENTITY",
        "EXPIRES",
        "REMAINING",
        "STATUS",
        "RIGHTS",
    ];
    let headers = if with_rights { headers } else { &headers[..7] };
    let mut out = columns_by(headers, inventory.credentials.len(), row, color, width);
    if !inventory.clusters.is_empty() {
        let rows: Vec<Vec<String>> = inventory
            .clusters
            .iter()
            .map(|c| {
                let ca = c.ca.first().map(|ca| ca.validity);
                let status = ca.map(|v| v.status(now));
                vec![
                    c.name.clone(),
                    c.server.clone().unwrap_or_default(),
                    tls(c).to_owned(),
                    expires(ca),
                    status.map(remaining).unwrap_or_else(|| "-".to_owned()),
                    status
                        .map(|s| s.name().to_owned())
                        // No CA that decodes: the TLS column says why.
                        .unwrap_or_else(|| "-".to_owned()),
                ]
            })
            .collect();
        out.push('\n');
        out.push_str(&columns(
            &[
                "CLUSTER",
                "SERVER",
                "TLS",
                "CA EXPIRES",
                "REMAINING",
                "CA STATUS",
            ],
            &rows,
            color,
            width,
        ));
    }
    if !inventory.contexts.is_empty() {
        out.push('\n');
        out.push_str(&contexts_table(inventory, width));
    }
    if !inventory.problems.is_empty() {
        let _ = writeln!(out, "\n{} problem(s):", inventory.problems.len());
        for p in &inventory.problems {
            let _ = writeln!(out, "  {}", escape_text(&p.to_string()));
        }
    }
    out
}

/// The contexts as `kubectl config get-contexts` shows them: `*` marks the
/// current one.
fn contexts_table(inventory: &Inventory, width: Option<usize>) -> String {
    let current = inventory.current_context.as_deref();
    let rows: Vec<Vec<String>> = inventory
        .contexts
        .iter()
        .map(|c| {
            let marker = if current == Some(c.name.as_str()) {
                "*"
            } else {
                ""
            };
            vec![
                marker.to_owned(),
                c.name.clone(),
                c.cluster.clone(),
                c.user.clone(),
                c.namespace.clone().unwrap_or_default(),
            ]
        })
        .collect();
    // Not painted: the last column is a namespace, not a status.
    columns(
        &["CURRENT", "NAME", "CLUSTER", "AUTHINFO", "NAMESPACE"],
        &rows,
        false,
        width,
    )
}

/// What the TLS column says about a cluster entry. kcred never connects, so
/// this is what the entry asks of a client, not what a server presented:
/// - `insecure`: `insecure-skip-tls-verify: true`, the server is not checked;
/// - `system roots`: no `certificate-authority(-data)`, the client trusts the
///   operating system's roots;
/// - `no CA`: a CA is named but none of it decodes (missing file, not PEM),
///   so the client has nothing it could check the server with;
/// - `verified`: a CA is named and decodes into at least one certificate (its
///   expiry is the CA columns').
pub(crate) fn tls(cluster: &crate::ClusterRecord) -> &'static str {
    match (cluster.insecure_skip_tls_verify, &cluster.ca_source) {
        (true, _) => "insecure",
        (false, None) => "system roots",
        (false, Some(_)) if cluster.ca.is_empty() => "no CA",
        (false, Some(_)) => "verified",
    }
}

pub(crate) fn expires(validity: Option<Validity>) -> String {
    match validity {
        Some(v) if v.never_expires => "never".to_owned(),
        Some(v) => v.not_after.map(rfc3339).unwrap_or_else(|| "-".to_owned()),
        None => "-".to_owned(),
    }
}

pub(crate) fn remaining(status: ExpiryStatus) -> String {
    match status {
        ExpiryStatus::Valid { remaining } => human_duration(remaining),
        ExpiryStatus::Expired { since } => format!("-{}", human_duration(since)),
        ExpiryStatus::NotYetValid { starts_in } => {
            format!("starts in {}", human_duration(starts_in))
        }
        _ => "-".to_owned(),
    }
}

/// The columns of free text, which a narrow table shortens (RIGHTS is a
/// short summary: never cut).
const CUT: &[&str] = &[
    "CONTEXTS",
    "USER",
    "IDENTITY",
    "CLUSTER",
    "SERVER",
    "NAME",
    "AUTHINFO",
    "NAMESPACE",
];

/// Left-aligned columns; the last column is the status, coloured when asked.
fn columns(header: &[&str], rows: &[Vec<String>], color: bool, width: Option<usize>) -> String {
    columns_by(header, rows.len(), |i| rows[i].as_slice(), color, width)
}

/// Aligned columns of `count` rows made by `row(i)`, the last cell being the
/// status (painted when `color`), fitted in `width`. `row` is called twice
/// per row.
fn columns_by<R: AsRef<[String]>>(
    header: &[&str],
    count: usize,
    row: impl Fn(usize) -> R,
    color: bool,
    width: Option<usize>,
) -> String {
    let widths = column_widths(header, CUT, (0..count).map(&row), width);
    let mut out = String::new();
    let header: Vec<String> = header.iter().map(|h| (*h).to_owned()).collect();
    let mut line = |i: usize, cells: &[String]| {
        let Some((status, cells)) = cells.split_last() else {
            return;
        };
        for (c, width) in cells.iter().zip(&widths) {
            pad(&mut out, &cell_in(c, *width), *width);
            out.extend(std::iter::repeat_n(' ', GAP));
        }
        let last = widths.get(cells.len()).copied().unwrap_or(usize::MAX);
        let shown = cell_in(status, last);
        let paint = (color && i > 0).then_some(match status.as_str() {
            "valid" => "32",
            "expired" | "not-yet-valid" => "31",
            "never-expires" => "33",
            _ => "2",
        });
        match paint {
            Some(code) => {
                let _ = writeln!(out, "\x1b[{code}m{shown}\x1b[0m");
            }
            None => {
                let _ = writeln!(out, "{shown}");
            }
        }
    };
    line(0, &header);
    for i in 0..count {
        line(i + 1, row(i).as_ref());
    }
    out
}

/// The lines of one finding in [`findings_table`]: where, what, the message.
fn finding_lines(out: &mut String, f: &Finding, color: bool) {
    let l = &f.location;
    let mut place = l.file.display().to_string();
    if let Some(line) = l.line {
        let _ = write!(place, ":{line}");
    }
    // The line starts with the path: escaped whole, so a path of `:` or
    // `::warning::…` cannot begin a workflow command.
    let place = escape_text(&place);
    let sev = f.severity.name();
    let sev = match (color, f.severity) {
        (false, _) => sev.to_owned(),
        (true, Severity::Error) => format!("\x1b[1;31m{sev}\x1b[0m"),
        (true, Severity::Warning) => format!("\x1b[33m{sev}\x1b[0m"),
        (true, Severity::Info) => format!("\x1b[36m{sev}\x1b[0m"),
    };
    // Names as table cells: escaped and capped.
    let mut names = Vec::new();
    if let Some(c) = &l.context {
        names.push(format!("context {}", cell(c)));
    }
    if let Some(u) = &l.user {
        names.push(format!("user {}", cell(u)));
    } else if let Some(c) = &l.cluster {
        names.push(format!("cluster {}", cell(c)));
    }
    let names = if names.is_empty() {
        String::new()
    } else {
        format!(" [{}]", names.join(", "))
    };
    let _ = writeln!(out, "{place}: {sev} {} {}{names}", f.code, f.name());
    let _ = writeln!(out, "  {}", escape_text(&f.message));
}

/// The human form of `kcred check`: one block per distinct fix, in the order
/// of its first finding: each finding it fixes (location, severity, code and
/// name; the message), then the fix once, with the resource names filled in
/// (shell-quoted); then a summary line. Suppressed findings are counted, not
/// shown.
///
/// `color` paints the severity (the caller decides: a terminal and no `NO_COLOR`).
///
/// ```
/// assert_eq!(kcred_core::findings_table(&[], false), "no findings\n");
/// ```
pub fn findings_table(findings: &[Finding], color: bool) -> String {
    let mut out = String::new();
    let active: Vec<&Finding> = findings.iter().filter(|f| f.is_active()).collect();
    // The findings of each fix, fixes in the order they first appear.
    let mut groups: Vec<Vec<&Finding>> = Vec::new();
    let mut group_of: std::collections::HashMap<&str, usize> = Default::default();
    for f in &active {
        let next = groups.len();
        let i = *group_of.entry(f.remediation.as_str()).or_insert(next);
        if i == next {
            groups.push(Vec::new());
        }
        groups[i].push(f);
    }
    for group in &groups {
        for f in group {
            finding_lines(&mut out, f, color);
        }
        if let Some(first) = group.first() {
            let _ = writeln!(out, "  fix: {}", escape_text(&first.remediation));
        }
        out.push('\n');
    }
    let n = |s: Severity| active.iter().filter(|f| f.severity == s).count();
    let suppressed = findings.len() - active.len();
    if active.is_empty() {
        out.push_str("no findings");
    } else {
        let _ = write!(
            out,
            "{} finding(s): {} error(s), {} warning(s), {} info",
            active.len(),
            n(Severity::Error),
            n(Severity::Warning),
            n(Severity::Info)
        );
    }
    if suppressed > 0 {
        let _ = write!(out, "; {suppressed} suppressed");
    }
    out.push('\n');
    out
}
