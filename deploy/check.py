#!/usr/bin/env python3
"""Checks deploy/: the alerting rules (`promtool check rules`, then `promtool
test rules` on series that kcred itself wrote), the systemd units
(`systemd-analyze verify`) and the DaemonSet (a structural check that needs no
cluster: `kubectl apply --dry-run=client` asks a server for discovery).

    python3 deploy/check.py [path/to/kcred]

Says SKIPPED for a tool that is not installed; exits 1 on any failure.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
RULES = os.path.join(HERE, "prometheus", "kcred-alerts.yaml")
DEMO = os.path.join(ROOT, "examples", "kubeconfigs", "demo.yaml")
# The demo's kind-kind certificate ends at 1797897600 (2026-12-22T00:00:00Z).
KIND_END = 1797897600
DAY = 86400

try:
    import yaml  # PyYAML: on the machine with kubectl's tests; else skip the DaemonSet check
except ImportError:  # pragma: no cover
    yaml = None


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def kcred_series(kcred, now, instance):
    """The metric lines of `kcred check --format prometheus` at `now`, labelled with `instance`."""
    stamp = time_text(now)
    out = run([kcred, "check", "--kubeconfig", DEMO, "--policy", "strict", "--format", "prometheus", "--now", stamp], cwd=ROOT)
    if out.returncode not in (0, 1):
        sys.exit(f"kcred check failed ({out.returncode}): {out.stderr}")
    series = []
    for line in out.stdout.splitlines():
        if not line or line.startswith("#"):
            continue
        name_labels, value = line.rsplit(" ", 1)
        if "{" in name_labels:
            name_labels = name_labels[:-1] + f',instance="{instance}"}}'
        else:
            name_labels += f'{{instance="{instance}"}}'
        series.append({"series": name_labels, "values": f"{value}+0x60"})
    return series


def time_text(unix):
    import datetime

    return datetime.datetime.fromtimestamp(unix, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def labels_of(series):
    body = series[series.index("{") + 1 : -1]
    return dict(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', body))


def expected_alerts(rules, series, alert, matches):
    """What `alert` must produce: one alert per series `matches` accepts, with
    the rule's labels and its annotations rendered from the series' labels."""
    rule = next(r for g in rules["groups"] for r in g["rules"] if r["alert"] == alert)
    out = []
    for s in series:
        name = s["series"].split("{", 1)[0]
        labels = labels_of(s["series"])
        if not matches(name, labels, float(s["values"].split("+")[0])):
            continue
        exp_labels = dict(labels)
        exp_labels.update(rule.get("labels", {}))
        annotations = {
            k: re.sub(r"\{\{ \$labels\.(\w+) \}\}", lambda m: labels.get(m.group(1), ""), v)
            for k, v in rule.get("annotations", {}).items()
        }
        out.append({"exp_labels": exp_labels, "exp_annotations": annotations})
    return out


def check_rules(kcred):
    promtool = shutil.which("promtool")
    if not promtool or yaml is None:
        print("deploy rules SKIPPED: needs promtool (Debian package prometheus) and PyYAML")
        return True
    ok = run([promtool, "check", "rules", RULES])
    if ok.returncode != 0:
        print(ok.stdout, ok.stderr)
        return False
    with open(RULES) as f:
        rules = yaml.safe_load(f)
    # node-a: the kind certificate expires in 20 days; node-b: in 3 days.
    series = kcred_series(kcred, KIND_END - 20 * DAY, "node-a") + kcred_series(kcred, KIND_END - 3 * DAY, "node-b")
    # A node whose kcred stopped writing 4 hours ago (time() starts at 0 in tests).
    series.append({"series": 'kcred_check_timestamp_seconds{instance="node-stale"}', "values": "0+0x60"})
    remaining = lambda lo, hi: lambda n, l, v: n == "kcred_credential_remaining_seconds" and lo < v <= hi
    cases = {
        "KcredCredentialExpiringSoon": remaining(7 * DAY, 30 * DAY - 1),
        "KcredCredentialExpiringCritical": remaining(0, 7 * DAY),
        "KcredCredentialExpired": lambda n, l, v: n == "kcred_credential_expired" and v == 1,
        "KcredIrrevocableAdminCredential": lambda n, l, v: n == "kcred_policy_findings" and l.get("code") == "KC101",
        "KcredExposureOverPolicy": lambda n, l, v: n == "kcred_policy_findings" and l.get("code") == "KC009",
    }
    tests = []
    for alert, matches in cases.items():
        tests.append({"eval_time": "5m", "alertname": alert, "exp_alerts": expected_alerts(rules, series, alert, matches)})
    # Each case must be able to fail: the series kcred wrote hold a firing alert for the first four.
    for t in tests[:4]:
        assert t["exp_alerts"], f"kcred's series give no {t['alertname']}: the fixture or the metric names changed"
    stale = expected_alerts(rules, series, "KcredCheckStale", lambda n, l, v: l.get("instance") == "node-stale" and n == "kcred_check_timestamp_seconds")
    tests.append({"eval_time": "4h", "alertname": "KcredCheckStale", "exp_alerts": stale})
    doc = {
        "rule_files": [RULES],
        "evaluation_interval": "1m",
        "tests": [{"interval": "5m", "input_series": series, "alert_rule_test": tests}],
    }
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
        json.dump(doc, f)  # JSON is YAML
        path = f.name
    try:
        out = run([promtool, "test", "rules", path])
    finally:
        os.unlink(path)
    if out.returncode != 0:
        print(out.stdout, out.stderr)
        return False
    fired = sum(len(t["exp_alerts"]) for t in tests)
    print(f"deploy rules: promtool check rules and test rules passed ({len(series)} series from kcred, {fired} alerts expected)")
    return True


def check_systemd():
    analyze = shutil.which("systemd-analyze")
    if not analyze:
        print("deploy systemd SKIPPED: systemd-analyze not installed")
        return True
    units = [os.path.join(HERE, "systemd", u) for u in ("kcred.service", "kcred.timer")]
    out = run([analyze, "verify", *units])
    # verify also warns about the host's own units; only lines naming ours count.
    ours = [l for l in (out.stdout + out.stderr).splitlines() if "kcred." in l]
    if out.returncode != 0 or ours:
        print("\n".join(ours) or out.stderr)
        return False
    print("deploy systemd: systemd-analyze verify passed")
    return True


def check_daemonset():
    if yaml is None:
        print("deploy DaemonSet SKIPPED: PyYAML not installed")
        return True
    with open(os.path.join(HERE, "kubernetes", "daemonset.yaml")) as f:
        ds = yaml.safe_load(f)
    problems = []
    need = lambda cond, what: cond or problems.append(what)
    need(ds.get("apiVersion") == "apps/v1" and ds.get("kind") == "DaemonSet", "apps/v1 DaemonSet")
    spec = ds["spec"]
    need(spec["selector"]["matchLabels"].items() <= spec["template"]["metadata"]["labels"].items(), "selector matches the pod labels")
    pod = spec["template"]["spec"]
    need(pod.get("automountServiceAccountToken") is False, "no service-account token mounted")
    volumes = {v["name"]: v for v in pod["volumes"]}
    for c in pod["containers"]:
        sc = c["securityContext"]
        need(sc.get("readOnlyRootFilesystem") is True, "read-only root file system")
        need(sc.get("allowPrivilegeEscalation") is False, "no privilege escalation")
        need(sc["capabilities"]["drop"] == ["ALL"], "every capability dropped")
        need(not c.get("ports"), "no port opened")
        for m in c["volumeMounts"]:
            need(m["name"] in volumes, f"volume {m['name']} defined")
            if m["mountPath"] in ("/etc/kubernetes", "/var/lib/kubelet"):
                need(m.get("readOnly") is True, f"{m['mountPath']} mounted read-only")
        need("--format prometheus" in " ".join(c["args"]), "writes Prometheus text")
    if problems:
        print("deploy DaemonSet: missing:", "; ".join(problems))
        return False
    print("deploy DaemonSet: structure checked (hostPath read-only, no token, read-only root)")
    return True


def main():
    kcred = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "target", "debug", "kcred")
    results = [check_rules(kcred), check_systemd(), check_daemonset()]
    sys.exit(0 if all(results) else 1)


if __name__ == "__main__":
    main()
