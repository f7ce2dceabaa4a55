"""Shared fixtures: the repository's test data and the fixed instant NOW."""

from __future__ import annotations

import datetime as dt
import json
import pathlib
from typing import Any

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
PLATFORMS = REPO / "tests" / "data" / "platforms"
CERTS = REPO / "tests" / "data" / "certs"
DEMO = REPO / "examples" / "kubeconfigs" / "demo.yaml"
NOW = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)


@pytest.fixture(scope="session")
def expected() -> dict[str, Any]:
    return json.loads((PLATFORMS / "expected.json").read_text())


def utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
