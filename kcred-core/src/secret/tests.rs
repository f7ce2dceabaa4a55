//! Every rendering and every redaction form, value by value.

use super::*;

#[test]
fn no_rendering_shows_the_value() {
    let s = Secret::new("CANARY-secret-1");
    assert!(!format!("{s:?}").contains("CANARY"));
    assert!(!format!("{s}").contains("CANARY"));
    assert_eq!(serde_json::to_string(&s).unwrap(), "\"<redacted>\"");
    let back: Secret = serde_json::from_str("\"CANARY-secret-1\"").unwrap();
    assert_eq!(back.expose(), "CANARY-secret-1");
}

fn strings(words: &[&str]) -> Vec<String> {
    words.iter().map(|w| (*w).to_owned()).collect()
}

/// Secret values in several shapes (a leading dash, base64 padding, slashes).
const VALUES: &[&str] = &[
    "CANARY-v1",
    "-CANARYdash",
    "CANARY/b64+x==",
    "'CANARY quoted'",
];

/// Flag names that name a secret, as kubelogin, oidc-login, aws and others spell them.
const SECRET_FLAGS: &[&str] = &[
    "password",
    "Password",
    "passwd",
    "pass",
    "pwd",
    "secret",
    "client-secret",
    "client_secret",
    "oidc-client-secret",
    "client-certificate-password",
    "token",
    "access-token",
    "id-token",
    "refresh-token",
    "key",
    "api-key",
    "apikey",
    "private-key",
    "privatekey",
    "auth",
    "basic-auth",
    "bearer",
    "cookie",
    "session",
    "credential",
    "credentials",
    "vault-secret-id",
];

fn assert_hidden(what: &str, shown: &str) {
    assert!(
        !shown.contains("CANARY") && !shown.contains("ARY"),
        "{what}: {shown}"
    );
}

#[test]
fn every_secret_flag_form_is_redacted() {
    let mut checked = 0;
    for name in SECRET_FLAGS {
        assert!(is_secret_name(name), "{name}");
        for prefix in ["--", "-", "/"] {
            let flag = format!("{prefix}{name}");
            for value in VALUES {
                let forms: Vec<Vec<String>> = vec![
                    vec![flag.clone(), (*value).to_owned()],
                    vec![format!("{flag}={value}")],
                    vec![format!("{flag}:{value}")],
                    vec![format!("{flag} {value}")],
                    vec![format!("--login spn {flag} {value} --tenant-id t")],
                    vec![format!("--login spn {flag}"), (*value).to_owned()],
                    vec![
                        "get-token".into(),
                        flag.clone(),
                        (*value).to_owned(),
                        "--login".into(),
                        "spn".into(),
                    ],
                ];
                for args in forms {
                    let r = redact_exec("kubelogin", &args);
                    let shown = r.args.join(" ");
                    assert_hidden(&format!("{args:?}"), &shown);
                    assert!(shown.contains(flag.as_str()), "{args:?}: {shown}");
                    assert!(r.holds_secret, "{args:?}");
                    if args.iter().any(|a| a == "--login") {
                        assert!(shown.contains("--login spn"), "{args:?}: {shown}");
                    }
                    checked += 1;
                }
                // The same flag glued into the command string.
                for command in [
                    format!("kubelogin {flag}={value}"),
                    format!("kubelogin {flag} {value}"),
                    format!("/usr/bin/env {flag} {value} kubelogin"),
                ] {
                    let shown = redact_command(&command);
                    assert_hidden(&command, &shown);
                    assert!(shown.contains("kubelogin"), "{command}: {shown}");
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 2_000, "{checked}");
}

#[test]
fn short_p_in_every_form_is_redacted() {
    for args in [
        vec!["-p", "CANARY-1"],
        vec!["-P", "CANARY-1"],
        vec!["/p", "CANARY-1"],
        vec!["-pCANARY-1"],
        vec!["-PCANARY1"],
        vec!["-p=CANARY-1"],
        vec!["-p:CANARY-1"],
        vec!["-u root -pCANARY-1"],
    ] {
        let r = redact_exec("mysql-auth", &strings(&args));
        assert_hidden(&format!("{args:?}"), &r.args.join(" "));
        assert!(r.holds_secret, "{args:?}");
    }
    // A Go-style long flag starting with p is a flag, not `-p` + value.
    let args = strings(&["-profile", "prod", "-port", "443", "-project", "x"]);
    assert_eq!(redact_args("tool", &args), args);
}

#[test]
fn bearer_headers_and_secret_assignments_in_flag_values_are_redacted() {
    for args in [
        vec!["--header=Authorization: Bearer V-SECRET"],
        vec!["--header", "Authorization: Bearer V-SECRET"],
        vec!["-H", "Authorization:", "bearer", "V-SECRET"],
        vec!["--header", "Authorization: Basic V-SECRET"],
        vec!["--kv=token=V-SECRET"],
        vec!["--set:client_secret=V-SECRET"],
    ] {
        let args: Vec<String> = args.into_iter().map(String::from).collect();
        let r = redact_exec("plugin", &args);
        assert!(
            !r.args.concat().contains("V-SECRET"),
            "{args:?} -> {:?}",
            r.args
        );
        let c = redact_command(&format!("plugin {}", args.join(" ")));
        assert!(!c.contains("V-SECRET"), "{c}");
    }
    let plain = ["--set=region=eu", "bearer"].map(String::from);
    assert_eq!(redact_args("plugin", &plain), plain);
}

#[test]
fn secret_named_assignments_lose_their_values() {
    for name in [
        "AWS_SECRET_ACCESS_KEY",
        "AAD_SERVICE_PRINCIPAL_CLIENT_SECRET",
        "TOKEN",
        "GITHUB_TOKEN",
        "DB_PASSWORD",
        "API_KEY",
    ] {
        let args = strings(&[&format!("{name}=CANARY-x"), "aws", "eks", "get-token"]);
        let r = redact_exec("env", &args);
        assert_hidden(name, &r.args.join(" "));
        assert_eq!(r.args[0], format!("{name}={REDACTED}"));
        assert!(r.holds_secret);
        // In a command string every leading assignment is redacted.
        for shown in [
            redact_command(&format!("{name}=CANARY-x kubelogin get-token")),
            redact_command(&format!("SETTING=CANARY-x {name}=CANARY-y kubelogin")),
        ] {
            assert_hidden(name, &shown);
            assert!(
                shown.ends_with("kubelogin get-token") || shown.ends_with("kubelogin"),
                "{shown}"
            );
        }
    }
    // Not secret-named: kept in args (label selectors, settings).
    let args = strings(&["app=web", "AWS_REGION=eu-west-1", "AWS_PROFILE=prod"]);
    assert_eq!(redact_args("env", &args), args);
}

/// Shells and interpreters with their script flags.
const SCRIPTS: &[(&str, &str)] = &[
    ("sh", "-c"),
    ("/bin/sh", "-c"),
    ("bash", "-c"),
    ("/usr/bin/bash", "-ec"),
    ("bash", "-lc"),
    ("zsh", "-c"),
    ("dash", "-c"),
    ("ksh", "-c"),
    ("ash", "-c"),
    ("fish", "--command"),
    ("pwsh", "-Command"),
    ("pwsh", "-c"),
    ("pwsh.exe", "-command"),
    ("powershell.exe", "-EncodedCommand"),
    ("powershell", "-ec"),
    ("cmd", "/c"),
    ("cmd.exe", "/C"),
    ("C:\\Windows\\System32\\cmd.exe", "/k"),
    ("python3", "-c"),
    ("python", "-c"),
    ("node", "-e"),
    ("perl", "-e"),
    ("ruby", "-e"),
];

#[test]
fn scripts_of_shells_and_interpreters_are_redacted_whole() {
    let scripts = [
        "echo CANARY-script",
        "curl -H 'Authorization: Bearer CANARY-h' https://x",
        "kubelogin get-token --client-secret CANARY-s",
        "printf %s \"$1\"",
    ];
    for (shell, flag) in SCRIPTS {
        for script in scripts {
            let secret_inside = script.contains("client-secret");
            let positional = ["_", "CANARY-arg"];
            // The shell as the command.
            let mut args = strings(&[flag, script]);
            args.extend(strings(&positional));
            let r = redact_exec(shell, &args);
            assert_eq!(r.args[0], *flag, "{shell} {args:?}");
            assert!(
                r.args[1..].iter().all(|a| a == REDACTED),
                "{shell}: {:?}",
                r.args
            );
            assert_eq!(r.holds_secret, secret_inside, "{shell} {script}");
            // The shell in the args (`env sh -c ...`, `/usr/bin/env bash -c ...`).
            let mut args = strings(&[shell, flag, script]);
            args.extend(strings(&positional));
            let r = redact_exec("/usr/bin/env", &args);
            assert_hidden(&format!("env {shell}"), &r.args.join(" "));
            assert_eq!(r.args[..2], [shell.to_string(), flag.to_string()]);
            // Shell, flag and script in one arg, and in the command string.
            let one = format!("{shell} {flag} '{script}'");
            let r = redact_exec("env", std::slice::from_ref(&one));
            assert_hidden(&one, &r.args.join(" "));
            assert_eq!(r.args[0], format!("{shell} {flag} {REDACTED}"));
            assert_eq!(r.holds_secret, secret_inside, "{one}");
            let shown = redact_command(&one);
            assert_eq!(shown, format!("{shell} {flag} {REDACTED}"));
            let r = redact_exec(&format!("{shell} {flag}"), &strings(&[script]));
            assert_eq!(r.args, [REDACTED], "{shell} {flag}");
        }
    }
    // Shell options before `-c` stay.
    let r = redact_args(
        "bash",
        &strings(&["--norc", "-o", "pipefail", "-c", "CANARY"]),
    );
    assert_eq!(r, ["--norc", "-o", "pipefail", "-c", REDACTED]);
    // A script file (no `-c`) is a path: kept.
    let args = strings(&["/opt/get-token.sh", "--cluster-name", "x"]);
    assert_eq!(redact_args("bash", &args), args);
}

#[test]
fn multi_byte_characters_around_schemes_never_split_a_character() {
    // Found by the token fuzzer: a 2-byte character right before `:/`.
    for c in ['\u{190}', 'é', '日', '\u{1f600}', '\u{202e}'] {
        for text in [
            format!("{c}:/x"),
            format!("a{c}https:/u:CANARY@h/?q=CANARY"),
            format!("{c}{c}://u:CANARY@h"),
            format!("x{c}:/{c}://{c}@{c}?{c}#{c}"),
        ] {
            let out = redact_url(&text);
            assert!(!out.contains("CANARY"), "{text:?} -> {out:?}");
            let _ = redact_command(&text);
            let _ = redact_args(&text, std::slice::from_ref(&text));
        }
    }
}

#[test]
fn urls_lose_userinfo_query_and_fragment_in_every_combination() {
    let mut checked = 0;
    for scheme in ["https://", "http://", "socks5://", ""] {
        for userinfo in [
            "",
            "admin:CANARY@",
            "CANARY@",
            "u:CAN/ARY@",
            "u:CAN@ARY@",
            "u%40x:CANARY@",
        ] {
            for host in ["k8s.example", "k8s.example:6443", "[::1]:6443", "10.0.0.1"] {
                for path in ["", "/", "/api/v1"] {
                    for query in ["", "?token=CANARY", "?a=1&t=CANARY"] {
                        for fragment in ["", "#CANARY"] {
                            let url = format!("{scheme}{userinfo}{host}{path}{query}{fragment}");
                            let shown = redact_url(&url);
                            assert_hidden(&url, &shown);
                            let clean =
                                userinfo.is_empty() && query.is_empty() && fragment.is_empty();
                            if clean {
                                assert_eq!(shown, url);
                            } else {
                                let mut want = scheme.to_string();
                                if !userinfo.is_empty() {
                                    want.push_str("<redacted>@");
                                }
                                want.push_str(host);
                                want.push_str(path);
                                if !query.is_empty() {
                                    want.push_str("?<redacted>");
                                }
                                if !fragment.is_empty() {
                                    want.push_str("#<redacted>");
                                }
                                assert_eq!(shown, want, "{url}");
                            }
                            if !scheme.is_empty() {
                                // As a flag's value, a bare arg and in a command.
                                for args in [
                                    vec![format!("--oidc-issuer-url={url}")],
                                    vec!["--server".to_owned(), url.clone()],
                                    vec![url.clone()],
                                ] {
                                    let r = redact_exec("kubectl", &args);
                                    let joined = r.args.join(" ");
                                    assert_hidden(&url, &joined);
                                    assert!(joined.contains(host), "{joined}");
                                    assert_eq!(r.holds_secret, !clean, "{url}");
                                }
                                assert_hidden(&url, &redact_command(&format!("{url}/plugin")));
                            }
                            checked += 1;
                        }
                    }
                }
            }
        }
    }
    assert!(checked > 1_000);
    // Nested URLs, broken authorities, empty parts.
    for (url, want) in [
        (
            "https://proxy/https://u:CANARY@h/x",
            "https://proxy/https://<redacted>@h/x",
        ),
        ("https://user:CANARY/x", "https://<redacted>/x"),
        ("https://h/?", "https://h/?"),
        // A relative command resolved by a path join, which collapses `//`.
        (
            "/tmp/d/https:/u:CANARY@h/bin/x?sig=CANARY",
            "/tmp/d/https:/<redacted>@h/bin/x?<redacted>",
        ),
        (
            "C:/Program Files/kubelogin.exe",
            "C:/Program Files/kubelogin.exe",
        ),
        ("https://h/#", "https://h/#"),
        ("", ""),
    ] {
        assert_eq!(redact_url(url), want, "{url}");
    }
}

#[test]
fn arguments_that_are_not_secrets_stay() {
    let pairs: &[(&str, &str)] = &[
        ("--login", "azurecli"),
        ("-l", "spn"),
        ("--server-id", "6dae42f8-4368-4678-94ff-3960e28e3630"),
        ("--client-id", "80faf920-1908-4b52-b5ef-a8e7bedfc67a"),
        ("--tenant-id", "408aa735-c096-4138-9246-cd19cd965624"),
        ("-t", "408aa735"),
        ("--environment", "AzurePublicCloud"),
        ("--cluster-name", "prod"),
        ("--cluster-id", "prod"),
        ("--region", "eu-west-1"),
        ("--role-arn", "arn:aws:iam::123456789012:role/k8s"),
        ("--profile", "prod"),
        ("--output", "json"),
        ("-i", "c1"),
        ("-r", "arn:aws:iam::1:role/x"),
        ("--oidc-issuer-url", "https://issuer.example/realms/a"),
        ("--oidc-client-id", "kube"),
        ("--grant-type", "authcode"),
        ("--token-cache-dir", "/home/u/.kube/cache/oidc-login"),
        ("--token-cache-storage", "disk"),
        (
            "--federated-token-file",
            "/var/run/secrets/azure/tokens/azure-identity-token",
        ),
        ("--authority-host", "https://login.microsoftonline.com/"),
        ("--auth-mode", "login"),
        ("--secret-name", "registry"),
        ("--username", "alice"),
        ("--kubeconfig", "/home/u/.kube/config"),
        ("--authentication-timeout-sec", "180"),
        ("--listen-address", "127.0.0.1:8000"),
    ];
    let mut all = strings(&["get-token", "oidc-login", "eks", "--token-only"]);
    for (flag, value) in pairs {
        for args in [
            strings(&[flag, value]),
            vec![format!("{flag}={value}")],
            strings(&["get-token", flag, value, "--pop-enabled"]),
        ] {
            let r = redact_exec("kubelogin", &args);
            assert_eq!(r.args, args);
            assert!(!r.holds_secret, "{args:?}");
        }
        all.extend(strings(&[flag, value]));
    }
    for command in [
        "kubelogin",
        "aws",
        "kubectl",
        "aws-iam-authenticator",
        "/usr/local/bin/kubelogin",
    ] {
        assert_eq!(redact_args(command, &all), all);
        assert_eq!(redact_command(command), command);
    }
    for command in [
        "C:\\Program Files\\Azure\\kubelogin.exe",
        "./bin/get-token",
        "/opt/with=equals/plugin",
        "C:/Program Files/Azure/kubelogin.exe",
        "/home/u/node_modules/@scope/plugin/bin/get-token",
        "gke-gcloud-auth-plugin",
    ] {
        assert_eq!(redact_command(command), command);
    }
    for name in [
        "--server-id",
        "--token-file",
        "--token-cache-dir",
        "--login",
        "--auth-mode",
        "AWS_PROFILE",
        "AAD_LOGIN_METHOD",
        "--oidc-issuer-url",
        "-i",
        "--role",
    ] {
        assert!(!is_secret_name(name), "{name}");
    }
}

#[test]
fn cluster_debug_hides_url_credentials() {
    let cluster = crate::kubeconfig::Cluster {
        server: Some("https://admin:CANARY-s@k8s.example:6443/?token=CANARY-q".into()),
        proxy_url: Some("http://proxy:CANARY-p@proxy.example:3128".into()),
        ..Default::default()
    };
    let shown = format!("{cluster:?} {cluster:#?}");
    assert_hidden("cluster", &shown);
    assert!(
        shown.contains("k8s.example:6443") && shown.contains("proxy.example:3128"),
        "{shown}"
    );
}
