"""Dates at and past the ends of time (issue 12): Python sees a token, a
`Problem`, or a `KcredError`; never `pyo3_runtime.PanicException` (which is a
`BaseException`, so it would escape every `pytest.raises(kcred.KcredError)`)."""

from __future__ import annotations

import base64
import datetime as dt
import json
from typing import Any

import pytest

import kcred
from conftest import NOW


def b64url(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).rstrip(b"=").decode()


def jwt(claims: str) -> str:
    return f"{b64url(json.dumps({'alg': 'RS256'}))}.{b64url(claims)}.c2ln"


def eks(date: str, expires: str = "60") -> str:
    url = (
        "https://sts.us-east-1.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15"
        f"&X-Amz-Date={date}&X-Amz-Expires={expires}&X-Amz-Signature=ab"
    )
    return "k8s-aws-v1." + b64url(url)


NUMERIC_DATES = [
    "9223372036854775807",
    "-9223372036854775808",
    "18446744073709551615",
    "253402300799",
    "253402300800",
    "-62135596800",
    "-62167219200",
    "-377705116800",
    "253402300799.999",
    "9.223372036854776e18",
    "1.7976931348623157e308",
    "-1e15",
]

NOWS = [
    NOW,
    dt.datetime.max.replace(tzinfo=dt.timezone.utc),
    dt.datetime.min.replace(tzinfo=dt.timezone.utc),
]


def touch_every_date(item: Any) -> None:
    """Reads every date-derived attribute at every instant of NOWS."""
    for name in ("not_before", "not_after", "lifetime", "never_expires"):
        try:
            getattr(item, name)
        except ValueError as e:  # a year Python's datetime cannot hold
            assert isinstance(e, ValueError)
    for now in NOWS:
        item.status(now)
        item.remaining(now)


def test_eks_token_signed_in_year_9999_raises_kcred_error() -> None:
    for expires in ("60", "9223372036854775807"):
        with pytest.raises(kcred.KcredError) as info:
            kcred.decode_token(eks("99991231T235959Z", expires))
        assert info.value.kind == "out-of-range"
        assert "X-Amz-Date" in str(info.value)


def test_eks_token_signed_in_year_9999_is_a_problem_of_load() -> None:
    config = (
        "apiVersion: v1\nkind: Config\nusers:\n"
        f"- name: u\n  user:\n    token: {eks('99991231T235959Z')}\n"
    )
    inv = kcred.loads(config)
    assert [p.kind for p in inv.problems] == ["out-of-range"]
    assert len(inv) == 1
    touch_every_date(inv.credentials[0])
    with pytest.raises(kcred.KcredError):
        kcred.loads(config, strict=True)


def test_numeric_date_extremes_are_tokens_or_kcred_errors() -> None:
    for value in NUMERIC_DATES:
        for claims in (
            f'{{"exp":{value}}}',
            f'{{"iat":{value}}}',
            f'{{"nbf":{value},"exp":253402300798}}',
            f'{{"iat":{value},"exp":{value},"nbf":{value}}}',
        ):
            try:
                token = kcred.decode_token(jwt(claims))
            except kcred.KcredError as e:
                assert e.kind == "bad-token", (claims, e)
                continue
            touch_every_date(token)


def test_oversized_claims_are_refused_by_limit() -> None:
    big = jwt('{"exp":1,"pad":[' + "[[[[0]]]]," * 20_000 + "0]}")
    with pytest.raises(kcred.KcredError) as info:
        kcred.decode_token(big)
    assert "limit of 65536 bytes" in str(info.value)
    deep = jwt('{"a":' + "[" * 40 + "]" * 40 + "}")
    with pytest.raises(kcred.KcredError) as info:
        kcred.decode_token(deep)
    assert "limit of 16 levels" in str(info.value)


def test_inventory_of_extremes_checks_and_renders() -> None:
    users = [eks("99991231T235959Z"), eks("00000101T000000Z")]
    users += [jwt(f'{{"exp":{v},"iat":{v}}}') for v in NUMERIC_DATES]
    config = "apiVersion: v1\nkind: Config\nusers:\n" + "".join(
        f"- name: u{i}\n  user:\n    token: {t}\n" for i, t in enumerate(users)
    )
    inv = kcred.loads(config)
    assert len(inv) == len(users)
    assert all(p.kind in ("bad-token", "out-of-range") for p in inv.problems)
    for c in inv:
        touch_every_date(c)
    for now in NOWS:
        inv.to_json(now)
        inv.to_table(now)
        for policy in kcred.PRESETS:
            findings = kcred.check(inv, policy, now=now)
            kcred.findings_json(findings, now=now)
            kcred.findings_sarif(findings)
            kcred.findings_table(findings)
            kcred.prometheus_text(inv, findings, now=now)
            kcred.worst_severity(findings)


def test_policy_thresholds_past_any_date_are_policy_errors() -> None:
    for threshold in ("1000000000000000d", "9223372036854775807s", "1001y"):
        with pytest.raises(kcred.PolicyError):
            kcred.parse_policy(f"version: 1\nrules:\n  expiring-soon: {{ threshold: {threshold} }}\n")
