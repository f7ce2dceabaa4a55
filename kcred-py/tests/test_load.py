"""Loading: default locations, paths (str, Path, several merged), text and bytes."""

from __future__ import annotations

import pathlib

import pytest

import kcred
from conftest import DEMO, NOW, PLATFORMS

MINIMAL = """\
apiVersion: v1
kind: Config
users:
- name: admin
  user:
    username: alice
    password: CANARY-pw-1
contexts:
- name: dev
  context: {cluster: c1, user: admin}
clusters:
- name: c1
  cluster: {server: "https://10.0.0.1:6443"}
"""


def test_load_one_path_str_and_pathlib() -> None:
    a = kcred.load(str(DEMO))
    b = kcred.load(DEMO)
    assert a == b
    assert len(a) == 6
    assert a.files == (DEMO,)
    assert isinstance(a.files[0], pathlib.Path)
    assert [c.user for c in a][:2] == ["clusterAdmin_rg-platform_aks-prod-weu"] * 2
    assert [c.name for c in a.clusters] == [
        "aks-prod-weu",
        "arn:aws:eks:eu-west-1:111122223333:cluster/payments-prod",
        "kind-kind",
        "staging",
    ]
    assert a.problems == ()


def test_load_several_paths_merges_first_wins() -> None:
    kind = PLATFORMS / "kind" / "config"
    k3s = PLATFORMS / "k3s" / "config"
    inv = kcred.load([kind, str(k3s)])
    assert inv.files == (kind, k3s)
    users = {c.user for c in inv}
    assert "kind-kind" in users and len(users) >= 2
    # k3s and kind both name things "default"? whatever the names, none twice
    names = [c.name for c in inv.clusters]
    assert len(names) == len(set(names))


def test_load_default_reads_kubeconfig_env(monkeypatch: pytest.MonkeyPatch) -> None:
    kind = PLATFORMS / "kind" / "config"
    monkeypatch.setenv("KUBECONFIG", f"{kind}:{PLATFORMS / 'nonexistent'}:{DEMO}")
    assert kcred.default_paths() == [kind, PLATFORMS / "nonexistent", DEMO]
    inv = kcred.load()
    assert inv.files == (kind, DEMO)


def test_default_paths_home(monkeypatch: pytest.MonkeyPatch, tmp_path: pathlib.Path) -> None:
    monkeypatch.delenv("KUBECONFIG", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert kcred.default_paths() == [tmp_path / ".kube" / "config"]
    with pytest.raises(kcred.KcredIOError) as err:
        kcred.load()
    assert err.value.kind == "no-kubeconfig"
    assert isinstance(err.value, OSError) and isinstance(err.value, ValueError)


def test_load_missing_file_raises_io_error(tmp_path: pathlib.Path) -> None:
    missing = tmp_path / "nope"
    with pytest.raises(kcred.KcredIOError) as err:
        kcred.load(missing)
    assert err.value.kind == "io"
    assert err.value.file == str(missing)
    assert err.value.entry is None and err.value.line is None
    with pytest.raises(kcred.KcredIOError):
        kcred.load([])
    with pytest.raises(TypeError):
        kcred.load(42)  # type: ignore[arg-type]


def test_loads_text_and_bytes_with_source() -> None:
    a = kcred.loads(MINIMAL, source="mem.yaml")
    b = kcred.loads(MINIMAL.encode(), source="mem.yaml")
    assert a == b
    assert a.files == ()
    (cred,) = a.credentials
    assert cred.kind is kcred.Kind.BASIC_AUTH
    assert cred.subject == "alice"
    assert cred.contexts == ("dev",) and cred.clusters == ("c1",)
    assert cred.location.file == "mem.yaml"
    assert cred.location.entry == "users[admin]"
    assert cred.location.field == "username"
    assert cred.location.line == 6
    assert str(cred.location) == "mem.yaml: users[admin].username (line 6)"
    assert cred.status(NOW) is kcred.Status.UNKNOWN
    assert a.clusters[0].server == "https://10.0.0.1:6443"
    assert kcred.loads("").credentials == ()


def test_loads_problems_and_strict() -> None:
    inv = kcred.loads("users: [", source="broken.yaml")
    (problem,) = inv.problems
    assert problem.kind == "syntax"
    assert problem.file == "broken.yaml"
    assert problem.line == 1
    assert problem.location is not None and problem.location.file == "broken.yaml"
    assert problem.message.startswith("broken.yaml (line 1): not a valid kubeconfig")
    assert str(problem) == problem.message
    exc = problem.to_exception()
    assert isinstance(exc, kcred.ParseError)
    with pytest.raises(kcred.ParseError) as err:
        kcred.loads("users: [", source="broken.yaml", strict=True)
    assert (err.value.kind, err.value.file, err.value.line) == ("syntax", "broken.yaml", 1)
    assert isinstance(err.value, ValueError)


def test_loads_referenced_files_only_when_asked() -> None:
    text = (PLATFORMS / "sa-tokenfile" / "config").read_text()
    no_files = kcred.loads(text, source="sa")
    assert [p.kind for p in no_files.problems] == ["missing-file"]
    assert no_files.problems[0].field == "tokenFile"
    inv = kcred.load(PLATFORMS / "sa-tokenfile" / "config")
    assert inv.problems == ()
    (cred,) = inv.credentials
    assert cred.source_file is not None and cred.source_file.name == "token"


def test_loads_rejects_other_types() -> None:
    with pytest.raises(TypeError):
        kcred.loads(12)  # type: ignore[arg-type]
    assert kcred.loads(bytearray(MINIMAL.encode())).credentials[0].user == "admin"
