"""MCP Lab's pytest runner for test-suite labs; it runs inside the sandbox, in the work dir.

It runs the learner's tests with the pinned pytest and writes one line to its original stdout:
"MCP-LAB-TEST-REPORT " followed by a JSON report (runner, exitCode, tests, errors, deleted).
Everything else this process prints goes to stderr (fd 1 is pointed there first), so the report
channel carries nothing but the report. Messages are clipped; the full output is on stderr.
"""

import json
import os
import sys
import textwrap

REPORT_PREFIX = "MCP-LAB-TEST-REPORT "
MAX_TESTS = 500
MAX_MESSAGE = 2000
MAX_ERROR_LINES = 15
MAX_FILES = 2000


def clip(text, limit=MAX_MESSAGE):
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def files_under(root):
    """Relative paths of the files in the work dir (bounded), to notice a suite deleting them."""
    found = set()
    for base, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if d not in ("__pycache__", ".pytest_cache")]
        for name in names:
            found.add(os.path.relpath(os.path.join(base, name), root))
            if len(found) >= MAX_FILES:
                return found
    return found


def failure_text(report):
    crash = getattr(report.longrepr, "reprcrash", None)
    text = crash.message if crash is not None and crash.message else "\n".join(
        report.longreprtext.strip().splitlines()[-MAX_ERROR_LINES:]
    )
    return clip(text if report.when == "call" else f"error in {report.when}: {text}")


def collection_error(report):
    """The exception first (pytest's `E` lines end with it), then where it happened."""
    lines = report.longreprtext.strip().splitlines()
    marked = [line[1:] for line in lines if line.startswith("E ")]
    if not marked:
        return clip("\n".join(lines[-MAX_ERROR_LINES:]))
    marked = textwrap.dedent("\n".join(marked)).splitlines()
    return clip("\n".join([marked[-1], *marked[:-1]][:MAX_ERROR_LINES]))


class Reporter:
    """A pytest plugin that keeps one outcome per test: failed if any phase failed."""

    def __init__(self):
        self.tests = {}
        self.errors = []

    def pytest_runtest_logreport(self, report):
        entry = self.tests.get(report.nodeid)
        if entry is None:
            if len(self.tests) >= MAX_TESTS:
                return
            entry = self.tests[report.nodeid] = {"name": report.nodeid, "status": "passed"}
        if entry["status"] == "failed":
            return
        if report.failed:
            entry["status"] = "failed"
            entry["message"] = failure_text(report)
        elif report.skipped and report.when in ("setup", "call"):
            entry["status"] = "skipped"

    def pytest_collectreport(self, report):
        if report.failed and len(self.errors) < 50:
            self.errors.append({"where": report.nodeid or "collection", "message": collection_error(report)})


def main():
    report_fd = os.dup(1)  # not inherited by the suite's subprocesses (PEP 446)
    os.dup2(2, 1)
    work = os.getcwd()
    # Like `python -m pytest`: the work dir is importable (tests may `import server`).
    sys.path.insert(0, work)
    before = files_under(work)
    import pytest

    reporter = Reporter()
    code = int(pytest.main(["-p", "no:cacheprovider", "--color=no", "-q", "-rfE"], plugins=[reporter]))
    sys.stdout.flush()
    sys.stderr.flush()
    for entry in [*reporter.tests.values(), *reporter.errors]:
        if "message" in entry:
            entry["message"] = entry["message"].replace(work + os.sep, "")
    report = {
        "runner": f"pytest {pytest.__version__}",
        "exitCode": code,
        "tests": list(reporter.tests.values()),
        "errors": reporter.errors,
        "deleted": sorted(before - files_under(work))[:50],
    }
    os.write(report_fd, (REPORT_PREFIX + json.dumps(report) + "\n").encode())
    os.close(report_fd)
    return code


if __name__ == "__main__":
    sys.exit(main())
