//! The one registry of rule codes. Codes and names are stable: a code is never
//! reused for another check, and a removed rule keeps its number retired.
//!
//! Families: KC0xx lifetime and kind (any credential), KC1xx client
//! certificates, KC2xx tokens and passwords, KC3xx exec plugins and
//! auth-providers, KC4xx clusters and file hygiene, KC9xx input and policy problems.

use serde::Serialize;

use super::finding::Severity;

/// Which family a rule belongs to (the hundreds of its code).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Family {
    /// KC0xx: lifetime and kind, for any credential.
    Lifetime,
    /// KC1xx: client certificates.
    Certificate,
    /// KC2xx: tokens and passwords.
    Token,
    /// KC3xx: exec plugins and auth-providers.
    Exec,
    /// KC4xx: clusters and file hygiene.
    Cluster,
    /// KC5xx: credentials found in a repository or a tree by `kcred scan`.
    Repository,
    /// KC9xx: input and policy problems.
    Input,
}

impl Family {
    /// Stable short name.
    pub fn name(&self) -> &'static str {
        match self {
            Family::Lifetime => "lifetime",
            Family::Certificate => "certificate",
            Family::Token => "token",
            Family::Exec => "exec",
            Family::Cluster => "cluster",
            Family::Repository => "repository",
            Family::Input => "input",
        }
    }
}

/// A rule: its stable code and name, its defaults, and its documentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Rule {
    /// Stable code, like `KC101`.
    pub code: &'static str,
    /// Stable kebab-case name, like `irrevocable-admin`.
    pub name: &'static str,
    /// Family.
    pub family: Family,
    /// Severity unless the policy says otherwise.
    pub default_severity: Severity,
    /// Whether the rule is on in `baseline` (the policy used when none is given).
    pub default_enabled: bool,
    /// The threshold when the policy gives none (`30d` for expiring-soon).
    pub default_threshold: Option<&'static str>,
    /// One line: what a finding of this rule means.
    pub summary: &'static str,
    /// What it checks.
    pub what: &'static str,
    /// Why it matters.
    pub why: &'static str,
    /// A kubeconfig or policy excerpt that fires the rule.
    pub example: &'static str,
    /// How to fix it.
    pub fix: &'static str,
}

impl Rule {
    /// The documentation as Markdown: a heading and the four sections.
    pub fn markdown(&self) -> String {
        let threshold = self
            .default_threshold
            .map(|t| format!(", default threshold `{t}`"))
            .unwrap_or_default();
        format!(
            "## {code} {name}\n\n{summary}\n\nFamily: {family}. Default severity: {sev}{threshold}. In `baseline`: {on}.\n\n### What it checks\n\n{what}\n\n### Why it matters\n\n{why}\n\n### Example\n\n```yaml\n{example}\n```\n\n### How to fix\n\n{fix}\n",
            code = self.code,
            name = self.name,
            summary = self.summary,
            family = self.family.name(),
            sev = self.default_severity.name(),
            on = if self.default_enabled { "yes" } else { "no" },
            what = self.what,
            why = self.why,
            example = self.example.trim_end(),
            fix = self.fix,
        )
    }

    /// The documentation as plain text, for `kcred rule CODE`.
    pub fn text(&self) -> String {
        let threshold = self
            .default_threshold
            .map(|t| format!("; default threshold {t}"))
            .unwrap_or_default();
        let example: String = self
            .example
            .trim_end()
            .lines()
            .map(|l| format!("    {l}\n"))
            .collect();
        format!(
            "{code} {name}: {summary}\nfamily {family}; default severity {sev}{threshold}; in baseline: {on}\n\nWhat it checks\n    {what}\n\nWhy it matters\n    {why}\n\nExample\n{example}\nHow to fix\n    {fix}\n",
            code = self.code,
            name = self.name,
            summary = self.summary,
            family = self.family.name(),
            sev = self.default_severity.name(),
            on = if self.default_enabled { "yes" } else { "no" },
            what = self.what,
            why = self.why,
            fix = self.fix,
        )
    }
}

/// Finds a rule by code (`KC101`, any case) or name (`irrevocable-admin`).
///
/// ```
/// assert_eq!(kcred_core::rule("kc101").unwrap().name, "irrevocable-admin");
/// assert_eq!(kcred_core::rule("expired").unwrap().code, "KC001");
/// assert!(kcred_core::rule("KC999").is_none());
/// ```
pub fn rule(code_or_name: &str) -> Option<&'static Rule> {
    RULES
        .iter()
        .find(|r| r.code.eq_ignore_ascii_case(code_or_name) || r.name == code_or_name)
}

/// The whole registry as Markdown: the text of `docs/rules.md` (a test keeps
/// that file up to date; `kcred rules --markdown` prints it).
pub fn rules_markdown() -> String {
    let mut out = String::from(
        "# kcred rules\n\n<!-- generated from kcred-core/src/policy/rules.rs by `kcred rules --markdown`; a test checks it is current (KCRED_BLESS=1 rewrites it) -->\n\n| code | name | family | default severity | in baseline | summary |\n| --- | --- | --- | --- | --- | --- |\n",
    );
    for r in RULES {
        out.push_str(&format!(
            "| {} | [{}](#{}-{}) | {} | {} | {} | {} |\n",
            r.code,
            r.name,
            r.code.to_ascii_lowercase(),
            r.name,
            r.family.name(),
            r.default_severity.name(),
            if r.default_enabled { "yes" } else { "no" },
            r.summary
        ));
    }
    for r in RULES {
        out.push('\n');
        out.push_str(&r.markdown());
    }
    out
}

macro_rules! rule {
    ($code:literal $name:literal $family:ident $sev:ident $on:literal $threshold:expr,
     summary: $summary:literal, what: $what:literal, why: $why:literal,
     example: $example:literal, fix: $fix:literal) => {
        Rule {
            code: $code,
            name: $name,
            family: Family::$family,
            default_severity: Severity::$sev,
            default_enabled: $on,
            default_threshold: $threshold,
            summary: $summary,
            what: $what,
            why: $why,
            example: $example,
            fix: $fix,
        }
    };
}

/// Every rule, sorted by code.
pub const RULES: &[Rule] = &[
    rule!("KC001" "expired" Lifetime Error true None,
        summary: "the credential has expired",
        what: "A client certificate's notAfter, a token's `exp` or an auth-provider's cached expiry lies at or before `now`.",
        why: "kubectl fails with `Unauthorized` or a TLS error; for a certificate-only admin account (kubeadm, kind, AKS local admin) that can lock you out of the cluster.",
        example: "users:\n- name: kubernetes-admin\n  user:\n    client-certificate-data: ...   # notAfter 2025-12-31T00:00:00Z, now 2026-01-01",
        fix: "Fetch a new credential from the platform (kubeadm: `kubeadm certs renew`; AKS/EKS/GKE: get-credentials again), or switch to an exec plugin that mints short-lived tokens."),
    rule!("KC002" "not-yet-valid" Lifetime Error true None,
        summary: "the credential is not valid yet",
        what: "A certificate's notBefore or a token's `nbf`/`iat` lies after `now`.",
        why: "The API server refuses it until then; usually a clock skew on the issuing machine or a credential issued for the future.",
        example: "users:\n- name: tomorrow\n  user:\n    client-certificate-data: ...   # notBefore 2026-01-02, now 2026-01-01",
        fix: "Check the clock of the machine that issued it, then reissue the credential."),
    rule!("KC003" "expiring-soon" Lifetime Warning true Some("30d"),
        summary: "the credential expires within the threshold",
        what: "The time left before expiry is at or below `threshold` (default `30d`); with `error-threshold` set, findings at or below it are errors.",
        why: "Renewing before expiry avoids an outage; kubeadm only renews certificates on control-plane upgrades, so clusters that are not upgraded yearly lose their admin access.",
        example: "rules:\n  expiring-soon: { threshold: 30d, error-threshold: 7d }",
        fix: "Renew the credential (kubeadm: `kubeadm certs renew all` on each control-plane node) and replace the copy in the kubeconfig."),
    rule!("KC004" "max-lifetime" Lifetime Warning false None,
        summary: "the credential's total validity is longer than the policy allows",
        what: "notAfter minus notBefore (or `exp` minus `iat`) is longer than `threshold`. Off unless a threshold is set.",
        why: "A long-lived credential stays useful to whoever copies it; a short total lifetime bounds the damage of a leak regardless of when it is checked.",
        example: "rules:\n  max-lifetime: { enabled: true, threshold: 90d }",
        fix: "Issue shorter-lived credentials (kubeadm: `--cert-validity-period` on newer releases; CSR API: `spec.expirationSeconds`), or use an exec plugin."),
    rule!("KC005" "max-remaining" Lifetime Error false None,
        summary: "the credential stays valid longer from now than the policy allows",
        what: "The credential is valid at `now` and stays valid for more than `threshold` (or never expires). Off unless a threshold is set; `strict` sets `24h`.",
        why: "This is the stolen-laptop question: how long would a copy of this file keep working? Anything above a day outlives the time it takes to notice a lost device.",
        example: "rules:\n  max-remaining: { enabled: true, threshold: 24h }",
        fix: "Replace long-lived credentials by an exec plugin whose tokens last minutes to hours (kubelogin, `aws eks get-token`, gke-gcloud-auth-plugin, `oc login`)."),
    rule!("KC006" "never-expires" Lifetime Error true None,
        summary: "the credential never expires",
        what: "A legacy service-account token or a JWT without `exp`, or a certificate whose notAfter is 99991231235959Z (RFC 5280: no well-defined expiration).",
        why: "It works until someone deletes its Secret or rotates the CA, which nobody remembers to do.",
        example: "users:\n- name: ci\n  user:\n    token: eyJhbGciOi...   # kubernetes.io/serviceaccount token without exp",
        fix: "Use bound tokens (`kubectl create token SA --duration=1h`) or the TokenRequest API, and delete the legacy token Secret."),
    rule!("KC007" "static-credential" Lifetime Error false None,
        summary: "a static credential where an exec plugin would give short-lived tokens",
        what: "A client certificate, a static bearer token or basic auth held for a person. Service-account tokens and node/component certificates (`system:node:*`, `system:kube-*`) are machine identities and are not reported.",
        why: "Static credentials are copied with the file and cannot be limited by sign-in policy, MFA or device checks; an exec plugin asks the identity provider each time.",
        example: "users:\n- name: clusterAdmin_rg_aks\n  user:\n    client-certificate-data: ...\n    token: 0123abcd...",
        fix: "Sign in through the platform's exec plugin (AKS: kubelogin; EKS: `aws eks get-token`; GKE: gke-gcloud-auth-plugin; other: an OIDC plugin such as kubectl oidc-login)."),
    rule!("KC008" "unknown-expiry" Lifetime Warning true None,
        summary: "a static token whose lifetime no one can tell from the file",
        what: "An opaque bearer token (not a JWT, EKS, OpenShift OAuth or bootstrap token) written inline in the kubeconfig (`token:`). Its expiry is not in the token or the file; the API server keeps it in a static token file, a Secret or an identity provider. Tokens read from `tokenFile` are not reported: the file can be rotated under the kubeconfig.",
        why: "Nobody holding the file can tell when it stops working, and usually it never does: the AKS local-admin token, `--token-auth-file` entries and hand-pasted API tokens work until someone removes them on the server side. A copy of the kubeconfig is a credential of unknown lifetime.",
        example: "users:\n- name: clusterAdmin_rg_aks\n  user:\n    token: 0123abcd...   # 64 hex characters, no expiry in it",
        fix: "Replace it by an exec plugin that mints short-lived tokens (AKS: kubelogin and `--disable-local-accounts`), or by a bound service-account token (`kubectl create token SA --duration=1h`); remove the static token on the server."),
    rule!("KC009" "max-exposure" Lifetime Error false None,
        summary: "someone holding this disk can get in for longer than the policy allows",
        what: "A context's exposure window as `kcred exposure` computes it (the kubeconfig's credentials plus the token caches linked to its user, refresh tokens counted with their assumed lifetimes, `--lifetime` overrides applied) ends more than `threshold` after `now`, never ends, or cannot be told (an unknown window fails it). Evaluated by `kcred exposure --policy`; `kcred check` reads no caches and does not run it. Off unless a threshold is set; `strict` sets `24h`.",
        why: "This is the stolen-laptop question for everything on the disk, not one credential: a 1-hour access token beside a 90-day refresh token lets a thief in for 90 days. A Conditional Access sign-in frequency or a shorter refresh-token lifetime is what bounds it; model it with `--lifetime`.",
        example: "rules:\n  max-exposure: { enabled: true, threshold: 24h }\n# kcred exposure --home /mnt/laptop --policy strict --fail-on error",
        fix: "Remove long-lived credentials and caches from the disk (`kubelogin remove-cache-dir`, `rm -r ~/.kube/cache`), use exec plugins whose sessions the identity provider bounds (Conditional Access sign-in frequency, short refresh-token lifetimes), and revoke what was exposed (`kcred exposure` lists how)."),
    rule!("KC101" "irrevocable-admin" Certificate Error true None,
        summary: "a client certificate in group system:masters",
        what: "The client certificate's subject has O=system:masters.",
        why: "system:masters bypasses RBAC and authorization webhooks; a client certificate cannot be revoked (Kubernetes has no CRL check), so a leaked one is cluster-admin until it expires or the cluster CA is rotated.",
        example: "users:\n- name: clusterAdmin_rg_aks\n  user:\n    client-certificate-data: ...   # CN=masterclient, O=system:masters",
        fix: "Keep break-glass certificates offline; give people RBAC-bound identities. AKS: disable local accounts and rotate certificates; kubeadm: use admin.conf (kubeadm:cluster-admins) and keep super-admin.conf offline."),
    rule!("KC102" "weak-key" Certificate Error true None,
        summary: "a weak key or signature algorithm",
        what: "The client certificate (or a certificate bundled with it) has an RSA or DSA key under 2048 bits, or an MD5 or SHA-1 signature.",
        why: "RSA-1024 and SHA-1 collisions are within reach of well-funded attackers; current Go and OpenSSL builds refuse SHA-1 signatures.",
        example: "users:\n- name: old\n  user:\n    client-certificate-data: ...   # RSA 1024, sha1WithRSAEncryption",
        fix: "Reissue the certificate with an RSA 2048+ or ECDSA P-256 key and a SHA-256 signature."),
    rule!("KC103" "cert-key-mismatch" Certificate Error true None,
        summary: "the client key does not belong to the certificate",
        what: "The private key's public part differs from the certificate's public key.",
        why: "The TLS handshake fails; usually a kubeconfig edited by hand or a renewal that replaced only one of the two.",
        example: "users:\n- name: broken\n  user:\n    client-certificate-data: ...   # cert for key A\n    client-key-data: ...           # key B",
        fix: "Put the key that was generated with the certificate's CSR beside it, or fetch the kubeconfig again."),
    rule!("KC104" "not-signed-by-cluster-ca" Certificate Warning false None,
        summary: "the client certificate is not signed by the cluster's CA",
        what: "The certificate (through any bundled intermediates) does not verify against the certificate-authority data of the clusters it is used with.",
        why: "Usually a kubeconfig pointing at the wrong cluster or a certificate left from before a CA rotation. Some distributions use a separate client CA, so this is not on by default.",
        example: "clusters:\n- name: prod\n  cluster:\n    certificate-authority-data: ...   # CA X\nusers:\n- name: admin\n  user:\n    client-certificate-data: ...       # issued by CA Y",
        fix: "Fetch a certificate issued by this cluster's CA, or fix the context that pairs them."),
    rule!("KC201" "basic-auth" Token Error true None,
        summary: "basic auth (username and password)",
        what: "A user entry with `username`/`password`.",
        why: "The API server removed basic-auth support in Kubernetes 1.19; a password in a kubeconfig is a reusable secret with no expiry.",
        example: "users:\n- name: admin\n  user:\n    username: admin\n    password: ...",
        fix: "Delete the entry and authenticate with an exec plugin or a short-lived token."),
    rule!("KC202" "token-and-basic-auth-together" Token Error true None,
        summary: "a user entry with both a token and basic auth",
        what: "One user entry sets `token`/`tokenFile` and `username`/`password`.",
        why: "client-go refuses such a kubeconfig (\"more than one authentication method found\"), and two secrets sit in one place.",
        example: "users:\n- name: both\n  user:\n    token: ...\n    username: admin\n    password: ...",
        fix: "Keep one authentication method per user entry."),
    rule!("KC301" "removed-auth-provider" Exec Error true None,
        summary: "an auth-provider that client-go no longer has",
        what: "`auth-provider` named `azure` or `gcp`.",
        why: "Both were removed from client-go in Kubernetes 1.26; current kubectl cannot use the entry, and its cached refresh token still sits on disk.",
        example: "users:\n- name: aks\n  user:\n    auth-provider:\n      name: azure",
        fix: "AKS: `kubelogin convert-kubeconfig`; GKE: install gke-gcloud-auth-plugin and run `gcloud container clusters get-credentials` again."),
    rule!("KC302" "refresh-token-on-disk" Exec Warning false None,
        summary: "an auth-provider refresh token stored in the kubeconfig",
        what: "An auth-provider config with `refresh-token`.",
        why: "A refresh token mints new access tokens until the identity provider revokes it, often for weeks or months, so the file is as good as a password.",
        example: "users:\n- name: oidc\n  user:\n    auth-provider:\n      name: oidc\n      config:\n        refresh-token: ...",
        fix: "Use an exec plugin that keeps tokens in the OS keyring or a private cache (kubectl oidc-login, kubelogin), and revoke the stored refresh token at the identity provider."),
    rule!("KC303" "exec-plugin-not-allowed" Exec Error false None,
        summary: "an exec plugin that is not on the allowlist",
        what: "An exec `command` whose path or basename matches no entry (glob) of the rule's `allow` list, like client-go's credential plugin allowlist. Off unless `allow` is set.",
        why: "A kubeconfig's exec block runs a program with your privileges whenever kubectl is used; a kubeconfig from elsewhere can run anything.",
        example: "rules:\n  exec-plugin-not-allowed:\n    enabled: true\n    allow: [kubelogin, aws, gke-gcloud-auth-plugin]",
        fix: "Use an approved plugin, or add the command to the allowlist after reviewing it."),
    rule!("KC304" "exec-interactive-mode" Exec Error true None,
        summary: "a v1 exec block without interactiveMode",
        what: "An exec block with `apiVersion: client.authentication.k8s.io/v1` and no `interactiveMode`.",
        why: "client-go requires `interactiveMode` for v1 exec plugins; kubectl rejects the kubeconfig.",
        example: "exec:\n  apiVersion: client.authentication.k8s.io/v1\n  command: kubelogin",
        fix: "Add `interactiveMode: IfAvailable` (or `Never` for CI)."),
    rule!("KC401" "insecure-skip-tls-verify" Cluster Warning true None,
        summary: "a cluster entry that does not verify the server's certificate",
        what: "A cluster with `insecure-skip-tls-verify: true`.",
        why: "Anyone on the network path can pose as the API server and collect the credentials kubectl sends, including bearer tokens.",
        example: "clusters:\n- name: dev\n  cluster:\n    server: https://10.0.0.1:6443\n    insecure-skip-tls-verify: true",
        fix: "Set `certificate-authority-data` to the cluster CA and remove `insecure-skip-tls-verify`."),
    rule!("KC402" "file-reference" Cluster Info false None,
        summary: "the kubeconfig points at local files",
        what: "`client-certificate`, `client-key`, `tokenFile` or `certificate-authority` names a file instead of carrying the data inline.",
        why: "Such a kubeconfig does not work elsewhere, and some GitOps tools (Argo CD, Flux) reject it; the referenced files have their own permissions to watch.",
        example: "users:\n- name: minikube\n  user:\n    client-certificate: /home/me/.minikube/profiles/minikube/client.crt",
        fix: "Inline the data (`kubectl config view --flatten --minify`) or keep the files with owner-only permissions."),
    rule!("KC501" "credential-in-repository" Repository Error true None,
        summary: "a usable credential is committed to a repository or tree",
        what: "`kcred scan` found a credential whose secret part is in the file: a token, a client certificate with its key, a password, an auth-provider token, or a kubeconfig carrying one, that has not expired.",
        why: "Whoever can read the repository, its forks, clones and history can use it until it expires or is revoked; deleting the file does not remove it from history.",
        example: "# deploy/kubeconfig.yaml committed with client-certificate-data and client-key-data",
        fix: "Revoke or rotate the credential first (it is in history), then remove it and keep secrets out of the repository (sealed secrets, external secret stores, exec plugins)."),
    rule!("KC901" "unreadable-input" Input Error true None,
        summary: "an input file could not be read",
        what: "A kubeconfig that is missing, not a regular file, too large or not UTF-8.",
        why: "A check that silently skips a file it cannot read reports clean when it is not.",
        example: "kcred check /nonexistent/config",
        fix: "Fix the path or the file; raise the size limit if the file is legitimately large."),
    rule!("KC902" "invalid-kubeconfig" Input Error true None,
        summary: "the kubeconfig is malformed",
        what: "Not valid YAML/JSON, not the shape of a kubeconfig, a name defined twice, or a context naming an undefined user or cluster.",
        why: "kubectl refuses or misreads the file; the credentials in it were not all checked.",
        example: "contexts:\n- name: prod\n  context: { cluster: prod, user: ghost }   # no user ghost",
        fix: "Repair the file (`kubectl config view` shows what kubectl understands)."),
    rule!("KC903" "undecodable-credential" Input Error true None,
        summary: "a credential that does not decode",
        what: "Data that is not base64, a certificate or key that does not parse, a JWT that does not decode, or a bad expiry timestamp.",
        why: "Its expiry cannot be told, and kubectl will fail with it.",
        example: "users:\n- name: broken\n  user:\n    client-certificate-data: not-base64!!",
        fix: "Fetch the credential again from its source."),
    rule!("KC904" "missing-referenced-file" Input Error true None,
        summary: "a file referenced by the kubeconfig is missing",
        what: "`client-certificate`, `client-key`, `tokenFile` or `certificate-authority` names a file that does not exist.",
        why: "kubectl fails for every context using the entry.",
        example: "users:\n- name: me\n  user:\n    tokenFile: /var/run/secrets/token   # absent",
        fix: "Restore the file or remove the stale entry."),
    rule!("KC905" "credential-unreadable" Input Error true None,
        summary: "something that looks like a credential could not be fully read or parsed",
        what: "`kcred scan` met a file or YAML/JSON document with credential markers in the part it could read (`kind: Config`, `users` with `clusters` or `contexts`, `client-certificate-data`, `client-key-data`, a PEM header, a JWT, an EKS `k8s-aws-v1.` token, an ExecCredential; or, for a file that could not be opened, a kubeconfig or key file name) and could not read or parse it: larger than `--max-file-size` (markers are looked for in its first and last 64 KiB), binary (a NUL byte), not UTF-8 text, past a YAML limit (depth, aliases, nodes), a duplicate key, a syntax error, or an I/O error.",
        why: "kubectl loads files kcred refuses (it has no size limit and keeps the last of two duplicate keys); a scan that skipped them silently would call a tree clean that holds a credential.",
        example: "# deploy/kubeconfig: kind: Config with an extensions block nested 100 levels deep\nkind: Config\nextensions: [[[[[[[[ ... ]]]]]]]]",
        fix: "Open the file: if it holds a credential, revoke it and remove the file; otherwise repair it (or raise `--max-file-size`), or suppress the finding for that file with a reason."),
    rule!("KC910" "expired-suppression" Input Warning true None,
        summary: "a policy suppression whose expiry date has passed",
        what: "A suppression with `expires` at or before `now`. It no longer suppresses anything.",
        why: "An exception is itself a lifetime policy: when it lapses the findings come back, and the stale entry should be renewed on purpose or deleted.",
        example: "suppressions:\n- rule: irrevocable-admin\n  users: [break-glass]\n  reason: offline break-glass account\n  expires: 2025-12-31",
        fix: "Fix the findings it covered, or renew the suppression with a new reason and date."),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docs_rules_md_is_current() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/rules.md");
        let want = rules_markdown();
        if std::env::var_os("KCRED_BLESS").is_some() {
            std::fs::write(&path, &want).unwrap();
        }
        let have = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            have == want,
            "docs/rules.md is out of date: run `KCRED_BLESS=1 cargo test -p kcred-core docs_rules_md_is_current`"
        );
    }

    #[test]
    fn codes_and_names_are_unique_sorted_and_in_their_family() {
        for pair in RULES.windows(2) {
            assert!(
                pair[0].code < pair[1].code,
                "{} {}",
                pair[0].code,
                pair[1].code
            );
        }
        let mut names: Vec<_> = RULES.iter().map(|r| r.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), RULES.len());
        for r in RULES {
            let hundreds = &r.code[2..3];
            let family = match hundreds {
                "0" => Family::Lifetime,
                "1" => Family::Certificate,
                "2" => Family::Token,
                "3" => Family::Exec,
                "4" => Family::Cluster,
                "5" => Family::Repository,
                _ => Family::Input,
            };
            assert_eq!(r.family, family, "{}", r.code);
            assert!(r.name.chars().all(|c| c.is_ascii_lowercase() || c == '-'));
            assert!(!r.what.is_empty() && !r.why.is_empty() && !r.fix.is_empty());
        }
    }
}
