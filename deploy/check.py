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
PKI = os.path.join(ROOT, "tests", "data", "pki", "kubeadm")
# The fixture's apiserver certificate ends at 1768957323 (2026-01-21); 20 days
# before it, apiserver-kubelet-client has 5 days left and etcd's peer
# certificate has expired.
APISERVER_END = 1768957323
# The demo's kind-kind certificate ends at 1797897600 (2026-12-22T00:00:00Z).
KIND_END = 1797897600
DAY = 86400

try:
    import yaml  # PyYAML: on the machine with kubectl's tests; else skip the DaemonSet check
except ImportError:  # pragma: no cover
    yaml = None


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def kcred_series(kcred, now, instance, args=None, codes=(0, 1)):
    """The metric lines kcred writes with `--format prometheus --output FILE` at
    `now` (by default `kcred check` of the demo kubeconfig), each labelled with
    `instance` as Prometheus would."""
    args = args or ["check", "--kubeconfig", DEMO, "--policy", "strict"]
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "kcred.prom")
        out = run([kcred, *args, "--format", "prometheus", "--output", path, "--now", time_text(now)], cwd=ROOT)
        if out.returncode not in codes:
            sys.exit(f"kcred {args} failed ({out.returncode}): {out.stderr}")
        if out.stdout:
            sys.exit(f"kcred {args} --output wrote to stdout too: {out.stdout[:200]}")
        with open(path) as f:
            text = f.read()
        if os.listdir(tmp) != ["kcred.prom"]:
            sys.exit(f"kcred --output left {os.listdir(tmp)} behind")
    series = []
    for line in text.splitlines():
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
        # Prometheus drops labels whose value is empty.
        exp_labels = {k: v for k, v in labels.items() if v != ""}
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
    # cp-1: `kcred pki` of the kubeadm fixture, as the DaemonSet runs it.
    pki = ["pki", os.path.join(PKI, "etc-kubernetes"), "--kubelet-dir", os.path.join(PKI, "var-lib-kubelet")]
    series += kcred_series(kcred, APISERVER_END - 20 * DAY, "cp-1", pki)
    # laptop-1: `kcred exposure --policy strict` (windows over max-exposure: KC009).
    with tempfile.TemporaryDirectory() as home:
        exposure = ["exposure", "--kubeconfig", DEMO, "--home", home, "--policy", "strict"]
        series += kcred_series(kcred, KIND_END - 20 * DAY, "laptop-1", exposure)
    # node-broken: a run that could not read its input (exit 2) still writes kcred_check_success 0.
    broken = ["check", "--kubeconfig", os.path.join(ROOT, "no-such-kubeconfig")]
    series += kcred_series(kcred, KIND_END, "node-broken", broken, codes=(2,))
    # A node whose kcred stopped writing 4 hours ago (time() starts at 0 in tests).
    series.append({"series": 'kcred_check_timestamp_seconds{instance="node-stale"}', "values": "0+0x60"})
    remaining = lambda metric, lo, hi: lambda n, l, v: n == metric and lo < v <= hi
    cred, cert = "kcred_credential_remaining_seconds", "kcred_certificate_remaining_seconds"
    cases = {
        "KcredCredentialExpiringSoon": remaining(cred, 7 * DAY, 30 * DAY - 1),
        "KcredCredentialExpiringCritical": remaining(cred, 0, 7 * DAY),
        "KcredCredentialExpired": lambda n, l, v: n == "kcred_credential_expired" and v == 1,
        "KcredCertificateExpiringSoon": remaining(cert, 7 * DAY, 30 * DAY - 1),
        "KcredCertificateExpiringCritical": remaining(cert, 0, 7 * DAY),
        "KcredCertificateExpired": lambda n, l, v: n == "kcred_certificate_expired" and v == 1,
        "KcredIrrevocableAdminCredential": lambda n, l, v: n == "kcred_policy_findings" and l.get("code") == "KC101",
        "KcredExposureOverPolicy": lambda n, l, v: n == "kcred_policy_findings" and l.get("code") == "KC009",
    }
    tests = []
    for alert, matches in cases.items():
        tests.append({"eval_time": "5m", "alertname": alert, "exp_alerts": expected_alerts(rules, series, alert, matches)})
    # Each case must be able to fail: the series kcred wrote hold a firing alert for every one.
    for t in tests:
        assert t["exp_alerts"], f"kcred's series give no {t['alertname']}: the fixture or the metric names changed"
    stale = expected_alerts(rules, series, "KcredCheckStale", lambda n, l, v: l.get("instance") == "node-stale" and n == "kcred_check_timestamp_seconds")
    tests.append({"eval_time": "4h", "alertname": "KcredCheckStale", "exp_alerts": stale})
    failed = expected_alerts(rules, series, "KcredCheckFailed", lambda n, l, v: n == "kcred_check_success" and v == 0)
    assert failed, "kcred's failed run gives no KcredCheckFailed"
    tests.append({"eval_time": "4h", "alertname": "KcredCheckFailed", "exp_alerts": failed})
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
        script = " ".join(c["args"])
        need("--format prometheus" in script, "writes Prometheus text")
        need("--output /textfile/" in script, "writes the textfile with --output (atomic)")
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
