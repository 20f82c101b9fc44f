"""The translation catalogues of the OMS addons: export and check.

    python .ci/i18n.py check-po [ADDON_DIR...]
        every addon with translatable terms ships i18n/<addon>.pot and a complete i18n/lt.po:
        no entry untranslated, fuzzy or obsolete, and the placeholders of each translation
        (%s, %(name)s, {name}, {{ name }}) are those of its English text.
    python .ci/i18n.py export CONFIG DATABASE [--check] [ADDON...]
        the .pot of each addon from the code and the database DATABASE (where the addons are
        installed and up to date); with --check nothing is written, and the command fails
        when a committed .pot differs from the exported one (dates aside).

Run by `make lint` (.ci/oms i18n) and by hand: `.ci/oms i18n-export` rewrites the .pot files.
"""

import argparse
import io
import re
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
ADDONS = ROOT / "addons"
LANGS = ("lt",)
# printf-style (%s, %(name)s, %d, %%), format-style ({name}, {0}) and QWeb/inline_template
# placeholders ({{ object.name }}), compared as multisets between msgid and msgstr.
PLACEHOLDER = re.compile(r"%(?:\([a-zA-Z0-9_]+\))?[sdfr%]|\{\{[^}]*\}\}|\{[a-zA-Z0-9_]*\}")
# Header lines that change at every export.
VOLATILE_HEADER = re.compile(r'^"(POT-Creation-Date|PO-Revision-Date): .*\\n"$', re.M)


def oms_addons(names=None):
    dirs = sorted(p for p in ADDONS.iterdir() if (p / "__manifest__.py").exists())
    if names:
        # addon names, or paths of addon folders (relative to the current folder or absolute)
        wanted = {Path(name).resolve().name if "/" in name else name for name in names}
        unknown = wanted - {p.name for p in dirs}
        if unknown:
            sys.exit(f"error: no OMS addon named {', '.join(sorted(unknown))}")
        dirs = [p for p in dirs if p.name in wanted]
    return dirs


def placeholders(text):
    return sorted(PLACEHOLDER.findall(text))


def check_catalogue(where, po_path, wanted):
    """The problems of one language's catalogue against the terms of the .pot."""
    if not po_path.exists():
        return [f"{where}: missing ({len(wanted)} terms to translate)"]
    problems, have = [], {}
    for entry in polib.pofile(str(po_path)):
        if entry.obsolete:
            problems.append(f"{where}: obsolete entry {entry.msgid[:60]!r}")
        else:
            have[(entry.msgctxt, entry.msgid)] = entry
    problems += [
        f"{where}: untranslated {k[1][:70]!r}" for k in sorted(wanted - set(have), key=str)
    ]
    problems += [
        f"{where}: not in the .pot any more {k[1][:70]!r}"
        for k in sorted(set(have) - wanted, key=str)
    ]
    for key in sorted(wanted & set(have), key=str):
        entry = have[key]
        if "fuzzy" in entry.flags:
            problems.append(f"{where}: fuzzy {entry.msgid[:70]!r}")
        elif not entry.msgstr.strip():
            problems.append(f"{where}: untranslated {entry.msgid[:70]!r}")
        elif placeholders(entry.msgid) != placeholders(entry.msgstr):
            problems.append(
                f"{where}: placeholders differ in {entry.msgid[:70]!r}: "
                f"{placeholders(entry.msgid)} != {placeholders(entry.msgstr)}"
            )
    return problems


def check_po(addon_dirs):
    problems = []
    for addon in addon_dirs:
        pot_path = addon / "i18n" / f"{addon.name}.pot"
        if not pot_path.exists():
            problems.append(f"{addon.name}: no i18n/{addon.name}.pot (run .ci/oms i18n-export)")
            continue
        wanted = {(e.msgctxt, e.msgid) for e in polib.pofile(str(pot_path)) if e.msgid}
        # every addon ships each language's catalogue, also with no term yet, so that the
        # first translatable string lands in a catalogue the check already watches
        for lang in LANGS:
            where = f"{addon.name}/i18n/{lang}.po"
            problems += check_catalogue(where, addon / "i18n" / f"{lang}.po", wanted)
    return problems


def export(config, database, names, check):
    import odoo
    from odoo.modules.registry import Registry
    from odoo.tools import config as odoo_config
    from odoo.tools.translate import trans_export

    odoo_config.parse_config(["-c", config, "-d", database, "--no-http", "--log-level=warn"])
    del odoo
    problems = []
    with Registry(database).cursor(readonly=True) as cr:
        from odoo.api import SUPERUSER_ID, Environment

        env = Environment(cr, SUPERUSER_ID, {})
        installed = set(
            env["ir.module.module"].search([("state", "=", "installed")]).mapped("name")
        )
        for addon in oms_addons(names):
            if addon.name not in installed:
                problems.append(f"{addon.name}: not installed in {database}, cannot export")
                continue
            buffer = io.BytesIO()
            trans_export(None, [addon.name], buffer, "po", env)
            text = buffer.getvalue().decode()
            path = addon / "i18n" / f"{addon.name}.pot"
            old = path.read_text() if path.exists() else ""
            if VOLATILE_HEADER.sub("", old) == VOLATILE_HEADER.sub("", text):
                continue
            if check:
                problems.append(
                    f"{addon.name}: i18n/{addon.name}.pot is out of date with the code "
                    "(run .ci/oms i18n-export, then translate the new terms in lt.po)"
                )
            else:
                path.parent.mkdir(exist_ok=True)
                path.write_text(text)
                print(f"wrote {path.relative_to(ROOT)}")
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    check_parser = sub.add_parser("check-po")
    check_parser.add_argument("addons", nargs="*")
    export_parser = sub.add_parser("export")
    export_parser.add_argument("config")
    export_parser.add_argument("database")
    export_parser.add_argument("--check", action="store_true")
    export_parser.add_argument("addons", nargs="*")
    args = parser.parse_args()
    if args.command == "check-po":
        problems = check_po(oms_addons(args.addons))
    else:
        problems = export(args.config, args.database, args.addons, args.check)
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    if problems:
        print(f"{len(problems)} translation problem(s)", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
