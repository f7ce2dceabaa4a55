//! Built-in policies. Each is an ordinary policy file (parsed by the same code
//! as user files), so `kcred check --policy strict` and a file that says
//! `extends: strict` mean the same.

/// Preset names, for help and errors.
pub const NAMES: &[&str] = &["baseline", "strict", "kubeadm"];

/// What `baseline` is for. It is the registry's defaults: every rule whose
/// `default_enabled` is true, at its default severity. A policy without
/// `extends` starts from it, and `kcred check` uses it when no policy is given.
pub(crate) const BASELINE_DESCRIPTION: &str = "Things that are dangerous or broken for everyone: expired and not-yet-valid \
credentials, expiry within 30 days (warning), never-expiring credentials, system:masters client certificates \
(irrevocable cluster-admin), basic auth, removed auth-providers, weak keys, and kubeconfigs kubectl itself \
would refuse (key mismatch, token plus basic auth, v1 exec without interactiveMode, unreadable or undecodable \
input); opaque inline tokens whose lifetime no one can tell and insecure-skip-tls-verify as warnings; \
with --rbac, cluster-admin rights valid for more than 24h and rights that mint credentials as warnings.";

/// `baseline` written as a file, for documentation (`kcred rules --preset`).
pub(crate) const BASELINE: &str = "\
# baseline: the registry defaults (see `kcred rules`: rules marked in baseline).
version: 1
name: baseline
";

/// The stolen-laptop policy.
pub(crate) const STRICT: &str = "\
# strict: the stolen-laptop policy. Nothing on disk may stay valid for more than
# 24h, no system:masters client certificates, no static credentials for people:
# exec plugins only.
version: 1
name: strict
description: >-
  Nothing on disk may remain valid for longer than 24h (max-exposure counts caches and
  refresh tokens in `kcred exposure --policy strict`); no system:masters client
  certificates; no static tokens, passwords or client certificates for people (exec
  plugins only); no refresh tokens on disk; TLS always verified; with --rbac, no
  cluster-admin valid for more than 24h and no rights that mint credentials.
extends: baseline
rules:
  max-remaining:
    enabled: true
    threshold: 24h
    severity: error
  irrevocable-admin:
    enabled: true
    severity: error
  static-credential:
    enabled: true
    severity: error
  # a lifetime no one can tell cannot be shown to be under 24h
  unknown-expiry:
    severity: error
  # kcred exposure --policy strict: caches and refresh tokens counted
  max-exposure:
    enabled: true
    threshold: 24h
    severity: error
  refresh-token-on-disk:
    enabled: true
    severity: error
  insecure-skip-tls-verify:
    severity: error
  not-signed-by-cluster-ca:
    enabled: true
    severity: warning
  # with --rbac: cluster-admin for more than a day, or rights that mint
  # credentials outliving the one on disk
  long-lived-cluster-admin:
    threshold: 24h
    severity: error
  can-mint-credentials:
    severity: error
  # short-lived credentials are the goal here; warning that they expire is noise
  expiring-soon:
    enabled: false
";

/// Control-plane PKI renewal for kubeadm clusters.
pub(crate) const KUBEADM: &str = "\
# kubeadm: control-plane PKI renewal. kubeadm certificates last one year and are
# renewed only by `kubeadm certs renew` or an upgrade: warn 30 days ahead, fail 7 days ahead.
version: 1
name: kubeadm
description: >-
  baseline, with expiring-soon at 30d as a warning and 7d as an error, for
  kubeadm-issued certificates that need `kubeadm certs renew`; system:masters
  certificates (super-admin.conf) as a warning.
extends: baseline
rules:
  expiring-soon:
    enabled: true
    severity: warning
    threshold: 30d
    error-threshold: 7d
  # kubeadm writes super-admin.conf (and admin.conf before 1.29) with
  # system:masters on the control plane by design, next to the CA key: say so,
  # but a renewal gate (--fail-on error) fails on renewals, not on that layout.
  irrevocable-admin:
    severity: warning
";

/// Whether `name` is a preset.
pub(crate) fn is_preset(name: &str) -> bool {
    NAMES.contains(&name)
}

/// The text of a preset other than `baseline` (which is built from the registry).
pub(crate) fn text(name: &str) -> Option<&'static str> {
    match name {
        "strict" => Some(STRICT),
        "kubeadm" => Some(KUBEADM),
        _ => None,
    }
}

/// The text of any preset, `baseline` included, for display.
pub fn preset_text(name: &str) -> Option<&'static str> {
    match name {
        "baseline" => Some(BASELINE),
        other => text(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::finding::Severity;
    use crate::policy::model::Policy;
    use crate::policy::Code;

    #[test]
    fn presets_parse_and_differ() {
        for name in NAMES {
            let p = Policy::preset(name).unwrap();
            assert_eq!(&p.name, name);
        }
        let baseline = Policy::preset("baseline").unwrap();
        assert_eq!(baseline, Policy::default());
        let strict = Policy::preset("strict").unwrap();
        // baseline reports irrevocable admin certificates as errors (issue 14)
        assert!(baseline.rules[&Code::IrrevocableAdmin].enabled);
        assert_eq!(
            baseline.rules[&Code::IrrevocableAdmin].severity,
            Severity::Error
        );
        assert_eq!(
            baseline.rules[&Code::UnknownExpiry].severity,
            Severity::Warning
        );
        assert_eq!(strict.rules[&Code::UnknownExpiry].severity, Severity::Error);
        let kubeadm = Policy::preset("kubeadm").unwrap();
        assert_eq!(
            kubeadm.rules[&Code::IrrevocableAdmin].severity,
            Severity::Warning
        );
        assert!(!baseline.rules[&Code::MaxExposure].enabled);
        assert_eq!(strict.threshold_of(Code::MaxExposure).unwrap(), "24h");
        assert_eq!(strict.threshold_of(Code::MaxRemaining).unwrap(), "24h");
        assert!(!strict.rules[&Code::ExpiringSoon].enabled);
        assert_eq!(
            kubeadm.rules[&Code::ExpiringSoon]
                .error_threshold
                .as_ref()
                .unwrap()
                .as_str(),
            "7d"
        );
        // baseline as a file means the same as the built-in one
        let as_file = crate::policy::model::parse_policy(BASELINE, "b.yaml".as_ref()).unwrap();
        assert_eq!(as_file.rules, baseline.rules);
    }
}
