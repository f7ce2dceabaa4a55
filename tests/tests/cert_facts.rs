//! kcred's own certificate walk against x509-parser (the oracle) on
//! certificates openssl makes at test time: the same facts both ways, and the
//! walk taking the common kinds itself. SKIPPED (passes, says so) without openssl.

use std::path::Path;

use kcred_core::CertificateInfo;
use kcred_tests::support::{Run, TempDir};

/// A certificate made by `openssl req -x509` with `args`, as DER; `None` when
/// openssl is missing or refuses.
fn make(dir: &TempDir, name: &str, args: &[&str]) -> Option<Vec<u8>> {
    let (key, cert) = (
        dir.path().join(format!("{name}.key")),
        dir.path().join(format!("{name}.der")),
    );
    let made = Run::new("openssl")
        .args(["req", "-x509", "-nodes", "-outform", "DER", "-keyout"])
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .args(args)
        .try_output();
    if !made.is_ok_and(|o| o.status.success()) {
        return None;
    }
    std::fs::read(cert).ok()
}

/// A CA (made by `make`) signs a child; the child's DER.
fn signed_by_ca(dir: &TempDir) -> Option<Vec<u8>> {
    let p = |f: &str| dir.path().join(f);
    let csr = Run::new("openssl")
        .args(["req", "-new", "-nodes", "-newkey", "ec", "-pkeyopt"])
        .args([
            "ec_paramgen_curve:prime256v1",
            "-subj",
            "/O=system:masters/CN=admin",
        ])
        .arg("-keyout")
        .arg(p("child.key"))
        .arg("-out")
        .arg(p("child.csr"))
        .try_output();
    if !csr.is_ok_and(|o| o.status.success()) {
        return None;
    }
    let ext = dir.write(
        "ext.cnf",
        "extendedKeyUsage=clientAuth\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n",
    );
    let signed = Run::new("openssl")
        .args(["x509", "-req", "-days", "30", "-outform", "DER", "-in"])
        .arg(p("child.csr"))
        .arg("-CA")
        .arg(p("ca.der"))
        .args(["-CAform", "DER", "-CAkey"])
        .arg(p("ca.key"))
        .arg("-CAcreateserial")
        .arg("-extfile")
        .arg(&ext)
        .arg("-out")
        .arg(p("child.der"))
        .try_output();
    if !signed.is_ok_and(|o| o.status.success()) {
        return None;
    }
    std::fs::read(p("child.der")).ok()
}

/// Both ways give the same facts, and the walk took the certificate itself.
fn walked_and_same(what: &str, der: &[u8]) -> CertificateInfo {
    let (walked, parsed) = CertificateInfo::decode_both_ways(der);
    let parsed = parsed.unwrap_or_else(|| panic!("{what}: x509-parser rejects it"));
    assert_eq!(walked.as_ref(), Some(&parsed), "{what}");
    parsed
}

const RSA: &[&str] = &["-newkey", "rsa:2048"];
const P256: &[&str] = &["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"];
const P384: &[&str] = &["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:secp384r1"];
const ED25519: &[&str] = &["-newkey", "ed25519"];

#[test]
fn openssl_certificates_give_the_same_facts_both_ways() {
    let dir = TempDir::new("cert-facts");
    let sans = "subjectAltName=DNS:a.example,DNS:b.example,DNS:*.c.example,IP:10.0.0.1,IP:::1,IP:2001:db8::7,email:ops@example.com,URI:https://example.com/x";
    let cases: Vec<(&str, Vec<&str>)> = vec![
        (
            "rsa",
            [RSA, &["-subj", "/CN=rsa-user/O=dev/O=ops", "-days", "30"]].concat(),
        ),
        (
            "p256",
            [
                P256,
                &[
                    "-subj",
                    "/C=DE/ST=Be/L=Berlin/O=o/OU=u/CN=p256",
                    "-days",
                    "1",
                ],
            ]
            .concat(),
        ),
        (
            "p384",
            [
                P384,
                &["-subj", "/DC=example/DC=com/CN=p384/emailAddress=a@b.c"],
            ]
            .concat(),
        ),
        (
            "ed25519",
            [ED25519, &["-subj", "/CN=ed", "-days", "30"]].concat(),
        ),
        (
            "gentime",
            [P256, &["-subj", "/CN=late", "-days", "12000"]].concat(),
        ),
        (
            "sans",
            [P256, &["-subj", "/CN=many", "-addext", sans]].concat(),
        ),
        (
            "multi-rdn",
            [P256, &["-multivalue-rdn", "-subj", "/CN=a+O=b/OU=c"]].concat(),
        ),
        (
            "utf8",
            [P256, &["-utf8", "-subj", "/CN=Jürgen ☃/O=Zürich"]].concat(),
        ),
        (
            "empty-subject",
            [
                P256,
                &["-subj", "/", "-addext", "subjectAltName=DNS:only.example"],
            ]
            .concat(),
        ),
        (
            "ca",
            [
                RSA,
                &[
                    "-subj",
                    "/CN=kcred-ca",
                    "-addext",
                    "basicConstraints=critical,CA:TRUE,pathlen:0",
                    "-addext",
                    "keyUsage=critical,keyCertSign,cRLSign",
                ],
            ]
            .concat(),
        ),
    ];
    let mut made = Vec::new();
    for (name, args) in &cases {
        let file = if *name == "ca" { "ca" } else { name };
        let Some(der) = make(&dir, file, args) else {
            eprintln!("SKIPPED: openssl cannot make {name}");
            return;
        };
        made.push((*name, walked_and_same(name, &der)));
    }
    let by = |name: &str| &made.iter().find(|(n, _)| *n == name).unwrap().1;
    assert_eq!(by("rsa").key.bits, Some(2048));
    assert_eq!(by("rsa").organizations, ["dev", "ops"]);
    assert_eq!(by("p384").key.curve.as_deref(), Some("P-384"));
    assert_eq!(by("ed25519").key.algorithm, "Ed25519");
    assert!(by("gentime").validity.not_after.unwrap().year() > 2050);
    assert_eq!(by("multi-rdn").subject, "CN=a + O=b, OU=c");
    assert_eq!(by("utf8").common_name.as_deref(), Some("Jürgen ☃"));
    assert_eq!(by("empty-subject").subject, "");
    let ca = by("ca");
    assert!(ca.is_ca && ca.self_issued && ca.is_signed_by(ca));
    if let Some(child) = signed_by_ca(&dir) {
        let child = walked_and_same("child", &child);
        assert_eq!(child.common_name.as_deref(), Some("admin"));
        assert!(child.is_signed_by(ca) && !child.is_ca);
    }
}

#[test]
fn what_the_walk_declines_x509_parser_decodes() {
    let dir = TempDir::new("cert-facts-decline");
    // RSA-PSS (its hash is in the parameters) and a serialNumber attribute:
    // the walk leaves both to x509-parser, and `decode_der` gives its facts.
    let cases: [(&str, Vec<&str>); 2] = [
        (
            "pss",
            [
                RSA,
                &["-subj", "/CN=pss", "-sigopt", "rsa_padding_mode:pss"],
            ]
            .concat(),
        ),
        (
            "serial-attr",
            [P256, &["-subj", "/CN=x/serialNumber=42"]].concat(),
        ),
    ];
    for (name, args) in &cases {
        let Some(der) = make(&dir, name, args) else {
            eprintln!("SKIPPED: openssl cannot make {name}");
            continue;
        };
        let (walked, parsed) = CertificateInfo::decode_both_ways(&der);
        assert!(walked.is_none(), "{name}");
        let decoded = kcred_core::decode_der(&der, &kcred_core::Location::file(Path::new(name)));
        assert_eq!(decoded.ok(), parsed, "{name}");
    }
}
