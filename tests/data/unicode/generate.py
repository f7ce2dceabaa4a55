#!/usr/bin/env python3
"""Writes hidden.txt: every code point that must never reach a terminal raw,
by its Unicode general category (Cc controls, Cf format characters such as the
bidi overrides and zero-width characters, Zl and Zp separators), as ranges.

The output boundary's test oracle (kcred-cli/tests/injection, and the unit test
of kcred-core's report/text.rs) reads this file, so the list under test comes
from the Unicode database, not from the code it tests.

    python3 tests/data/unicode/generate.py > tests/data/unicode/hidden.txt
"""
import sys
import unicodedata

HIDDEN = {"Cc", "Cf", "Zl", "Zp"}

ranges = []
for code in range(sys.maxunicode + 1):
    category = unicodedata.category(chr(code))
    if category not in HIDDEN:
        continue
    last = ranges[-1] if ranges else None
    if last and last[1] == code - 1 and last[2] == category:
        last[1] = code
    else:
        ranges.append([code, code, category])

print(f"# Unicode {unicodedata.unidata_version}: general categories Cc Cf Zl Zp.")
print("# Made by tests/data/unicode/generate.py; do not edit by hand.")
for first, last, category in ranges:
    print(f"{first:04X}..{last:04X}; {category}")
