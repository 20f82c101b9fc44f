"""What every benchmark script starts with, and how they all time.

A script of ``bench/`` runs as ``.venv/bin/python bench/<name>.py`` and imports this module
before Odoo: Odoo is found on the path or through ``ODOO_PATH`` (default ``/opt/odoo19``).

* the command line: :func:`argument_parser` (``--db``, ``--config``, ``--seed`` and, when a
  script has them, ``--orders`` and ``--rounds``);
* Odoo: :func:`configure` (the repository's ``odoo.conf``, whose paths are relative to the
  repository), :func:`open_env` (a superuser environment on a cursor of the database),
  :func:`install` (modules through ``odoo-bin`` when missing), :func:`start_server` (a real
  server on a free local port);
* data: :func:`generate_orders` (``bench/generate`` until the database holds enough orders)
  and :func:`analyze` (fresh planner statistics, outside the timings);
* timing: :func:`timed`, :func:`alternate` (the paths in turn, several rounds),
  :func:`medians` and :func:`print_ratio` (the last line: ours against the baseline).
"""

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager, nullcontext
from pathlib import Path

import psycopg2
import requests

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO / "bench"
ODOO_PATH = Path(os.environ.get("ODOO_PATH", "/opt/odoo19"))
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))  # the generate package, when run from elsewhere

try:
    import odoo
except ImportError:
    sys.path.insert(0, str(ODOO_PATH))
    import odoo

# Tracking and mail logging off, as the generator writes: benchmarks time the business work.
from generate.core import NO_MAIL_CTX  # noqa: E402, F401

from odoo import SUPERUSER_ID, api, release  # noqa: E402
from odoo.tools import SQL, config  # noqa: E402

ODOO_BIN = Path(release.__file__).resolve().parent.parent / "odoo-bin"
ABSENT = object()  # an option the script does not have


# --------------------------------------------------------------------------- command line


def argument_parser(doc, *, db=None, seed=1, orders=ABSENT, rounds=ABSENT, orders_help=None):
    """A parser with the options every benchmark has: ``--db`` (required without a
    default), ``-c/--config`` (the repository's ``odoo.conf``), ``--seed``; ``--orders``
    and ``--rounds`` with the given default when the script has them. The description is
    the first paragraph of ``doc`` (the script's docstring)."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    if db is None:
        parser.add_argument("--db", required=True, help="database")
    else:
        parser.add_argument("--db", default=db, help=f"database (default {db})")
    parser.add_argument(
        "-c", "--config", default=str(REPO / "odoo.conf"), help="Odoo configuration file"
    )
    parser.add_argument("--seed", type=int, default=seed)
    if orders is not ABSENT:
        parser.add_argument(
            "--orders", type=int, default=orders, help=orders_help or "orders wanted (generated)"
        )
    if rounds is not ABSENT:
        parser.add_argument("--rounds", type=int, default=rounds)
    return parser


# --------------------------------------------------------------------------- Odoo


def configure(args, *options):
    """Odoo's configuration for ``args.db``: the ``--config`` file, read from the
    repository (its paths are relative to it), or without one the repository's addons;
    ``args.addons_path`` (when the script has that option) overrides the addons path."""
    odoo_args = ["-d", args.db, f"--db-filter=^{args.db}$"]
    conf = getattr(args, "config", None)
    if conf and Path(conf).is_file():
        odoo_args = ["-c", str(Path(conf).resolve()), *odoo_args]
        os.chdir(REPO)
    elif not getattr(args, "addons_path", None) and (REPO / "addons").is_dir():
        odoo_args.append(f"--addons-path={REPO / 'addons'}")
    if getattr(args, "addons_path", None):
        odoo_args.append(f"--addons-path={args.addons_path}")
    config.parse_config([*odoo_args, *options])


@contextmanager
def open_env(args, context=None):
    """A superuser environment on a cursor of ``args.db`` (configured first, once)."""
    if config["db_name"] != [args.db]:
        configure(args)
    registry = odoo.modules.registry.Registry(args.db)
    with registry.cursor() as cr:
        yield api.Environment(cr, SUPERUSER_ID, dict(context or {}))


def connect(db):
    """A plain connection to ``db`` (outside the ORM), None when it does not exist."""
    try:
        return psycopg2.connect(**odoo.sql_db.connection_info_for(db)[1])
    except psycopg2.OperationalError:
        return None


def installed(db, modules):
    """Whether every one of ``modules`` is installed in ``db``."""
    cnx = connect(db)
    if cnx is None:
        return False
    try:
        with cnx.cursor() as cr:
            cr.execute(
                "SELECT count(*) FROM ir_module_module WHERE state = 'installed' AND name IN %s",
                [tuple(modules)],
            )
            return cr.fetchone()[0] == len(modules)
    except psycopg2.Error:
        return False  # not an Odoo database
    finally:
        cnx.close()


def odoo_command(args, *options):
    """odoo-bin with the benchmark's configuration on its database."""
    return [
        sys.executable,
        str(ODOO_BIN),
        "-c",
        args.config,
        "-d",
        args.db,
        f"--db-filter=^{args.db}$",
        *options,
    ]


def run(command, **kwargs):
    print("$ " + " ".join(str(part) for part in command), flush=True)
    subprocess.run(command, check=True, cwd=REPO, **kwargs)


def install(args, modules):
    """Install ``modules`` (without demo data) in ``args.db`` unless they are; the
    database is created when missing."""
    configure(args)
    if not installed(args.db, modules):
        print(f"installing {', '.join(modules)} in {args.db} (a few minutes)", flush=True)
        run(
            odoo_command(
                args,
                "-i",
                ",".join(modules),
                "--without-demo",
                "--stop-after-init",
                "--log-level=warn",
            )
        )


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(args, name, *options, ready_path="/web/health", env=None, new_session=False):
    """A real Odoo on ``args.db``, on a free local port, with ``options`` (workers, cron
    threads, ...): ``(process, base URL)`` once ``ready_path`` answers 200. Its output goes
    to .data/bench-<name>-server.log. ``env``: its environment; ``new_session``: in a
    process group of its own (to be killed with its workers)."""
    port = free_port()
    (REPO / ".data").mkdir(exist_ok=True)
    log_path = REPO / ".data" / f"bench-{name}-server.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            odoo_command(
                args,
                "--http-interface=127.0.0.1",
                f"--http-port={port}",
                "--log-level=warn",
                *options,
            ),
            cwd=REPO,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=new_session,
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(
                f"error: Odoo stopped (exit code {process.returncode}); "
                f"see {log_path.relative_to(REPO)}"
            )
        try:
            if requests.get(f"{base}{ready_path}", timeout=60).status_code == 200:
                return process, base
        except requests.RequestException:
            pass
        time.sleep(0.5)
    process.terminate()
    raise SystemExit(f"error: Odoo did not start; see {log_path.relative_to(REPO)}")


def stop_server(process):
    process.terminate()
    process.wait(timeout=60)


# --------------------------------------------------------------------------- data


def generate_orders(env, wanted, seed, domain=(), **options):
    """``bench/generate``'s data set until the database holds ``wanted`` orders matching
    ``domain``: ``wanted`` less those orders are generated (every state, committed).
    Returns how many were generated."""
    count = env["sale.order"].search_count(list(domain))
    if not wanted or count >= wanted:
        return 0
    import generate

    generate.generate(env, wanted - count, seed, commit=True, **options)
    return wanted - count


def analyze(cr, tables=(), *, only_without_autovacuum=False):
    """Fresh planner statistics, outside the timings: some machines run PostgreSQL with
    autovacuum off, and both paths must plan on the data as it is. The whole database
    without ``tables``; with ``only_without_autovacuum``, only when autovacuum is off."""
    if only_without_autovacuum:
        cr.execute("SHOW autovacuum")
        if cr.fetchone()[0] != "off":
            return
    if not tables:
        cr.execute(SQL("ANALYZE"))
    for table in tables:
        cr.execute(SQL("ANALYZE %s", SQL.identifier(table)))


# --------------------------------------------------------------------------- timing


def timed(func, *args, **kwargs):
    """``(seconds, result)`` of one call."""
    start = time.perf_counter()
    result = func(*args, **kwargs)
    return time.perf_counter() - start, result


def alternate(paths, rounds, *, around=None, swap=False, report=None):
    """Each of ``paths`` (name: function without arguments) once per round, in turn, for
    ``rounds`` rounds; with ``swap``, every other round in the reverse order.
    ``around(name)``, when given, is a context manager entered before the timer starts
    and left after it stops (a savepoint rolled back, caches cleared, ...);
    ``report(round_no, name, seconds, result)`` is called after each run (round_no from 1).
    Returns ``({name: [seconds of each round]}, {name: result of its last run})``."""
    times = {name: [] for name in paths}
    results = {}
    for round_no in range(1, rounds + 1):
        names = list(paths)
        if swap and round_no % 2 == 0:
            names.reverse()
        for name in names:
            with around(name) if around else nullcontext():
                elapsed, results[name] = timed(paths[name])
            times[name].append(elapsed)
            if report:
                report(round_no, name, elapsed, results[name])
    return times, results


@contextmanager
def cleared(env):
    """The ORM's cache emptied before the run: each path reads from the database."""
    env.invalidate_all()
    yield


@contextmanager
def rolled_back(env, name="bench"):
    """A savepoint rolled back after the run: every round starts from the same state."""
    env.cr.execute(SQL("SAVEPOINT %s", SQL.identifier(name)))
    try:
        yield
    finally:
        env.cr.execute(SQL("ROLLBACK TO SAVEPOINT %s", SQL.identifier(name)))
        env.invalidate_all()


def medians(values):
    """The median of each list of ``{name: [value, ...]}``."""
    return {name: statistics.median(items) for name, items in values.items()}


def print_ratio(baseline, figures):
    """The last line of a benchmark: ``ratio ours/<baseline>: <figures>``."""
    print(f"ratio ours/{baseline}: {figures}", flush=True)
