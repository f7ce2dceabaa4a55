//! Remediation: what to do about a finding, in the words of the platform the
//! kubeconfig came from (the platform advice table), falling back to the
//! rule's generic fix.

use crate::credential::CredentialKind;
pub(crate) use crate::platform::Situation;
use crate::platform::{advice, fill_names, Platform};

use super::rules::Rule;

/// A rule's remediation hook: the situation it is about, and whether it is
/// about a credential's lifetime (then the credential's kind adds one).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Advice {
    situation: Option<Situation>,
    lifetime: bool,
}

impl Advice {
    /// The rule's own fix, whatever the platform (unless the credential is an
    /// auth-provider).
    pub(crate) const FIX: Advice = Advice {
        situation: None,
        lifetime: false,
    };
    /// About a credential's lifetime.
    pub(crate) const LIFETIME: Advice = Advice {
        situation: None,
        lifetime: true,
    };

    /// About a credential's lifetime, in `situation`.
    pub(crate) const fn lifetime(situation: Situation) -> Advice {
        Advice {
            situation: Some(situation),
            lifetime: true,
        }
    }

    /// About `situation` only.
    pub(crate) const fn only(situation: Situation) -> Advice {
        Advice {
            situation: Some(situation),
            lifetime: false,
        }
    }

    /// The situations of a finding on a credential of `kind`, most specific first.
    fn situations(self, kind: Option<CredentialKind>) -> Vec<Situation> {
        use CredentialKind as K;
        let lifetime = |s, k: bool| (self.lifetime && k).then_some(s);
        let mut all: Vec<Situation> = [
            self.situation,
            lifetime(
                Situation::StaticCredential,
                matches!(kind, Some(K::ClientCertificate | K::Token | K::BasicAuth)),
            ),
            (kind == Some(K::AuthProvider)).then_some(Situation::AuthProvider),
            lifetime(
                Situation::CertificateLifetime,
                kind == Some(K::ClientCertificate),
            ),
            lifetime(Situation::TokenLifetime, kind == Some(K::Token)),
        ]
        .into_iter()
        .flatten()
        .collect();
        all.sort_unstable();
        all
    }
}

/// The remediation for a finding of `rule` on a credential of `kind` from
/// `platform`: the platform's advice for the most specific situation it has
/// advice for, else the rule's fix. `service_account` is set for
/// service-account tokens, which are machine identities whatever the platform.
/// The names of `user` fill the advice's placeholders (AKS `-g {rg} -n
/// {name}`), shell-quoted, as the exposure report fills them.
pub(crate) fn remediation(
    rule: &Rule,
    platform: Platform,
    kind: Option<CredentialKind>,
    service_account: bool,
    user: Option<&str>,
) -> String {
    let platform_advice = (!service_account)
        .then(|| {
            rule.advice
                .situations(kind)
                .into_iter()
                .find_map(|s| advice(platform, s))
        })
        .flatten();
    fill_names(
        platform_advice.unwrap_or(rule.fix),
        user.unwrap_or_default(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::Code;

    #[test]
    fn platform_first_then_generic() {
        use CredentialKind as K;
        let cases: &[(Code, Platform, CredentialKind, &[&str])] = &[
            (
                Code::IrrevocableAdmin,
                Platform::Aks,
                K::ClientCertificate,
                &[
                    "az aks rotate-certs",
                    "--disable-local-accounts",
                    "Conditional Access",
                ],
            ),
            (
                Code::Expired,
                Platform::Kubeadm,
                K::ClientCertificate,
                &["kubeadm certs renew"],
            ),
            (
                Code::StaticCredential,
                Platform::Eks,
                K::Token,
                &["aws eks get-token"],
            ),
            (
                Code::RemovedAuthProvider,
                Platform::Gke,
                K::AuthProvider,
                &["gke-gcloud-auth-plugin"],
            ),
            (
                Code::MaxRemaining,
                Platform::OpenShift,
                K::Token,
                &["oc login"],
            ),
        ];
        for (code, platform, kind, words) in cases {
            let text = remediation(code.rule(), *platform, Some(*kind), false, None);
            assert!(words.iter().all(|w| text.contains(w)), "{code}: {text}");
        }
        let sa = remediation(
            Code::NeverExpires.rule(),
            Platform::Aks,
            Some(K::Token),
            true,
            None,
        );
        assert_eq!(sa, Code::NeverExpires.rule().fix);
        // The AKS names of the user, shell-quoted; placeholders without them.
        let admin = Code::StaticCredential.rule();
        let aks = |user| remediation(admin, Platform::Aks, Some(K::Token), false, user);
        let named = aks(Some("clusterAdmin_rg-prod_aks-prod"));
        assert!(
            named.contains("`az aks rotate-certs -g rg-prod -n aks-prod`"),
            "{named}"
        );
        let planted = aks(Some("clusterAdmin_rg;id_x y"));
        assert!(planted.contains("-g 'rg;id' -n 'x y'"), "{planted}");
        let unnamed = aks(Some("admin"));
        assert!(
            unnamed.contains("-g <resource-group> -n <cluster>"),
            "{unnamed}"
        );
        let weak = Code::WeakKey.rule();
        assert_eq!(
            remediation(weak, Platform::Aks, Some(K::ClientCertificate), false, None),
            weak.fix
        );
    }
}
