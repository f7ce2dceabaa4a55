//! `kcred pki` through the core API on the kubeadm fixture made by
//! tests/data/pki/make_pki.py: expiration dates to the second, residual times,
//! CA names, externally-managed and missing flags, and findings of the kubeadm preset.

use std::path::PathBuf;

use kcred_core::{
    evaluate, pki_json, pki_report, pki_table, DiskFiles, Limits, PkiLayout, PkiReport, Policy,
};
use kcred_tests::support::{data, now, read_json, NOW_UNIX as NOW};
use serde_json::Value;
use time::OffsetDateTime;

fn root() -> PathBuf {
    data("pki/kubeadm")
}

fn expected() -> Value {
    read_json(&root().join("expected.json"))
}

fn layout() -> PkiLayout {
    PkiLayout {
        dir: root().join("etc-kubernetes"),
        kubelet_dir: root().join("var-lib-kubelet"),
    }
}

fn report() -> PkiReport {
    let layout = layout();
    // What the CLI lists: *.crt / *.pem under pki/ and pki/etcd/.
    let mut others = Vec::new();
    for dir in [layout.dir.join("pki"), layout.dir.join("pki/etcd")] {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if matches!(p.extension().and_then(|e| e.to_str()), Some("crt" | "pem")) {
                others.push(p);
            }
        }
    }
    let limits = Limits::default();
    pki_report(&layout, &others, &DiskFiles::new(limits.clone()), &limits)
}

#[test]
fn every_row_matches_the_fixture_to_the_second() {
    let report = report();
    let doc = pki_json(&report, now());
    let exp = expected();
    let rows = |key: &str| -> Vec<Value> { doc[key].as_array().unwrap().clone() };
    for (key, exp_key) in [
        ("certificates", "certificates"),
        ("certificateAuthorities", "authorities"),
    ] {
        let got = rows(key);
        let want = exp[exp_key].as_object().unwrap();
        assert_eq!(got.len(), want.len(), "{key}: {got:#?}");
        for row in got {
            let name = row["name"].as_str().unwrap();
            let w = &want[name];
            assert_eq!(row["missing"], w["missing"], "{name}");
            assert_eq!(row["externallyManaged"], w["externally_managed"], "{name}");
            match w.get("ca_name") {
                Some(ca) => assert_eq!(&row["caName"], ca, "{name}"),
                None => assert!(row.get("caName").is_none(), "{name}: CAs have no caName"),
            }
            if w["missing"] == true {
                assert_eq!(row["expirationDate"], Value::Null, "{name}");
                assert_eq!(row["residualTime"], 0, "{name}");
                continue;
            }
            let end = w["not_after"].as_i64().unwrap();
            let date = OffsetDateTime::from_unix_timestamp(end).unwrap();
            let text = date
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap();
            assert_eq!(row["expirationDate"], text.as_str(), "{name}");
            assert_eq!(row["residualTime"], w["residual"], "{name}");
            assert_eq!(row["residualTime"].as_i64().unwrap(), end - NOW, "{name}");
        }
    }
    // kubeadm's rows first, in kubeadm's (sorted) order, then the ones it leaves out.
    let names: Vec<&str> = report
        .certificates
        .iter()
        .map(|e| e.name.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "admin.conf",
            "apiserver",
            "apiserver-etcd-client",
            "apiserver-kubelet-client",
            "controller-manager.conf",
            "etcd-healthcheck-client",
            "etcd-peer",
            "etcd-server",
            "front-proxy-client",
            "scheduler.conf",
            "super-admin.conf",
            "kubelet.conf",
            "kubelet-client-current",
            "audit-webhook-client",
        ]
    );
    let listed: Vec<bool> = report
        .certificates
        .iter()
        .map(|e| e.listed_by_kubeadm)
        .collect();
    assert_eq!(listed.iter().filter(|b| **b).count(), 11);
    // sa.pub and sa.key are not certificates and not problems.
    assert!(
        report.inventory.problems.is_empty(),
        "{:?}",
        report.inventory.problems
    );
}

#[test]
fn the_table_has_kubeadms_columns_and_markers() {
    let text = pki_table(&report(), now(), None);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "CERTIFICATE                EXPIRES                  RESIDUAL TIME   CERTIFICATE AUTHORITY   EXTERNALLY MANAGED"
    );
    assert!(lines.contains(&"!MISSING! etcd-healthcheck-client"));
    assert!(lines.contains(
        &"apiserver                  Jan 21, 2026 01:02 UTC   20d             ca                      no"
    ));
    assert!(lines.contains(
        &"etcd-peer                  Dec 30, 2025 23:58 UTC   <invalid>       etcd-ca                 no"
    ));
    assert!(lines.contains(
        &"front-proxy-client         Jun 15, 2026 10:20 UTC   165d            front-proxy-ca          yes"
    ));
    assert!(lines.contains(
        &"CERTIFICATE AUTHORITY   EXPIRES                  RESIDUAL TIME   EXTERNALLY MANAGED"
    ));
    assert!(lines.contains(&"front-proxy-ca          Jun 13, 2035 10:20 UTC   9y              yes"));
    assert!(!text.contains("PRIVATE KEY"));
}

#[test]
fn the_kubeadm_preset_warns_at_30_days_and_fails_at_7() {
    let report = report();
    let policy = Policy::preset("kubeadm").unwrap();
    let findings = evaluate(&report.inventory, &policy, now());
    let got: Vec<(String, &str, &str, Option<String>)> = findings
        .iter()
        .map(|f| {
            (
                f.location
                    .file
                    .strip_prefix(root())
                    .unwrap()
                    .display()
                    .to_string(),
                f.code.as_str(),
                f.severity.name(),
                f.location.entry.clone(),
            )
        })
        .collect();
    let e =
        |file: &str, code, sev, entry: &str| (file.to_owned(), code, sev, Some(entry.to_owned()));
    assert_eq!(
        got,
        [
            e(
                "etc-kubernetes/pki/apiserver-kubelet-client.crt",
                "KC003",
                "error",
                "apiserver-kubelet-client"
            ),
            e(
                "etc-kubernetes/pki/apiserver.crt",
                "KC003",
                "warning",
                "apiserver"
            ),
            e(
                "etc-kubernetes/pki/etcd/peer.crt",
                "KC001",
                "error",
                "etcd-peer"
            ),
            // kubeadm extends baseline, which reports system:masters certificates
            // (issue 14); the kubeadm preset keeps super-admin.conf a warning.
            e(
                "etc-kubernetes/super-admin.conf",
                "KC101",
                "warning",
                "users[kubernetes-super-admin]"
            ),
        ]
    );
    assert_eq!(
        findings[1].message,
        "certificate apiserver expires in 20d (2026-01-21T01:02:03Z); policy warns within 30d"
    );
    // kubelet.conf and kubelet-client-current.pem are one certificate: one record.
    let kubelet = report
        .inventory
        .credentials
        .iter()
        .filter(|r| r.identity().contains("system:node:cp-1"))
        .count();
    assert_eq!(kubelet, 1);
}
