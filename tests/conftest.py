"""Project-wide pytest rules: a skipped test is a failure.

A test that pytest-odoo skips (an HttpCase without --odoo-http, a browser test without
chromium) has proven nothing, so the run fails and says which tests were skipped.
"""

import pytest


def _skipped(config):
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    return reporter.stats.get("skipped", []) if reporter else []


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session, exitstatus):
    if _skipped(session.config) and exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    skipped = _skipped(config)
    if skipped:
        terminalreporter.section("skipped tests count as failures", red=True)
        for report in skipped:
            terminalreporter.line(f"SKIPPED {report.nodeid}")
