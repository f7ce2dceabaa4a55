//! Conformance of kcred's KUBECONFIG loading with kubectl 1.32.
//!
//! Each folder under `tests/data/merge/` (made by `make_cases.py` there) is one
//! case: kubeconfig files and a `case.json` with the KUBECONFIG list. For each,
//! `kubectl config view --raw -o json` runs with that KUBECONFIG (and HOME set
//! to an empty folder, so no personal config leaks in) and its output is
//! compared with kcred's merged config serialized to JSON, after normalizing
//! what legitimately differs (see `normalize_kubectl` and `normalize_kcred`).
//! `kubectl config view` does not resolve relative paths (it loads with
//! `DoNotResolvePaths`), so the test resolves kubectl's paths with client-go's
//! rule against the defining file's folder; `--flatten`, which does read the
//! files relative to the entry's origin, checks that kcred's resolved paths
//! point at the same files.
// This test runs kubectl, through kcred_tests::support::Run.

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::path::{Component, Path, PathBuf};
use std::process::Output;

use base64::Engine as _;
use kcred_core::{
    inventory_table, kubeconfig_paths, load_inventory, load_merged, Kubeconfig, Limits, Source,
    REDACTED,
};
use kcred_tests::support::{data, tool_available, Run, TempDir};
use serde_json::{json, Map, Value};

const MIN_CASES: usize = 22;

fn cases_root() -> PathBuf {
    data("merge")
}

/// The case folders, sorted.
fn case_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(cases_root())
        .expect("tests/data/merge exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("case.json").is_file())
        .collect();
    dirs.sort();
    dirs
}

fn kubectl_available() -> bool {
    tool_available("kubectl", &["version", "--client"])
}

#[test]
fn kubectl_conformance() {
    if !kubectl_available() {
        eprintln!(
            "\n\n==== SKIPPED: kubectl not found: KUBECONFIG conformance NOT checked ====\n\n"
        );
        return;
    }
    let dirs = case_dirs();
    assert!(dirs.len() >= MIN_CASES, "only {} cases", dirs.len());
    let mut failures = Vec::new();
    for dir in &dirs {
        let name = dir.file_name().unwrap_or_default().to_string_lossy();
        match run_case(dir) {
            Ok(()) => eprintln!("ok   {name}"),
            Err(msg) => {
                eprintln!("FAIL {name}");
                failures.push(format!("--- {name}: {msg}"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ from kubectl:\n{}",
        failures.len(),
        dirs.len(),
        failures.join("\n\n")
    );
}

/// The contexts kcred's inventory lists (JSON `contexts`, `current_context`,
/// the table's CURRENT/NAMESPACE section) are kubectl's: `get-contexts -o
/// name`, `get-contexts` and `view`'s `current-context`, for every case kubectl
/// reads.
#[test]
fn contexts_match_kubectl_get_contexts() {
    if !kubectl_available() {
        eprintln!("\n\n==== SKIPPED: kubectl not found: get-contexts NOT checked ====\n\n");
        return;
    }
    let dirs = case_dirs();
    let mut failures = Vec::new();
    let mut checked = 0;
    for dir in &dirs {
        let case = read_case(dir);
        let list = match (&case.compare_with, case.kubectl_ok) {
            (Some(list), _) => list.clone(),
            (None, true) => match &case.kubeconfig {
                Some(list) => list.clone(),
                None => continue,
            },
            (None, false) => continue,
        };
        let (home, _scratch) = scratch_home(&case);
        let env = env_value(&case, &list);
        let paths = kubeconfig_paths(Some(OsStr::new(&env)), Some(&home));
        let Ok(loaded) = load_inventory(&Source::Paths(paths), &Limits::default()) else {
            continue;
        };
        let inv = &loaded.inventory;
        let name = dir.file_name().unwrap_or_default().to_string_lossy();
        let text = |out: Output| String::from_utf8_lossy(&out.stdout).into_owned();
        // names (kubectl sorts them)
        let mut theirs: Vec<String> = text(kubectl_config(
            Some(&env),
            &home,
            &["get-contexts", "-o", "name"],
        ))
        .lines()
        .map(str::to_owned)
        .collect();
        theirs.sort();
        let mut ours: Vec<String> = inv.contexts.iter().map(|c| c.name.clone()).collect();
        ours.sort();
        if theirs != ours {
            failures.push(format!("{name}: names kubectl {theirs:?}, kcred {ours:?}"));
        }
        // current-context as written
        let view = kubectl_json(Some(&env), &home, false).unwrap_or_default();
        let current = view["current-context"].as_str().filter(|c| !c.is_empty());
        if current != inv.current_context.as_deref().filter(|c| !c.is_empty()) {
            failures.push(format!(
                "{name}: current-context kubectl {current:?}, kcred {:?}",
                inv.current_context
            ));
        }
        let dangling = current.is_some_and(|c| !theirs.iter().any(|n| n == c));
        let reported = inv.problems.iter().any(|p| {
            p.kind() == "missing-reference"
                && p.location().and_then(|l| l.field.as_deref()) == Some("current-context")
        });
        if dangling != reported {
            failures.push(format!(
                "{name}: dangling current-context {dangling}, reported {reported}"
            ));
        }
        // the table: kubectl's rows, whitespace-split, in any order
        let rows = |t: &str| -> Vec<String> {
            let mut rows: Vec<String> = t
                .lines()
                .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
                .collect();
            rows.sort();
            rows
        };
        let table = inventory_table(inv, kcred_tests::support::now(), false, None);
        let section = table
            .split("\n\n")
            .find(|s| s.starts_with("CURRENT"))
            .unwrap_or_default();
        let want = rows(&text(kubectl_config(Some(&env), &home, &["get-contexts"])));
        let got = rows(section);
        if !ours.is_empty() && want != got {
            failures.push(format!(
                "{name}: get-contexts table\nkubectl {want:?}\nkcred   {got:?}"
            ));
        }
        checked += 1;
    }
    assert!(checked >= MIN_CASES, "only {checked} cases checked");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

struct Case {
    dir: PathBuf,
    kubeconfig: Option<Vec<String>>,
    home: Option<String>,
    kubectl_ok: bool,
    problems: Vec<String>,
    compare_with: Option<Vec<String>>,
    flatten: bool,
}

fn strings(v: &Value) -> Option<Vec<String>> {
    v.as_array().map(|a| {
        a.iter()
            .map(|s| s.as_str().unwrap_or_default().to_string())
            .collect()
    })
}

fn read_case(dir: &Path) -> Case {
    let text = std::fs::read_to_string(dir.join("case.json")).expect("case.json readable");
    let meta: Value = serde_json::from_str(&text).expect("case.json is JSON");
    Case {
        dir: dir.to_path_buf(),
        kubeconfig: strings(&meta["kubeconfig"]),
        home: meta["home"].as_str().map(str::to_string),
        kubectl_ok: meta["kubectl"].as_str() != Some("error"),
        problems: strings(&meta["problems"]).unwrap_or_default(),
        compare_with: strings(&meta["compare_with"]),
        flatten: meta["flatten"].as_bool().unwrap_or(false),
    }
}

/// The KUBECONFIG value: entries made absolute against the case folder, empty ones kept.
fn env_value(case: &Case, entries: &[String]) -> String {
    let parts: Vec<String> = entries
        .iter()
        .map(|e| {
            if e.is_empty() {
                String::new()
            } else {
                case.dir.join(e).to_string_lossy().into_owned()
            }
        })
        .collect();
    parts.join(":")
}

/// The case's home folder, or an empty temporary one (kept alive by the second value).
fn scratch_home(case: &Case) -> (PathBuf, Option<TempDir>) {
    if let Some(home) = &case.home {
        return (case.dir.join(home), None);
    }
    let dir = TempDir::new("conformance-home");
    (dir.to_path_buf(), Some(dir))
}

fn kubectl(env: Option<&str>, home: &Path, flatten: bool) -> Output {
    let mut args = vec!["view", "--raw", "-o", "json"];
    if flatten {
        args.push("--flatten");
    }
    kubectl_config(env, home, &args)
}

/// `kubectl config ARGS` with that KUBECONFIG and HOME, nothing else of ours.
fn kubectl_config(env: Option<&str>, home: &Path, args: &[&str]) -> Output {
    let mut cmd = Run::new("kubectl").arg("config").args(args);
    cmd = cmd.env_clear().env("HOME", home).current_dir(home);
    if let Some(path) = std::env::var_os("PATH") {
        cmd = cmd.env("PATH", path);
    }
    if let Some(env) = env {
        cmd = cmd.env("KUBECONFIG", env);
    }
    cmd.try_output().expect("kubectl runs")
}

fn kubectl_json(env: Option<&str>, home: &Path, flatten: bool) -> Result<Value, String> {
    let out = kubectl(env, home, flatten);
    if !out.status.success() {
        return Err(format!(
            "kubectl failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    serde_json::from_slice(&out.stdout).map_err(|e| format!("kubectl output is not JSON: {e}"))
}

fn run_case(dir: &Path) -> Result<(), String> {
    let case = read_case(dir);
    let (home, _scratch) = scratch_home(&case);
    let env = case.kubeconfig.as_ref().map(|e| env_value(&case, e));

    // kcred
    let paths = kubeconfig_paths(env.as_deref().map(OsStr::new), Some(&home));
    let loaded = load_merged(&paths, &Limits::default());
    let kinds: Vec<&str> = loaded.problems.iter().map(|p| p.kind()).collect();
    if kinds != case.problems {
        return Err(format!(
            "kcred problems {kinds:?}, expected {:?}: {:?}",
            case.problems, loaded.problems
        ));
    }

    // kubectl on the same list: accepts or refuses as recorded.
    let out = kubectl(env.as_deref(), &home, false);
    if out.status.success() != case.kubectl_ok {
        return Err(format!(
            "kubectl exit {:?}, case expects {}: {}",
            out.status.code(),
            if case.kubectl_ok { "ok" } else { "error" },
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let compare_env = match &case.compare_with {
        Some(list) => Some(env_value(&case, list)),
        None if case.kubectl_ok => env.clone(),
        None => return Ok(()),
    };
    let theirs = kubectl_json(compare_env.as_deref(), &home, false)?;
    let want = normalize_kubectl(&theirs, &loaded.config);
    let got = normalize_kcred(&loaded.config);
    if want != got {
        return Err(format!(
            "merged config differs\nkubectl (normalized): {}\nkcred   (normalized): {}",
            pretty(&want),
            pretty(&got)
        ));
    }
    if case.flatten {
        let flat = kubectl_json(compare_env.as_deref(), &home, true)?;
        check_flatten(&flat, &loaded.config)?;
    }
    Ok(())
}

fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_default()
}

/// Go's `filepath.Clean` for absolute paths.
fn clean(path: &Path) -> PathBuf {
    let mut out = PathBuf::from("/");
    for comp in path.components() {
        match comp {
            Component::Normal(c) => out.push(c),
            Component::ParentDir => {
                out.pop();
            }
            _ => {}
        }
    }
    out
}

/// client-go's `ResolvePaths` for one reference, against `dir`.
fn resolve(value: &mut Value, dir: &Path) {
    if let Some(s) = value.as_str() {
        if !s.is_empty() && !s.starts_with('/') {
            *value = json!(clean(&dir.join(s)).to_string_lossy());
        }
    }
}

/// The folder an entry's paths resolve against: that of the file kcred says defined it.
fn origin_dir(origin_file: Option<&Path>) -> PathBuf {
    origin_file
        .and_then(Path::parent)
        .map(clean)
        .unwrap_or_else(|| PathBuf::from("/"))
}

fn by_name(list: &Value) -> Map<String, Value> {
    let mut out = Map::new();
    for item in list.as_array().into_iter().flatten() {
        let name = item["name"].as_str().unwrap_or_default().to_string();
        out.insert(name, item.clone());
    }
    out
}

/// kubectl's output brought to what kcred can match:
/// - secret fields replaced by the redaction marker (kcred never prints them);
/// - relative paths resolved (kubectl's `config view` leaves them as written);
/// - exec defaults that client-go adds but the file did not say, evened out by
///   `normalize_exec` on both sides.
fn normalize_kubectl(v: &Value, ours: &Kubeconfig) -> Value {
    let redact = |obj: &mut Value, key: &str| {
        if obj.get(key).is_some() {
            obj[key] = json!(REDACTED);
        }
    };
    let mut clusters = by_name(&v["clusters"]);
    for (name, entry) in clusters.iter_mut() {
        let dir = origin_dir(ours.cluster(name).map(|c| c.origin.file.as_path()));
        if let Some(ca) = entry["cluster"].get_mut("certificate-authority") {
            resolve(ca, &dir);
        }
    }
    let mut users = by_name(&v["users"]);
    for (name, entry) in users.iter_mut() {
        let dir = origin_dir(ours.user(name).map(|u| u.origin.file.as_path()));
        let user = &mut entry["user"];
        for key in ["token", "password", "client-key-data"] {
            redact(user, key);
        }
        for key in ["client-certificate", "client-key", "tokenFile"] {
            if let Some(p) = user.get_mut(key) {
                resolve(p, &dir);
            }
        }
        if let Some(Value::Object(config)) = user.pointer_mut("/auth-provider/config") {
            for value in config.values_mut() {
                *value = json!(REDACTED);
            }
        }
        if let Some(exec) = user.get_mut("exec") {
            if exec["command"].as_str().is_some_and(|c| c.contains('/')) {
                resolve(&mut exec["command"], &dir);
            }
            if let Some(Value::Array(env)) = exec.get_mut("env") {
                for var in env {
                    redact(var, "value");
                }
            }
        }
    }
    let contexts = by_name(&v["contexts"]);
    shape(
        clusters,
        users,
        contexts,
        v["current-context"].clone(),
        v["preferences"].clone(),
        &v["extensions"],
    )
}

/// kcred's merged config as JSON, without what kubectl cannot show: entry
/// origins, unknown keys (kubectl's decoder drops them; kcred keeps them in
/// `other`, which the unit tests check), and empty strings (client-go's
/// `omitempty` makes `""` and absent the same; kcred keeps the difference).
fn normalize_kcred(config: &Kubeconfig) -> Value {
    let mut c = config.clone();
    c.extras.other.clear();
    for e in &mut c.clusters {
        e.cluster.extras.other.clear();
    }
    for e in &mut c.users {
        e.user.extras.other.clear();
        if let Some(exec) = e.user.exec.as_mut() {
            exec.other.clear();
        }
    }
    for e in &mut c.contexts {
        e.context.extras.other.clear();
    }
    let v = serde_json::to_value(&c).expect("kcred serializes");
    let strip = |list: &Value, drop_empty: bool| {
        let mut m = by_name(list);
        let listed = list.as_array().map_or(0, Vec::len);
        if listed != m.len() {
            // A merged config must never hold a name twice.
            m.insert("<duplicate names in kcred's list>".into(), json!(listed));
        }
        for entry in m.values_mut() {
            if let Value::Object(o) = entry {
                o.remove("origin");
                for body in o.values_mut().filter(|_| drop_empty) {
                    if let Value::Object(fields) = body {
                        fields.retain(|_, v| v.as_str() != Some(""));
                    }
                }
            }
        }
        m
    };
    shape(
        strip(&v["clusters"], true),
        strip(&v["users"], true),
        strip(&v["contexts"], false),
        v.get("current-context").cloned().unwrap_or(json!("")),
        v["preferences"].clone(),
        &v["extensions"],
    )
}

fn shape(
    clusters: Map<String, Value>,
    users: Map<String, Value>,
    contexts: Map<String, Value>,
    current: Value,
    preferences: Value,
    extensions: &Value,
) -> Value {
    let mut users = users;
    for entry in users.values_mut() {
        if let Some(exec) = entry.pointer_mut("/user/exec") {
            normalize_exec(exec);
        }
    }
    let preferences = if preferences.is_null() {
        json!({})
    } else {
        preferences
    };
    let mut v = json!({
        "clusters": clusters,
        "users": users,
        "contexts": contexts,
        "current-context": if current.is_null() { json!("") } else { current },
        "preferences": preferences,
        "extensions": by_name(extensions),
    });
    sort_extensions(&mut v);
    v
}

/// client-go writes `args: null`, `env: null` and `provideClusterInfo: false`
/// for absent values and defaults `interactiveMode` to `IfAvailable` for the
/// v1alpha1/v1beta1 APIs; kcred keeps what the file says.
fn normalize_exec(exec: &mut Value) {
    let Value::Object(o) = exec else { return };
    for key in ["args", "env"] {
        if o.get(key)
            .is_some_and(|v| v.is_null() || v.as_array().is_some_and(Vec::is_empty))
        {
            o.remove(key);
        }
    }
    if o.get("provideClusterInfo") == Some(&json!(false)) {
        o.remove("provideClusterInfo");
    }
    let old_api = o
        .get("apiVersion")
        .and_then(Value::as_str)
        .is_some_and(|a| {
            a == "client.authentication.k8s.io/v1alpha1"
                || a == "client.authentication.k8s.io/v1beta1"
        });
    if old_api && !o.contains_key("interactiveMode") {
        o.insert("interactiveMode".into(), json!("IfAvailable"));
    }
}

/// Nested `extensions` lists compared in name order (kubectl sorts them).
fn sort_extensions(v: &mut Value) {
    match v {
        Value::Object(o) => {
            for (key, value) in o.iter_mut() {
                if key == "extensions" {
                    if let Value::Array(list) = value {
                        list.sort_by_key(|e| e["name"].as_str().unwrap_or_default().to_string());
                    }
                }
                sort_extensions(value);
            }
        }
        Value::Array(a) => a.iter_mut().for_each(sort_extensions),
        _ => {}
    }
}

/// `--flatten` inlines each referenced file, read relative to the entry's
/// origin: the file at kcred's resolved path must hold exactly those bytes.
fn check_flatten(flat: &Value, ours: &Kubeconfig) -> Result<(), String> {
    let clusters = by_name(&flat["clusters"]);
    let users = by_name(&flat["users"]);
    let mut pairs: BTreeMap<String, (String, Value)> = BTreeMap::new();
    for c in &ours.clusters {
        if let Some(p) = c.cluster.certificate_authority.as_deref() {
            let theirs = clusters
                .get(&c.name)
                .map(|e| e["cluster"]["certificate-authority-data"].clone());
            pairs.insert(
                format!("clusters[{}].certificate-authority", c.name),
                (p.into(), theirs.unwrap_or_default()),
            );
        }
    }
    for u in &ours.users {
        for (field, data, path) in [
            (
                "client-certificate",
                "client-certificate-data",
                &u.user.client_certificate,
            ),
            ("client-key", "client-key-data", &u.user.client_key),
        ] {
            if let Some(p) = path.as_deref() {
                let theirs = users.get(&u.name).map(|e| e["user"][data].clone());
                pairs.insert(
                    format!("users[{}].{field}", u.name),
                    (p.into(), theirs.unwrap_or_default()),
                );
            }
        }
    }
    if pairs.is_empty() {
        return Err("flatten case checked no path".into());
    }
    for (what, (path, theirs)) in pairs {
        let bytes = std::fs::read(&path).map_err(|e| format!("{what}: kcred path {path}: {e}"))?;
        let mine = base64::engine::general_purpose::STANDARD.encode(bytes);
        if theirs != json!(mine) {
            return Err(format!(
                "{what}: kcred resolved {path}, kubectl --flatten inlined other bytes"
            ));
        }
    }
    Ok(())
}
