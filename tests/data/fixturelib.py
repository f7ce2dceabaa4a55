"""What the fixture generators under tests/data share (make_fixtures.py here,
scan/make_repo.py, ...): the base64 forms kubeconfigs and JWTs use."""

from __future__ import annotations

import base64


def b64(data: bytes | str) -> str:
    """Standard base64 with padding (`*-data` fields)."""
    if isinstance(data, str):
        data = data.encode()
    return base64.b64encode(data).decode()


def b64url(data: bytes | str) -> str:
    """URL-safe base64 without padding (JWT segments)."""
    if isinstance(data, str):
        data = data.encode()
    return base64.urlsafe_b64encode(data).decode().rstrip("=")
