"""The unit tests of the mobile app's JavaScript, under Node's test runner: every
addons/*/static/tests/*.test.mjs (the outbox: queueing, idempotency keys, sending, retries,
refusals). Node.js 20.10 or later is needed: without it the test fails and says so."""

import re
import shutil
import subprocess
import unittest
from pathlib import Path

from odoo.tests import tagged

REPO = Path(__file__).resolve().parent.parent
TESTS = sorted(REPO.glob("addons/*/static/tests/*.test.mjs"))
NEEDED = (20, 10)


def _needs_detect_flag(version):
    """Node versions that read ES modules from .js files only with this flag (later ones
    detect them by themselves)."""
    return version < (20, 19) or (21, 0) <= version < (22, 7)


@tagged("post_install", "-at_install")
class TestAppUnits(unittest.TestCase):
    def test_javascript_unit_tests_pass(self):
        node = shutil.which("node")
        self.assertTrue(
            node,
            "Node.js 20.10 or later is needed to run the app's unit tests, and none is on the "
            "PATH: https://nodejs.org/en/download, or your distribution's nodejs package when "
            "it is 20.10 or later",
        )
        found = re.match(
            r"v(\d+)\.(\d+)",
            subprocess.run([node, "--version"], capture_output=True, text=True, check=True).stdout,
        )
        version = (int(found[1]), int(found[2]))
        self.assertGreaterEqual(
            version, NEEDED, f"Node.js 20.10 or later is needed, found {found[0]}"
        )
        self.assertTrue(TESTS, "no addons/*/static/tests/*.test.mjs")
        flags = ["--experimental-detect-module"] if _needs_detect_flag(version) else []
        result = subprocess.run(
            [node, *flags, "--test", "--test-reporter=tap", *map(str, TESTS)],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        report = result.stdout[-8000:] + result.stderr[-2000:]
        self.assertEqual(result.returncode, 0, report)
        counts = dict(re.findall(r"^# (tests|pass|fail) (\d+)$", result.stdout, re.MULTILINE))
        self.assertEqual(counts.get("fail"), "0", report)
        self.assertGreater(int(counts.get("pass", 0)), 0, report)
