//! Byte-identity of the direct JSON records: a rich corpus (every platform
//! fixture, the merge fixtures, the demo, RBAC privileges, a kubeconfig of
//! unicode and control characters and of every credential kind) is written
//! through the views and through the `serde_json::Value` documents they
//! replaced (kept here only), and the bytes must be equal.

use std::path::{Path, PathBuf};

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use serde_json::{json, Value};
use time::OffsetDateTime;

use super::*;
use crate::credential::{ClusterRecord, CredentialRecord};
use crate::expiry::ExpiryStatus;
use crate::policy::{Finding, Suppressed};
use crate::{Limits, Source};

const NOW: OffsetDateTime = time::macros::datetime!(2026-01-01 0:00 UTC); // 2026-01-01T00:00:00Z

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Files under `dir` (recursively) that `keep` accepts, sorted.
fn files_under(dir: &Path, keep: &dyn Fn(&Path) -> bool, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            files_under(&path, keep, out);
        } else if keep(&path) {
            out.push(path);
        }
    }
}

/// A kubeconfig with names of unicode, control and hidden characters, and a
/// credential of every kind (the exec plugin's, the auth-provider's).
const UNICODE: &str = r#"apiVersion: v1
kind: Config
clusters:
- name: "c\u202e\u0007日本"
  cluster:
    server: "https://user:pw@c.example/\u200b"
    insecure-skip-tls-verify: true
contexts:
- name: "ctx \"quoted\" \\ \t tab"
  context: {cluster: "c\u202e\u0007日本", user: "ü\u0085ser", namespace: "ns😀"}
current-context: "ctx \"quoted\" \\ \t tab"
users:
- name: "ü\u0085ser"
  user:
    token: "sha256~abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
    as: "admin\u2066"
    as-groups: ["g1", "g\u00e9"]
    as-uid: "1"
- name: basic
  user: {username: "b\u0000x", password: secret}
- name: anonymous
  user: {}
- name: boot
  user: {token: abcdef.0123456789abcdef}
- name: missing
  user: {client-certificate: /nonexistent/c.crt, client-key: /nonexistent/c.key}
- name: tokenfile
  user: {tokenFile: /nonexistent/token}
- name: exec
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: kubelogin
      args: [get-token, --login, devicecode, --server-id, "\u202e"]
      env: [{name: "A\u200bB", value: x}]
- name: oidc
  user:
    auth-provider:
      name: oidc
      config:
        idp-issuer-url: https://issuer.example
        client-id: "cl\u0007"
        refresh-token: r
        id-token: eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJpc3MiOiJodHRwczovL2lzc3Vlci5leGFtcGxlIiwic3ViIjoic3lzdGVtOnNlcnZpY2VhY2NvdW50Omt1YmUtc3lzdGVtOmRlcGxveWVyIiwiaWF0IjoxNzY3MjI1NjAwLCJleHAiOjE3ODAyNzIwMDB9.
"#;

/// Every inventory of the corpus, with the files it read.
fn corpus() -> Vec<(Inventory, Vec<PathBuf>)> {
    let root = repository();
    let mut files = vec![root.join("examples/kubeconfigs/demo.yaml")];
    let data = root.join("tests/data");
    files_under(
        &data.join("platforms"),
        &|p| p.file_name().is_some_and(|n| n == "config"),
        &mut files,
    );
    for dir in ["merge", "tokens", "scan"] {
        let yaml = |p: &Path| p.extension().is_some_and(|e| e == "yaml");
        files_under(&data.join(dir), &yaml, &mut files);
    }
    assert!(files.len() >= 60, "only {} files", files.len());
    let rbac = [
        data.join("rbac/snapshot.yaml"),
        data.join("rbac/ci-deployer.yaml"),
    ];
    let (snapshot, problems) = crate::load_rbac(&rbac, &Limits::default());
    assert!(problems.is_empty(), "{problems:?}");
    let mut out = Vec::new();
    let mut load = |source: Source| {
        let Ok(loaded) = crate::load_inventory(&source, &Limits::default()) else {
            return;
        };
        let mut with_rights = loaded.inventory.clone();
        crate::attach_privileges(&mut with_rights, &snapshot, None);
        out.push((loaded.inventory, loaded.files.clone()));
        out.push((with_rights, loaded.files));
    };
    for file in files {
        load(Source::File(file));
    }
    load(Source::Text {
        name: "unicode\u{202e}.yaml".into(),
        bytes: UNICODE.as_bytes().to_vec(),
        read_files: true,
    });
    assert!(
        out.iter()
            .any(|(inv, _)| inv.credentials.iter().any(|r| r.privileges.is_some())),
        "no record with privileges"
    );
    out
}

/// The inventory document as it was written before the views: clusters and
/// credentials through `Value`s, the rest direct.
struct OldInventory<'a>(&'a Inventory, &'a [PathBuf]);

impl Serialize for OldInventory<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let OldInventory(inventory, files) = *self;
        let mut map = serializer.serialize_map(None)?;
        let clusters: Vec<Value> = inventory.clusters.iter().map(old_cluster).collect();
        map.serialize_entry("clusters", &clusters)?;
        map.serialize_entry("contexts", &inventory.contexts)?;
        let credentials: Vec<Value> = inventory.credentials.iter().map(old_credential).collect();
        map.serialize_entry("credentials", &credentials)?;
        map.serialize_entry("current_context", &inventory.current_context)?;
        map.serialize_entry("files", files)?;
        map.serialize_entry("now", &rfc3339(NOW))?;
        map.serialize_entry("problems", &inventory.problems)?;
        map.serialize_entry("schema", INVENTORY_SCHEMA)?;
        map.end()
    }
}

fn old_cluster(c: &ClusterRecord) -> Value {
    let ca = c.ca.first();
    json!({
        "name": c.name,
        "location": c.location,
        "server": c.server,
        "contexts": c.contexts,
        "insecure_skip_tls_verify": c.insecure_skip_tls_verify,
        "ca_source": c.ca_source,
        "ca": ca,
        "ca_not_after": ca.and_then(|ca| ca.validity.not_after).map(rfc3339),
        "ca_status": ca.map(|ca| ca.validity.status(NOW).name()),
    })
}

/// The record as `Value`, as `credential_json` built it.
pub(crate) fn old_credential(record: &CredentialRecord) -> Value {
    let validity = record.validity();
    let status = record.status(NOW);
    let remaining = record::remaining_seconds(status);
    let details = match serde_json::to_value(&record.credential) {
        Ok(Value::Object(mut tagged)) => tagged.remove("details").unwrap_or(Value::Null),
        _ => Value::Null,
    };
    json!({
        "user": record.user,
        "contexts": record.contexts,
        "clusters": record.clusters,
        "kind": record.kind().name(),
        "platform": record.platform.name(),
        "identity": record.identity(),
        "location": record.location,
        "status": status.name(),
        "unknown_reason": match status { ExpiryStatus::Unknown { reason } => serde_json::to_value(reason).ok(), _ => None },
        "not_before": validity.and_then(|v| v.not_before).map(rfc3339),
        "not_after": validity.and_then(|v| v.not_after).map(rfc3339),
        "never_expires": validity.is_some_and(|v| v.never_expires),
        "remaining_seconds": remaining,
        "lifetime_seconds": validity.and_then(|v| v.lifetime()).map(|d| d.whole_seconds()),
        "impersonation": record.impersonation,
        "privileges": record.privileges,
        "details": details,
    })
}

/// The finding as `Value`, as `finding_json` built it.
fn old_finding(f: &Finding) -> Value {
    let l = &f.location;
    json!({
        "code": f.code,
        "name": f.name(),
        "severity": f.severity.name(),
        "location": {
            "file": l.file.display().to_string(),
            "line": l.line,
            "column": l.column,
            "context": l.context,
            "user": l.user,
            "cluster": l.cluster,
            "entry": l.entry,
            "field": l.field,
        },
        "kind": f.kind.map(|k| k.name()),
        "platform": f.platform.name(),
        "message": f.message,
        "remediation": f.remediation,
        "suppressed": f.suppressed.as_ref().map(|s| json!({"reason": s.reason, "expires": s.expires})),
    })
}

/// The findings of every corpus inventory under two policies, one in three
/// marked suppressed (with and without an expiry).
pub(crate) fn corpus_findings() -> Vec<Vec<Finding>> {
    let mut out = Vec::new();
    for (inventory, _) in corpus() {
        for policy in ["baseline", "strict"] {
            let policy = crate::load_policy(policy).unwrap();
            let mut findings = crate::evaluate(&inventory, &policy, NOW);
            for (i, f) in findings.iter_mut().enumerate() {
                f.suppressed = match i % 3 {
                    0 => Some(Suppressed {
                        reason: format!("accepted \u{202e}{i}"),
                        expires: (i % 2 == 0).then(|| "2026-06-01".to_owned()),
                    }),
                    _ => None,
                };
            }
            out.push(findings);
        }
    }
    out
}

fn written(write: impl FnOnce(&mut Vec<u8>) -> std::io::Result<()>) -> String {
    let mut out = Vec::new();
    write(&mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn inventory_bytes_are_those_of_the_value_document() {
    let mut records = 0;
    for (inventory, files) in corpus() {
        records += inventory.credentials.len() + inventory.clusters.len();
        let direct = written(|out| write_inventory_json(&inventory, NOW, Some(&files), out));
        assert_eq!(
            direct,
            super::super::json_text(&OldInventory(&inventory, &files))
        );
        // The views in sorted key order at every level: a `Value` (which sorts)
        // writes the same bytes.
        for r in &inventory.credentials {
            let view = CredentialJson::new(r, NOW);
            let sorted = serde_json::to_value(&view).unwrap();
            assert_eq!(
                serde_json::to_string_pretty(&view).unwrap(),
                serde_json::to_string_pretty(&sorted).unwrap()
            );
            assert_eq!(sorted, old_credential(r));
        }
        assert_eq!(
            inventory_json(&inventory, NOW),
            serde_json::from_str::<Value>(&written(|out| {
                write_inventory_json(&inventory, NOW, None, out)
            }))
            .unwrap()
        );
    }
    assert!(records > 150, "only {records} records");
}

#[test]
fn findings_bytes_are_those_of_the_value_document() {
    let mut count = 0;
    for findings in corpus_findings() {
        count += findings.len();
        let direct = written(|out| write_findings_json(&findings, "strict", NOW, out));
        let old: Vec<Value> = findings.iter().map(old_finding).collect();
        let mut doc = findings_json(&[], "strict", NOW);
        doc["findings"] = Value::Array(old);
        let active = |s: Severity| {
            findings
                .iter()
                .filter(|f| f.is_active() && f.severity == s)
                .count()
        };
        doc["summary"] = json!({
            "error": active(Severity::Error),
            "warning": active(Severity::Warning),
            "info": active(Severity::Info),
            "suppressed": findings.iter().filter(|f| !f.is_active()).count(),
        });
        assert_eq!(direct, super::super::json_text(&doc));
    }
    assert!(count > 200, "only {count} findings");
}

/// The exposure document as it was written before the views: contexts
/// through `Value`s, the rest direct.
struct OldExposure<'a, 'r>(&'a crate::ExposureReport<'r>);

impl Serialize for OldExposure<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let report = self.0;
        let now = report.now;
        let contexts: Vec<Value> = report
            .contexts
            .iter()
            .map(|c| {
                json!({
                    "context": c.context,
                    "user": c.user,
                    "cluster": c.cluster,
                    "platform": c.platform,
                    "until": c.until,
                    "until_text": crate::until_text(&c.until, now),
                    "irrevocable": c.irrevocable,
                    "system_masters": c.system_masters,
                    "credentials": c.credentials,
                    "steps": c.steps,
                })
            })
            .collect();
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("caches", report.caches)?;
        map.serialize_entry("contexts", &contexts)?;
        map.serialize_entry("file_warnings", report.file_warnings)?;
        map.serialize_entry("lifetime_defaults", &report.defaults.rows())?;
        map.serialize_entry("now", &rfc3339(now))?;
        map.serialize_entry("problems", report.problems)?;
        map.serialize_entry("schema", crate::EXPOSURE_SCHEMA)?;
        map.end()
    }
}

#[test]
fn exposure_bytes_are_those_of_the_value_document() {
    let defaults = crate::LifetimeDefaults::default();
    let limits = Limits::default();
    // The corpus without caches, and the exposure homes with theirs.
    let mut runs: Vec<(Inventory, Vec<crate::CacheEntry>)> = corpus()
        .into_iter()
        .map(|(inventory, _)| (inventory, Vec::new()))
        .collect();
    for home in ["home-aks", "home-eks", "home-gke", "home-oidc"] {
        let home = repository().join("tests/data/exposure").join(home);
        let loaded = crate::load_merged(&[home.join(".kube/config")], &limits);
        let inventory = crate::inventory(&loaded.config, &crate::DiskFiles::new(limits.clone()));
        let search = crate::CacheSearch {
            home: Some(&home),
            kube_cache_dir: None,
            kubeconfig_files: &loaded.files,
        };
        let mut scan = crate::find_caches(&search, &limits);
        assert!(!scan.entries.is_empty(), "{}", home.display());
        crate::link_caches(&mut scan.entries, &loaded.config);
        runs.push((inventory, scan.entries));
    }
    let mut contexts = 0;
    for (inventory, caches) in &runs {
        let exposed = crate::exposure(inventory, caches, &defaults, NOW);
        contexts += exposed.len();
        let report = crate::ExposureReport {
            contexts: &exposed,
            caches,
            file_warnings: &[],
            problems: &inventory.problems,
            defaults: &defaults,
            now: NOW,
        };
        let direct = written(|out| crate::write_exposure_json(&report, None, out));
        assert_eq!(direct, super::super::json_text(&OldExposure(&report)));
    }
    assert!(contexts > 100, "only {contexts} contexts");
}

/// The scan document's parts as they were written before the views: records
/// through `credential_json`'s `Value`, the lists through `json!`.
#[test]
fn scan_bytes_are_those_of_the_value_document() {
    let data = repository().join("tests/data");
    let mut paths: Vec<PathBuf> = ["scan/repo", "scan/loose", "scan/shapes", "platforms"]
        .iter()
        .map(|p| data.join(p))
        .collect();
    paths.push(repository().join("examples"));
    // A credential that is not read (too deep) and one that does not decode.
    let dir = crate::test_support::TempDir::new("scan-bytes");
    let kubeconfig = "apiVersion: v1\nkind: Config\nusers:\n- name: u\n  user:\n    client-certificate-data: Q0FOQVJZ\n    client-key-data: Q0FOQVJZ\n";
    dir.write("bad-\u{202e}.yaml", kubeconfig);
    let deep = format!("{}{}", "[".repeat(80), "]".repeat(80));
    dir.write("deep.yaml", format!("{kubeconfig}x: {deep}\n"));
    paths.push(dir.to_path_buf());
    let options = crate::WalkOptions::default();
    let report = crate::scan_tree(&paths, &options, &Limits::default()).unwrap();
    assert!(report.inventory.credentials.len() > 100);
    assert!(!report.unreadable.is_empty(), "nothing unreadable");
    assert!(!report.inventory.problems.is_empty(), "no problem");
    let findings = crate::evaluate_scan(&report, &crate::load_policy("strict").unwrap(), NOW);
    let direct = written(|out| crate::write_scan_json(&report, &findings, "strict", NOW, out));
    let credentials: Vec<Value> = report
        .inventory
        .credentials
        .iter()
        .map(old_credential)
        .collect();
    let mut old = json!({
        "schema": crate::SCAN_SCHEMA,
        "now": rfc3339(NOW),
        "files_scanned": report.files_scanned,
        "credentials": credentials,
        "skipped": report.skipped,
        "unreadable": report.unreadable,
        "problems": report.inventory.problems,
    });
    let findings_doc = written(|out| write_findings_json(&findings, "strict", NOW, out));
    old["findings"] = serde_json::from_str(&findings_doc).unwrap();
    assert_eq!(direct, super::super::json_text(&old));
    assert_eq!(
        crate::scan_json(&report, NOW)["credentials"],
        old["credentials"]
    );
}
