"""The OMS addons install as OCA addons do: one wheel per addon, built by `make wheels`
(whool), installed into a fresh virtualenv, and Odoo installs the addons from there into a
fresh database, with no addons path pointing at this checkout.

The fresh virtualenv gets only the wheels, with pip's --no-deps: what they require is not
all on PyPI here (Odoo 19 itself is not). Odoo and the Python packages it and the OCA
addons need are found through one .pth line that adds the project's .venv site-packages
(which holds Odoo's requirements, the OCA addons from PyPI, and a .pth to Odoo's checkout),
as a user's environment with Odoo installed would provide them. Odoo runs without
odoo.conf, whose addons_path is the checkout's addons/.
"""

import ast
import subprocess
import sys
import sysconfig
import tempfile
import unittest
import venv
import zipfile
from pathlib import Path

import psycopg2

import odoo

REPO = Path(__file__).resolve().parent.parent
ODOO_BIN = next(
    path.parent / "odoo-bin"
    for path in map(Path, odoo.__path__)
    if (path.parent / "odoo-bin").is_file()
)
DB = "oms_test_wheels"
ADDONS = sorted(p.parent.name for p in REPO.glob("addons/oms_*/__manifest__.py"))
# The app and every addon it installs; the bridges auto-install where their two sides are.
INSTALL = "oms_suite"
# The bridges that auto-install with the suite (their other side is in Odoo or the suite).
BRIDGES = (
    "oms_audit_mobile_api",
    "oms_customer_lifecycle_mobile_api",
    "oms_customer_lifecycle_stock_delivery",
)


def _manifest(addon):
    return ast.literal_eval((REPO / "addons" / addon / "__manifest__.py").read_text())


def _manifest_version(addon):
    return _manifest(addon)["version"]


SUITE = (INSTALL, *_manifest(INSTALL)["depends"], *BRIDGES)


class TestWheels(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tmp = tempfile.TemporaryDirectory(prefix="oms-wheels-")
        tmp = Path(cls.tmp.name)
        cls.dist = tmp / "dist"
        subprocess.run(
            ["bash", str(REPO / ".ci" / "oms"), "wheels", str(cls.dist)],
            cwd=REPO,
            check=True,
            timeout=600,
        )
        cls.venv = tmp / "venv"
        venv.EnvBuilder(with_pip=True).create(cls.venv)
        cls.python = cls.venv / "bin" / "python"
        purelib = subprocess.run(
            [cls.python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        # Odoo, its requirements and the OCA addons: the project's environment (see above).
        Path(purelib, "oms_odoo_env.pth").write_text(
            f"import site; site.addsitedir({sysconfig.get_paths()['purelib']!r})\n"
        )
        subprocess.run(
            [
                cls.python,
                *("-m", "pip", "install", "-q", "--no-deps", "--no-index"),
                *sorted(map(str, cls.dist.glob("*.whl"))),
            ],
            check=True,
            timeout=600,
        )
        cls.conf = tmp / "odoo.conf"
        # No addons_path: Odoo's own addons and those installed in the environment only.
        cls.conf.write_text(
            "[options]\n"
            f"data_dir = {tmp / 'data'}\n"
            "oms_audit_chain_key = test-only-oms-audit-chain-key-0123456789abcdef\n"
        )
        subprocess.run(["dropdb", "--if-exists", DB], check=True)
        cls.install = subprocess.run(
            [
                cls.python,
                ODOO_BIN,
                "-c",
                cls.conf,
                "-d",
                DB,
                f"--db-filter=^{DB}$",
                "-i",
                INSTALL,
                "--without-demo",
                "--stop-after-init",
                "--log-level=warn",
            ],
            capture_output=True,
            text=True,
            timeout=1500,
            check=False,
        )

    @classmethod
    def tearDownClass(cls):
        subprocess.run(["dropdb", "--if-exists", DB], check=False)
        cls.tmp.cleanup()
        super().tearDownClass()

    def test_one_wheel_per_addon_named_and_versioned_as_oca(self):
        wheels = {w.name for w in self.dist.glob("*.whl")}
        expected = {
            f"odoo_addon_{addon}-{_manifest_version(addon)}-py3-none-any.whl" for addon in ADDONS
        }
        self.assertEqual(wheels, expected)

    def test_wheels_declare_the_manifest_depends(self):
        wheel = next(self.dist.glob("odoo_addon_oms_reports-*.whl"))
        with zipfile.ZipFile(wheel) as archive:
            name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
            metadata = archive.read(name).decode()
            self.assertIn("odoo/addons/oms_reports/__manifest__.py", archive.namelist())
        requires = {
            line.split(":", 1)[1].strip()
            for line in metadata.splitlines()
            if line.startswith("Requires-Dist:")
        }
        self.assertTrue(
            {
                "odoo-addon-oms_extended==19.0.*",
                "odoo-addon-report_xlsx==19.0.*",
                "odoo-addon-product_brand==19.0.*",
                "odoo==19.0.*",
            }
            <= requires,
            requires,
        )

    def test_odoo_finds_the_addons_in_the_virtualenv(self):
        where = subprocess.run(
            [
                self.python,
                "-c",
                "from odoo.modules.module import get_module_path as p; "
                "print(p('oms_extended')); print(p('oms_suite'))",
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()
        for path in where:
            self.assertTrue(Path(path).is_relative_to(self.venv), path)
            self.assertFalse(Path(path).is_relative_to(REPO), path)

    def test_the_addons_install_from_the_wheels(self):
        self.assertEqual(self.install.returncode, 0, self.install.stderr[-5000:])
        errors = [
            line
            for line in self.install.stderr.splitlines()
            if " ERROR " in line or " CRITICAL " in line
        ]
        self.assertEqual(errors, [])
        with psycopg2.connect(dbname=DB) as conn, conn.cursor() as cr:
            cr.execute(
                "SELECT name FROM ir_module_module WHERE state = 'installed' AND name LIKE 'oms_%'"
            )
            installed = {name for (name,) in cr.fetchall()}
        conn.close()
        self.assertEqual(installed, set(SUITE))


if __name__ == "__main__":
    sys.exit(unittest.main())
