"""What the parts of the generator share: the context without mail, errors, money
rounding, progress reporting and the low-level SQL helpers (COPY, reserved ids and
document numbers)."""

import io
import time
from datetime import date, datetime
from pathlib import Path

from odoo.tools import SQL, float_round

REPO = Path(__file__).resolve().parents[2]

NO_MAIL_CTX = {
    "tracking_disable": True,
    "mail_notrack": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_auto_subscribe_no_notify": True,
    "no_reset_password": True,
}


BATCH_ORDERS = 10_000


class GenerationError(Exception):
    """Raised when the database is not suitable for the generation."""


class CheckError(Exception):
    """Raised when the self-check finds an inconsistency."""


def money(value):
    return float_round(value, precision_digits=2)


class Progress:
    def __init__(self, out=print):
        self.out = out
        self.start = time.monotonic()
        self.timings = {}
        self._phase = None
        self._phase_start = None

    def phase(self, name):
        self._close_phase()
        self._phase, self._phase_start = name, time.monotonic()

    def tick(self, count, unit="orders"):
        now = time.monotonic()
        spent = now - self._phase_start
        rate = count / spent if spent > 0 else 0.0
        self.out(
            f"[{self._phase}] {count:>9,} {unit} | {rate:>9,.0f}/s | "
            f"phase {spent:6.1f}s | elapsed {now - self.start:7.1f}s"
        )

    def _close_phase(self):
        if self._phase:
            self.timings[self._phase] = self.timings.get(self._phase, 0.0) + (
                time.monotonic() - self._phase_start
            )
            self._phase = None

    def finish(self):
        self._close_phase()
        self.timings["total"] = time.monotonic() - self.start
        return self.timings


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _fmt(value):
    kind = type(value)
    if value is None:
        return "\\N"
    if kind is bool:
        return "t" if value else "f"
    if kind is str:
        return value.translate(_COPY_ESCAPES)
    if kind is float:
        return repr(value)
    if kind is datetime or kind is date:
        return value.isoformat()
    return str(value)


def copy_rows(cr, table, columns, rows, constants=None):
    """COPY ``rows`` (tuples matching ``columns``) into ``table``.

    ``constants`` maps extra columns to one value shared by every row.
    Table and column names come from this module, never from user input.
    """
    constants = constants or {}
    tail = "".join("\t" + _fmt(v) for v in constants.values())
    buf = io.StringIO()
    write = buf.write
    for row in rows:
        write("\t".join([_fmt(v) for v in row]))
        write(tail)
        write("\n")
    buf.seek(0)
    cols = ", ".join(list(columns) + list(constants))
    # Foreign keys are correct by construction (ids come from the database or from
    # reserved sequences); skipping the per-row RI triggers makes COPY ~5x faster.
    if _can_skip_fk_triggers(cr):
        cr.execute("SET LOCAL session_replication_role = replica")
    cr._obj.copy_expert(f"COPY {table} ({cols}) FROM STDIN", buf)
    cr.execute("SET LOCAL session_replication_role = DEFAULT")


def _can_skip_fk_triggers(cr):
    cr.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    return cr.fetchone()[0]


def reserve_ids(cr, table, count):
    """Reserve ``count`` ids of ``table`` from its PostgreSQL sequence."""
    if not count:
        return []
    cr.execute(
        SQL(
            "SELECT nextval(%s) FROM generate_series(1, %s)",
            f"{table}_id_seq",
            count,
        )
    )
    return [row[0] for row in cr.fetchall()]


def reserve_sequence(sequence, count):
    """Reserve ``count`` numbers of an ir.sequence; return a name factory."""
    sequence = sequence.sudo()  # sudo: numbers reserved as Odoo's next_by_id() does
    start = sequence.number_next_actual
    sequence.write({"number_next_actual": start + count})
    prefix, suffix = sequence._get_prefix_suffix()
    padding = sequence.padding
    return lambda i: f"{prefix}{start + i:0{padding}d}{suffix}"


def _search_or_create(model, names, extra=None):
    existing = {rec.name: rec.id for rec in model.search([("name", "in", list(names))])}
    missing = [name for name in names if name not in existing]
    if missing:
        created = model.create([{"name": name, **(extra or {})} for name in missing])
        existing.update(zip(missing, created.ids, strict=True))
    return [existing[name] for name in names]


def _audit(uid, when):
    return {"create_uid": uid, "write_uid": uid, "create_date": when, "write_date": when}
