"""Private PostgreSQL clusters for the benchmarks that stop, crash or replicate the
database (bench/faults.py, bench/replica.py): made with ``initdb`` under /tmp and run with
``pg_ctl`` on a port of their own, so that the machine's PostgreSQL is never touched."""

import getpass
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import common

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))


def as_postgres(command, check=True):
    """Run a PostgreSQL tool as the ``postgres`` system user when we are root (initdb and
    postgres refuse to run as root)."""
    if os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    print("$ " + " ".join(map(str, command)), flush=True)
    return subprocess.run(command, check=check)


class Cluster:
    """A cluster in /tmp/<name> (the postgres system user must reach it: the repository
    may be private to root), listening on 127.0.0.1:``port`` with trust authentication."""

    def __init__(self, name, port):
        self.dir = Path(tempfile.gettempdir()) / name
        self.data = self.dir / "data"
        self.port = port

    def pg_ctl(self, action, *extra, check=True):
        return as_postgres(
            [
                PG_BIN / "pg_ctl",
                "-D",
                self.data,
                "-l",
                self.dir / "server.log",
                "-w",
                "-t",
                "120",
                "-o",
                f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=on",
                *extra,
                action,
            ],
            check=check,
        )

    def client_args(self):
        """How the PostgreSQL tools reach this cluster, as its superuser."""
        return ["-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres"]

    def _clear(self):
        if (self.data / "postmaster.pid").exists():
            as_postgres([PG_BIN / "pg_ctl", "-D", self.data, "stop", "-m", "fast"], check=False)
        shutil.rmtree(self.dir, ignore_errors=True)
        self.dir.mkdir(parents=True)
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")

    def create(self):
        """A new cluster, started, where the system user's role is a superuser (Odoo
        refuses to connect as "postgres")."""
        self._clear()
        as_postgres(
            [PG_BIN / "initdb", "-D", self.data, "-U", "postgres", "--auth=trust", "-E", "UTF8"]
        )
        self.start()
        role = getpass.getuser()
        if role != "postgres":
            as_postgres([PG_BIN / "createuser", *self.client_args(), "-s", role])
        return self

    def streaming_replica(self, name, port):
        """A hot standby of this cluster, made with ``pg_basebackup -R`` (it streams the
        primary's WAL from then on), started on ``port``."""
        replica = Cluster(name, port)
        replica._clear()
        as_postgres(
            [
                PG_BIN / "pg_basebackup",
                *self.client_args(),
                "-D",
                replica.data,
                "-R",
                "-X",
                "stream",
                "-c",
                "fast",
            ]
        )
        replica.start()
        return replica

    def start(self):
        self.pg_ctl("start")

    def stop(self, mode="fast"):
        self.pg_ctl("stop", "-m", mode, check=False)

    def restart(self, mode="fast"):
        self.pg_ctl("restart", "-m", mode)

    def query(self, sql, db="postgres", params=()):
        """The rows of ``sql`` on this cluster, on a connection of its own."""
        cnx = common.psycopg2.connect(host="127.0.0.1", port=self.port, dbname=db)
        try:
            cnx.autocommit = True
            with cnx.cursor() as cr:
                cr.execute(sql, params)
                return cr.fetchall() if cr.description else []
        finally:
            cnx.close()

    def copy_database(self, template, target):
        """``template`` of the machine's server copied into this cluster as ``target``,
        with its file store."""
        info = common.odoo.sql_db.connection_info_for(template)[1]
        source = ["-d", template]
        for option, flag in (("host", "-h"), ("port", "-p"), ("user", "-U")):
            if info.get(option):
                source += [flag, str(info[option])]
        dump = subprocess.Popen(["pg_dump", "-Fc", *source], stdout=subprocess.PIPE)
        as_postgres([PG_BIN / "createdb", *self.client_args(), target])
        restore = subprocess.run(
            ["pg_restore", *self.client_args(), "-d", target, "--no-owner"],
            stdin=dump.stdout,
            check=False,
        )
        dump.wait()
        if dump.returncode or restore.returncode:
            raise SystemExit("error: copying the template database failed")
        filestore = Path(common.config["data_dir"]) / "filestore"
        if (filestore / template).is_dir():
            shutil.rmtree(filestore / target, ignore_errors=True)
            shutil.copytree(filestore / template, filestore / target)

    def use(self):
        """From here on every connection, of this process and of the Odoo servers and
        tools it starts, goes to this cluster (libpq's defaults; odoo.conf sets no
        db_host)."""
        os.environ.update(PGHOST="127.0.0.1", PGPORT=str(self.port))
        os.environ.pop("PGUSER", None)
