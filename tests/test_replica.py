"""Reports on a read replica (issue 22): ``bench/replica.py`` at a small size, on two
PostgreSQL clusters of its own (a primary made with ``initdb`` and a hot standby made from
it with ``pg_basebackup -R``, streaming its WAL), with an Odoo server that has
``db_replica_host`` set:

* the dashboard, the comparison of periods and the XLSX export are read on the replica
  (the primary reads next to nothing for them), where a server without the replica reads
  them on the primary;
* while replay is paused, the dashboard shows the figures and the filters of the last
  replayed moment; resumed, the order confirmed and the filters saved on the primary are
  there (the summary-table refresh and the saving of the filters write on the primary);
* with the replica stopped, the dashboard is served by the primary.

The script checks each of these itself and stops with an error when one fails; this test
runs it and reads its figures."""

import re
import socket
import subprocess
import sys
import unittest
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class TestReadReplica(unittest.TestCase):
    def test_reports_are_served_by_the_replica(self):
        command = [
            sys.executable,
            "bench/replica.py",
            "--db",
            "oms_test_replica",
            "--orders",
            "120",
            "--loads",
            "2",
            "--pg-port",
            str(free_port()),
            "--replica-port",
            str(free_port()),
        ]
        result = subprocess.run(
            command, cwd=ROOT, capture_output=True, text=True, timeout=1500, check=False
        )
        output = result.stdout + result.stderr
        self.assertEqual(result.returncode, 0, output[-4000:])
        figures = re.search(
            r"rows read on the primary per dashboard load ([\d,]+) with the replica vs "
            r"([\d,]+) without \([\d.]+x\); the replica read ([\d,]+)",
            result.stdout,
        )
        self.assertTrue(figures, result.stdout[-2000:])
        with_replica, without, on_replica = (int(f.replace(",", "")) for f in figures.groups())
        self.assertLess(with_replica * 20, without)
        self.assertGreater(on_replica * 2, without)
        self.assertRegex(
            result.stdout, r"dashboard served by the replica shows revenue ([\d,.]+) \(before: \1\)"
        )
        self.assertIn("rows per ranking 7", result.stdout)
        self.assertIn("replica down: the dashboard is served by the primary", result.stdout)
