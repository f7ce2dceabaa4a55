"""`python -m kcred` and the `kcred` console command: the kcred command line,
the same Rust code as the `kcred` binary (`kcred --help`)."""

from __future__ import annotations

import sys

import kcred


def main() -> int:
    """Runs the command line on `sys.argv[1:]`; returns its exit code."""
    return kcred._main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
