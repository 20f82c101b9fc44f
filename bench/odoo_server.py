"""What the benchmarks that drive a running Odoo share: the odoo-bin command line for a
bench database, and a server with workers on a free local port."""

import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parent.parent


def run(command, **kwargs):
    print("$ " + " ".join(str(part) for part in command), flush=True)
    subprocess.run(command, check=True, cwd=REPO, **kwargs)


def odoo_command(args, odoo_bin, *options):
    """odoo-bin with the bench's config (``args.config``) on its database (``args.db``)."""
    return [
        sys.executable,
        odoo_bin,
        "-c",
        args.config,
        "-d",
        args.db,
        f"--db-filter=^{args.db}$",
        *options,
    ]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(args, odoo_bin, name, ready_path):
    """Odoo with ``args.workers`` workers and no cron on a free port; returns (process, base
    URL) once ``ready_path`` answers 200. Its log is .data/bench-<name>-server.log."""
    port = free_port()
    (REPO / ".data").mkdir(exist_ok=True)
    log_path = REPO / ".data" / f"bench-{name}-server.log"
    log = open(log_path, "w")
    process = subprocess.Popen(
        odoo_command(
            args,
            odoo_bin,
            f"--workers={args.workers}",
            "--max-cron-threads=0",
            "--http-interface=127.0.0.1",
            f"--http-port={port}",
            "--limit-time-real=600",
            "--limit-time-cpu=600",
            "--log-level=warn",
        ),
        cwd=REPO,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{base}{ready_path}", timeout=60).status_code == 200:
                return process, base
        except requests.RequestException:
            pass
        time.sleep(0.5)
    process.terminate()
    raise SystemExit(f"error: Odoo did not start; see {log_path.relative_to(REPO)}")
