"""``.venv/bin/python bench/generate --db NAME --orders N --seed S`` (see the package's
docstring, or ``--help``)."""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
# Run as a folder, its modules are not top-level modules: bench/ is on the path instead,
# for `common` and the `generate` package.
sys.path[:] = [path for path in sys.path if Path(path or ".").resolve() != HERE]
if str(HERE.parent) not in sys.path:
    sys.path.insert(0, str(HERE.parent))

import common  # noqa: E402, F401  (finds Odoo before the package imports it)

from generate.cli import main  # noqa: E402

sys.exit(main())
