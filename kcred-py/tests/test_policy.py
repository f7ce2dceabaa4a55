"""Policies (preset, file, text), check(), findings, and the renderers."""

from __future__ import annotations

import datetime as dt
import json
import pathlib
import pickle
from typing import Any

import pytest

import kcred
from conftest import DEMO, NOW, PLATFORMS


@pytest.fixture(scope="module")
def demo() -> kcred.Inventory:
    return kcred.load(DEMO)


def test_presets_and_default(demo: kcred.Inventory) -> None:
    assert kcred.PRESETS == ("baseline", "strict", "kubeadm")
    baseline = kcred.check(demo, now=NOW)
    # baseline reports the AKS admin certificate (KC101) and its opaque token (KC008) since issue 14
    assert [f.code for f in baseline] == ["KC101", "KC008", "KC001"]
    assert kcred.check(demo, "baseline", now=NOW) == baseline
    assert kcred.check(demo, kcred.load_policy("baseline"), now=NOW) == baseline
    strict = kcred.load_policy("strict")
    assert strict.name == "strict" and strict.description and "24h" in strict.description
    assert "KC005" in strict.enabled_rules
    codes = sorted(f.code for f in kcred.check(demo, strict, now=NOW))
    assert codes == ["KC001", "KC005", "KC005", "KC007", "KC007", "KC007", "KC008", "KC101"]
    assert repr(strict) == '<Policy "strict" 28 rules on, 0 suppressions>'


def test_finding_attributes(demo: kcred.Inventory) -> None:
    findings = kcred.check(demo, "strict", now=NOW)
    f = next(f for f in findings if f.code == "KC005")
    assert f.name == "max-remaining"
    assert f.severity is kcred.Severity.ERROR and f.severity == "error"
    assert f.kind is kcred.Kind.CLIENT_CERTIFICATE
    assert f.platform == "aks"
    assert "expires in 630d (2027-09-23T00:00:00Z); policy allows at most 24h" in f.message
    assert f.remediation.startswith("AKS:")
    assert not f.suppressed and f.suppression_reason is None
    loc = f.location
    assert (loc.file, loc.line, loc.user) == (str(DEMO), 53, "clusterAdmin_rg-platform_aks-prod-weu")
    assert loc.context == "aks-prod-weu-admin" and loc.cluster == "aks-prod-weu"
    assert loc.entry == "users[clusterAdmin_rg-platform_aks-prod-weu]"
    assert loc.field == "client-certificate-data"
    assert str(loc) == f"{DEMO}:53"
    assert repr(f) == f'<Finding KC005 max-remaining error at "{DEMO}:53">'
    assert str(f).startswith(f"{DEMO}:53: error KC005 max-remaining: client certificate")
    assert kcred.worst_severity(findings) is kcred.Severity.ERROR
    assert kcred.worst_severity([]) is None


def test_policy_from_file_and_text(demo: kcred.Inventory, tmp_path: pathlib.Path) -> None:
    policy_file = tmp_path / "team.yaml"
    policy_file.write_text(
        "version: 1\nname: team\nextends: strict\n"
        "rules:\n  max-remaining:\n    threshold: 1000d\n"
        "suppressions:\n  - rule: KC101\n    users: [clusterAdmin_rg-platform_aks-prod-weu]\n"
        "    reason: break-glass, rotated quarterly\n"
    )
    team = kcred.load_policy(policy_file)
    assert team == kcred.load_policy(str(policy_file)) and team.name == "team"
    findings = kcred.check(demo, team, now=NOW)
    assert "KC005" not in [f.code for f in findings]
    (kc101,) = [f for f in findings if f.code == "KC101"]
    assert kc101.suppressed and kc101.suppression_reason == "break-glass, rotated quarterly"
    assert kcred.check(demo, policy_file, now=NOW) == findings
    text = kcred.parse_policy("version: 1\nextends: strict\n", source="inline.yaml")
    assert text.enabled_rules == kcred.load_policy("strict").enabled_rules


def test_policy_errors(tmp_path: pathlib.Path) -> None:
    with pytest.raises(kcred.PolicyError) as err:
        kcred.parse_policy("version: 1\nrules:\n  no-such-rule: {}\n", source="p.yaml")
    assert err.value.kind == "bad-policy" and err.value.file == "p.yaml" and err.value.line == 3
    assert isinstance(err.value, ValueError)
    with pytest.raises(kcred.PolicyError, match="unknown preset"):
        kcred.load_policy("no-such-preset")
    with pytest.raises(kcred.PolicyError, match="not a preset"):
        kcred.parse_policy("version: 1\nextends: ./other.yaml\n")
    with pytest.raises(kcred.KcredError):
        kcred.load_policy(tmp_path / "missing.yaml")


def test_renderers(demo: kcred.Inventory) -> None:
    findings = kcred.check(demo, "strict", now=NOW)
    doc = json.loads(kcred.findings_json(findings, policy="strict", now=NOW))
    assert doc["schema"] == kcred.FINDINGS_SCHEMA == "kcred.findings/v1"
    assert doc["policy"] == "strict" and doc["now"] == "2026-01-01T00:00:00Z"
    assert len(doc["findings"]) == len(findings)
    assert "\n" not in kcred.findings_json(findings, indent=False)
    sarif = json.loads(kcred.findings_sarif(findings))
    assert sarif["version"] == "2.1.0"
    assert len(sarif["runs"][0]["results"]) == len(findings)
    table = kcred.findings_table(findings)
    assert "KC005" in table and "\x1b[" not in table
    assert "\x1b[" in kcred.findings_table(findings, color=True)
    prom = kcred.prometheus_text(demo, findings, now=NOW)
    assert "# TYPE kcred_credential_expiration_timestamp_seconds gauge" in prom
    assert 'kcred_policy_findings{' in prom


def test_naive_now_rejected_in_policy_api(demo: kcred.Inventory) -> None:
    naive = dt.datetime(2026, 1, 1)
    findings = kcred.check(demo, now=NOW)
    for call in (
        lambda: kcred.check(demo, now=naive),
        lambda: kcred.findings_json(findings, now=naive),
        lambda: kcred.prometheus_text(demo, findings, now=naive),
    ):
        with pytest.raises(ValueError, match="timezone-aware"):
            call()


def test_policy_objects_pickle(demo: kcred.Inventory, tmp_path: pathlib.Path) -> None:
    policy_file = tmp_path / "p.yaml"
    policy_file.write_text("version: 1\nextends: kubeadm\n")
    policies = [
        kcred.load_policy("strict"),
        kcred.load_policy(policy_file),
        kcred.parse_policy("version: 1\nextends: strict\n", source="s"),
    ]
    for p in policies:
        assert pickle.loads(pickle.dumps(p)) == p
    findings = kcred.check(demo, "strict", now=NOW)
    objects: list[Any] = [*findings, findings[0].location, findings]
    for obj in objects:
        back = pickle.loads(pickle.dumps(obj))
        assert back == obj and repr(back) == repr(obj)
    back = pickle.loads(pickle.dumps(findings))
    assert kcred.findings_sarif(back) == kcred.findings_sarif(findings)
    assert kcred.prometheus_text(demo, back, now=NOW) == kcred.prometheus_text(
        demo, findings, now=NOW
    )
    # an inventory that went through pickle evaluates the same
    again = pickle.loads(pickle.dumps(demo))
    assert kcred.check(again, "strict", now=NOW) == findings


def test_no_secret_in_findings_outputs(expected: dict[str, Any]) -> None:
    for name, e_file in expected["files"].items():
        inv = kcred.load(PLATFORMS / name)
        findings = kcred.check(inv, "strict", now=NOW)
        rendered = "\n".join(
            [
                kcred.findings_json(findings, policy="strict", now=NOW),
                kcred.findings_sarif(findings),
                kcred.findings_table(findings),
                kcred.prometheus_text(inv, findings, now=NOW),
                *(repr(f) + str(f) + f.message + f.remediation for f in findings),
                pickle.dumps(findings).decode("latin-1"),
            ]
        )
        for secret in e_file["secrets"]:
            assert secret not in rendered, f"{name}: a secret appears in a findings output"
