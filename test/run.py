#!/usr/bin/env python3
"""Runs every dnnf test suite: lit/FileCheck, then pytest.

Usage: python test/run.py [-k PYTEST_EXPR] [--lit-only | --pytest-only]

Both suites run against the installed ``dnnf`` package (``pip install .``).
The last line sums them up as ``total: N passed, N failed``.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent


def junit_counts(path: Path) -> tuple[int, int, int]:
    """(passed, failed, skipped) from a JUnit XML report."""
    root = ET.parse(path).getroot()
    suites = [root] if root.tag == "testsuite" else list(root.iter("testsuite"))
    total = failed = skipped = 0
    for s in suites:
        total += int(s.get("tests", 0))
        failed += int(s.get("failures", 0)) + int(s.get("errors", 0))
        skipped += int(s.get("skipped", 0))
    return total - failed - skipped, failed, skipped


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-k", dest="pytest_k", help="pytest -k expression")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--lit-only", action="store_true")
    group.add_argument("--pytest-only", action="store_true")
    args = parser.parse_args()

    results: dict[str, tuple[int, int, int]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        if not args.pytest_only:
            xml = Path(tmp) / "lit.xml"
            cmd = [
                sys.executable,
                "-c",
                "import lit.main; lit.main.main()",
                "-sv",
                f"--xunit-xml-output={xml}",
                str(HERE),
            ]
            print("$", " ".join(cmd), flush=True)
            rc = subprocess.call(cmd)
            results["lit"] = junit_counts(xml) if xml.exists() else (0, 1, 0)
            if rc != 0 and results["lit"][1] == 0:
                results["lit"] = (results["lit"][0], 1, results["lit"][2])
        if not args.lit_only:
            xml = Path(tmp) / "pytest.xml"
            cmd = [
                sys.executable,
                "-m",
                "pytest",
                "-q",
                f"--junitxml={xml}",
                str(HERE / "python"),
            ]
            if args.pytest_k:
                cmd += ["-k", args.pytest_k]
            print("$", " ".join(cmd), flush=True)
            rc = subprocess.call(cmd, cwd=HERE.parent)
            results["pytest"] = junit_counts(xml) if xml.exists() else (0, 1, 0)
            if rc not in (0, 5) and results["pytest"][1] == 0:
                results["pytest"] = (results["pytest"][0], 1, results["pytest"][2])

    passed = sum(r[0] for r in results.values())
    failed = sum(r[1] for r in results.values())
    skipped = sum(r[2] for r in results.values())
    for name, (p, f, s) in results.items():
        print(f"{name}: {p} passed, {f} failed, {s} skipped")
    if passed + failed == 0:
        print("no tests ran")
        return 1
    print(f"total: {passed} passed, {failed} failed, {skipped} skipped")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
