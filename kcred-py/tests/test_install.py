"""The README's install section, each way exercised (issue 17): the wheel
(abi3, manylinux by `auditwheel show`, README and URLs in its metadata)
installed into a fresh venv, `cargo install --path kcred-cli`, and the kubectl
plugin (the binary linked as `kubectl-kcred`).

scripts/test builds what these tests install and says where:
KCRED_WHEEL_DIR (the folder `maturin build --release -o` wrote) and
KCRED_INSTALLED_BIN (the `kcred` that `cargo install --path kcred-cli` put in
its root). Without them the tests say SKIPPED."""

from __future__ import annotations

import email.parser
import os
import pathlib
import re
import shutil
import subprocess
import sys
import venv
import zipfile
from email.message import Message

import pytest

from conftest import DEMO, REPO

NOW = "2026-01-01T00:00:00Z"
CHECK = ("check", "--kubeconfig", str(DEMO), "--now", NOW)


def run(*argv: str | pathlib.Path, cwd: pathlib.Path, path: str | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if path is not None:
        env["PATH"] = path
    return subprocess.run([str(a) for a in argv], capture_output=True, text=True, timeout=300, cwd=cwd, env=env)


def from_env(name: str, what: str) -> pathlib.Path:
    value = os.environ.get(name)
    if not value:
        pytest.skip(f"SKIPPED: {name} not set ({what}; scripts/test sets it)")
    return pathlib.Path(value)


@pytest.fixture(scope="module")
def wheel() -> pathlib.Path:
    wheels = sorted(from_env("KCRED_WHEEL_DIR", "the folder of the built wheel").glob("kcred-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


def metadata(wheel: pathlib.Path, name: str) -> Message:
    with zipfile.ZipFile(wheel) as archive:
        member = next(n for n in archive.namelist() if n.endswith(f".dist-info/{name}"))
        return email.parser.Parser().parsestr(archive.read(member).decode())


def glibc(tag: str) -> tuple[int, int]:
    found = re.fullmatch(r"manylinux_(\d+)_(\d+)_\w+", tag)
    assert found, tag
    return int(found[1]), int(found[2])


def checks_the_demo(out: subprocess.CompletedProcess[str]) -> None:
    """`kcred check` on the bundled demo: exit 1 (it holds error findings)."""
    assert out.returncode == 1, out.stderr
    assert "finding(s)" in out.stdout and "KC" in out.stdout


def test_the_wheel_is_abi3_manylinux_with_readme_and_urls(wheel: pathlib.Path) -> None:
    name, version, python, abi, platform = wheel.stem.split("-")
    assert (name, python, abi) == ("kcred", "cp39", "abi3"), wheel.name
    glibc(platform)  # a manylinux_X_Y tag, not linux_x86_64 (which PyPI refuses)
    assert metadata(wheel, "WHEEL").get_all("Tag") == [f"cp39-abi3-{platform}"]
    meta = metadata(wheel, "METADATA")
    assert meta["Name"] == "kcred" and meta["Version"] == version
    assert meta["Requires-Python"] == ">=3.9"
    assert meta["Description-Content-Type"].startswith("text/markdown")
    readme = (REPO / "README.md").read_text()
    assert str(meta.get_payload()).strip() == readme.strip()
    urls = dict(u.split(", ", 1) for u in meta.get_all("Project-URL") or [])
    assert urls["Documentation"].startswith("https://") and urls["Crate"].startswith("https://")


def test_the_wheel_installs_on_glibc_2_28(wheel: pathlib.Path) -> None:
    """PyPI's users are on older glibc than this machine: scripts/test links the
    wheel through zig for manylinux_2_28 (it sets KCRED_WHEEL_NO_ZIG when it could not)."""
    if os.environ.get("KCRED_WHEEL_NO_ZIG"):
        pytest.skip("SKIPPED: ziglang was not installable: the wheel is tagged for this machine's glibc")
    claimed = glibc(wheel.stem.split("-")[-1])
    assert claimed <= (2, 28), wheel.name


def test_auditwheel_accepts_the_manylinux_tag(wheel: pathlib.Path, tmp_path: pathlib.Path) -> None:
    auditwheel = shutil.which("auditwheel", path=str(pathlib.Path(sys.executable).parent)) or shutil.which("auditwheel")
    if auditwheel is None:
        pytest.skip("SKIPPED: auditwheel is not installed (pip install auditwheel): manylinux NOT checked")
    out = run(auditwheel, "show", wheel, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    text = " ".join(out.stdout.split())
    found = re.search(r'consistent with the following platform tag: "(manylinux_\w+)"', text)
    assert found, text
    claimed = wheel.stem.split("-")[-1]
    # The tag the wheel claims is one auditwheel allows (not older than its symbols need).
    assert glibc(found[1]) <= glibc(claimed), text


def test_the_wheel_in_a_fresh_venv_gives_kcred_and_python_m_kcred(
    wheel: pathlib.Path, tmp_path: pathlib.Path
) -> None:
    env = tmp_path / "venv"
    venv.create(env, with_pip=True)
    bin_dir = env / "bin"
    out = run(bin_dir / "python", "-m", "pip", "install", "-q", "--no-index", "--no-deps", wheel, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    version = f"kcred {wheel.stem.split('-')[1]}"
    # Not this checkout's sources: the installed package, in the fresh venv.
    where = run(bin_dir / "python", "-c", "import kcred; print(kcred.__file__)", cwd=tmp_path)
    assert where.returncode == 0 and where.stdout.startswith(str(env)), where
    for argv in [(bin_dir / "kcred",), (bin_dir / "python", "-m", "kcred")]:
        got = run(*argv, "--version", cwd=tmp_path)
        assert got.returncode == 0 and got.stdout.strip() == version, got
        checks_the_demo(run(*argv, *CHECK, cwd=tmp_path))


@pytest.fixture(scope="module")
def installed() -> pathlib.Path:
    binary = from_env("KCRED_INSTALLED_BIN", "the kcred of cargo install --path kcred-cli")
    assert binary.is_file() and os.access(binary, os.X_OK), binary
    return binary


def test_cargo_install_gives_the_kcred_command(installed: pathlib.Path, tmp_path: pathlib.Path) -> None:
    got = run(installed, "--version", cwd=tmp_path)
    assert got.returncode == 0 and re.fullmatch(r"kcred \d+\.\d+\.\d+\S*", got.stdout.strip()), got
    checks_the_demo(run(installed, *CHECK, cwd=tmp_path))


def test_linked_as_kubectl_kcred_it_is_the_kubectl_plugin(installed: pathlib.Path, tmp_path: pathlib.Path) -> None:
    # The README's `ln -s "$(command -v kcred)" ~/.local/bin/kubectl-kcred`, in a fresh folder.
    plugins = tmp_path / "bin"
    plugins.mkdir()
    (plugins / "kubectl-kcred").symlink_to(installed)
    path = f"{plugins}{os.pathsep}{os.environ.get('PATH', '')}"
    version = run(installed, "--version", cwd=tmp_path).stdout.strip()
    got = run("kubectl-kcred", "--version", cwd=tmp_path, path=path)
    assert got.returncode == 0 and got.stdout.strip() == f"kubectl {version}", got
    checks_the_demo(run("kubectl-kcred", *CHECK, cwd=tmp_path, path=path))
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        pytest.skip("SKIPPED: kubectl not found: `kubectl kcred` through kubectl's plugin lookup NOT checked")
    listed = run(kubectl, "plugin", "list", cwd=tmp_path, path=path)
    assert str(plugins / "kubectl-kcred") in listed.stdout, listed
    through = run(kubectl, "kcred", "--version", cwd=tmp_path, path=path)
    assert through.returncode == 0 and through.stdout.strip() == f"kubectl {version}", through
