#!/usr/bin/env python3
"""Build each OMS addon's README.rst from its readme/ fragments, in OCA's layout.

OCA's own generator (``oca-gen-addon-readme`` of oca/maintainer-tools) is not on PyPI; this
script writes the same layout: the title (the manifest's name), the badges line with the
licence, DESCRIPTION, the table of contents, Configuration (CONFIGURE.md), Usage (USAGE.md),
Changelog (HISTORY.md, when there is one), Bug Tracker, Credits (Authors from the manifest,
Contributors from CONTRIBUTORS.md, Other credits from CREDITS.md when there is one).

The Markdown fragments are parsed with markdown-it-py (CommonMark and tables) and written
as reStructuredText; the result is checked with docutils (an error stops the script).

    .ci/gen_readme.py                 # (re)write addons/*/README.rst
    .ci/gen_readme.py --check         # exit 1 and name each README.rst that is out of date
    .ci/gen_readme.py oms_shipping    # some addons only
"""

import argparse
import ast
import hashlib
import re
import sys
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

ROOT = Path(__file__).resolve().parent.parent
ADDONS = ROOT / "addons"
# heading underlines, from the sections of the README (Usage, Credits...) down
UNDERLINES = ["=", "-", "~", "^", '"']
LICENSES = {
    "LGPL-3": ("LGPL--3", "http://www.gnu.org/licenses/lgpl-3.0-standalone.html"),
    "AGPL-3": ("AGPL--3", "http://www.gnu.org/licenses/agpl-3.0-standalone.html"),
    "GPL-3": ("GPL--3", "http://www.gnu.org/licenses/gpl-3.0-standalone.html"),
}
MATURITY = {
    "Alpha": "red",
    "Beta": "yellow",
    "Production/Stable": "green",
    "Mature": "brightgreen",
}
# a character before an inline markup start-string / after its end-string (docutils' rules)
BEFORE_OK = set(" \n\t-:/'\"<([{")
AFTER_OK = set(" \n\t-.,:;!?\\/'\")]}>")
FRAGMENTS = (
    "DESCRIPTION",
    "CONFIGURE",
    "USAGE",
    "HISTORY",
    "CONTRIBUTORS",
    "CREDITS",
)


def escape(text):
    return re.sub(r"([\\*`|_])", r"\\\1", text)


class Rst:
    """reStructuredText of a Markdown fragment (the syntax tree of markdown-it-py)."""

    def __init__(self, shift):
        self.shift = shift  # Markdown's heading level that becomes UNDERLINES[0]

    # inline ---------------------------------------------------------------------------
    def pieces(self, node, plain=False):
        """(is_markup, text) pieces of an inline node's children."""
        out = []
        for child in node.children:
            handler = getattr(self, f"piece_{child.type}", self.piece_text)
            out.append(handler(child, plain))
        return out

    def plain_text(self, node):
        return "".join(text for __, text in self.pieces(node, plain=True))

    def piece_text(self, node, plain):  # text, html_inline and the like
        return (False, node.content if plain else escape(node.content))

    def piece_softbreak(self, node, plain):
        return (False, "\n")

    piece_hardbreak = piece_softbreak

    def piece_code_inline(self, node, plain):
        return (False, node.content) if plain else (True, f"``{node.content}``")

    def piece_strong(self, node, plain, mark="**"):
        text = self.plain_text(node).strip()  # reStructuredText does not nest inline markup
        return (False, text) if plain else (True, f"{mark}{escape(text)}{mark}")

    def piece_em(self, node, plain):
        return self.piece_strong(node, plain, mark="*")

    def piece_link(self, node, plain):
        text = self.plain_text(node)
        href = node.attrs.get("href", "")
        if plain:
            return (False, text)
        if text == href:
            return (True, f"`<{href}>`__")
        label = escape(text).replace("<", r"\<")
        return (True, f"`{label} <{href}>`__")

    def piece_image(self, node, plain):
        alt = self.plain_text(node)
        return (False, alt if plain else escape(alt))

    def inline(self, node):
        result = ""
        pieces = self.pieces(node)
        for index, (markup, text) in enumerate(pieces):
            if markup:
                if result and result[-1] not in BEFORE_OK:
                    result += "\\ "
                result += text
                after = pieces[index + 1][1] if index + 1 < len(pieces) else ""
                if after and after[0] not in AFTER_OK:
                    result += "\\ "
            else:
                result += text
        return result.strip()

    # blocks ---------------------------------------------------------------------------
    def blocks(self, nodes):
        return "\n\n".join(filter(None, (self.block(node) for node in nodes)))

    def block(self, node):
        handler = getattr(self, f"block_{node.type}", None)
        if handler is None:
            raise ValueError(f"unsupported Markdown block: {node.type}")
        return handler(node)

    def block_heading(self, node):
        level = int(node.tag[1:]) - self.shift
        char = UNDERLINES[min(max(level, 0), len(UNDERLINES) - 1)]
        text = self.inline(node.children[0])
        return f"{text}\n{char * len(text)}"

    def block_paragraph(self, node):
        return self.inline(node.children[0])

    def block_bullet_list(self, node):
        return self.items(node, lambda __: "-")

    def block_ordered_list(self, node):
        start = int(node.attrs.get("start", 1))
        return self.items(node, lambda index: f"{start + index}.")

    def block_fence(self, node):
        info = (node.info or "").strip().split(" ")[0] if node.type == "fence" else ""
        head = f".. code-block:: {info}" if info else "::"
        body = indent(node.content.rstrip("\n"), "    ")
        return f"{head}\n\n{body}"

    block_code_block = block_fence

    def block_blockquote(self, node):
        return indent(self.blocks(node.children), "    ")

    def block_hr(self, node):
        return "----"

    def block_html_block(self, node):
        return f".. raw:: html\n\n{indent(node.content.rstrip(), '    ')}"

    def items(self, node, marker):
        out = []
        for index, item in enumerate(node.children):
            mark = marker(index)
            body = self.blocks(item.children) or "\\"
            pad = " " * (len(mark) + 1)
            lines = body.split("\n")
            text = "\n".join(
                [f"{mark} {lines[0]}"] + [pad + line if line else "" for line in lines[1:]]
            )
            out.append(text)
        # items made of several blocks need a blank line between them
        tight = all("\n\n" not in text for text in out)
        return ("\n" if tight else "\n\n").join(out)

    def block_table(self, node):
        rows = []
        header = 0
        for section in node.children:  # thead, tbody
            for row in section.children:
                rows.append(
                    [
                        self.inline(cell.children[0]) if cell.children else ""
                        for cell in row.children
                    ]
                )
                if section.type == "thead":
                    header += 1
        out = [".. list-table::", f"   :header-rows: {header}", ""]
        for row in rows:
            for index, cell in enumerate(row):
                lines = (cell or "\\").split("\n")
                out.append(("   * - " if index == 0 else "     - ") + lines[0])
                out.extend("       " + line for line in lines[1:])
        return "\n".join(out)


def indent(text, pad):
    return "\n".join(pad + line if line else "" for line in text.split("\n"))


def markdown(text, shift):
    parser = MarkdownIt("commonmark").enable("table")
    tree = SyntaxTreeNode(parser.parse(text))
    return Rst(shift).blocks(tree.children)


def manifest_of(addon):
    return ast.literal_eval((addon / "__manifest__.py").read_text())


def fragments_of(addon):
    readme = addon / "readme"
    found = {}
    for name in FRAGMENTS:
        for suffix in (".md", ".rst"):
            path = readme / f"{name}{suffix}"
            if path.exists():
                found[name] = (path.read_text(), suffix)
                break
    return found


def section(fragments, name, title, shift=1):
    if name not in fragments:
        return ""
    text, suffix = fragments[name]
    body = markdown(text, shift) if suffix == ".md" else text.strip()
    return f"{title}\n{'=' * len(title)}\n\n{body}\n\n" if title else f"{body}\n\n"


def render(addon):
    manifest = manifest_of(addon)
    fragments = fragments_of(addon)
    digest = hashlib.sha256()
    for name in sorted(fragments):
        digest.update(fragments[name][0].encode())
    digest.update(repr(sorted(manifest.items(), key=lambda kv: kv[0])).encode())
    name = manifest["name"]
    bar = "=" * len(name)
    license_ = manifest.get("license", "LGPL-3")
    badges, targets = [], []
    status = manifest.get("development_status")
    if status in MATURITY:
        badges.append("|maturity|")
        label = status.replace("/", "%2F").replace("-", "--")
        targets.append(
            ".. |maturity| image:: https://img.shields.io/badge/maturity-"
            f"{label}-{MATURITY[status]}.png\n"
            "    :target: https://odoo-community.org/page/development-status\n"
            f"    :alt: {status}"
        )
    badge, url = LICENSES.get(license_, (license_.replace("-", "--"), ""))
    badges.append("|license|")
    targets.append(
        f".. |license| image:: https://img.shields.io/badge/licence-{badge}-blue.png\n"
        + (f"    :target: {url}\n" if url else "")
        + f"    :alt: License: {license_}"
    )
    out = (
        f"{bar}\n{name}\n{bar}\n\n"
        "..\n"
        "   !! This file is generated by .ci/gen_readme.py (OCA's layout) !!\n"
        "   !! changes will be overwritten: edit the readme/ fragments instead. !!\n"
        f"   !! source digest: sha256:{digest.hexdigest()} !!\n\n"
        + "\n".join(targets)
        + "\n\n"
        + " ".join(badges)
        + "\n\n"
    )
    if manifest.get("summary"):
        out += f"*{escape(manifest['summary'])}*\n\n"
    out += section(fragments, "DESCRIPTION", "", shift=2)
    out += "**Table of contents**\n\n.. contents::\n   :local:\n\n"
    out += section(fragments, "CONFIGURE", "Configuration")
    out += section(fragments, "USAGE", "Usage")
    out += section(fragments, "HISTORY", "Changelog")
    out += (
        "Bug Tracker\n===========\n\n"
        "Bugs are tracked in the OMS project's issue tracker. In case of trouble, please check\n"
        "there if your issue has already been reported. If you spotted it first, help us\n"
        "to smash it by providing a detailed and welcomed feedback: the addon "
        f"(``{addon.name}``),\nits version, what you did, what you expected and what "
        "happened.\n\n"
    )
    out += "Credits\n=======\n\nAuthors\n-------\n\n"
    authors = [a.strip() for a in manifest.get("author", "").split(",") if a.strip()]
    out += "\n".join(f"- {escape(author)}" for author in authors) + "\n\n"
    for key, title in (("CONTRIBUTORS", "Contributors"), ("CREDITS", "Other credits")):
        if key in fragments:
            text, suffix = fragments[key]
            body = markdown(text, 1) if suffix == ".md" else text.strip()
            out += f"{title}\n{'-' * len(title)}\n\n{body}\n\n"
    out += (
        "Maintainers\n-----------\n\n"
        f"This module is part of the OMS addon suite (``addons/{addon.name}``), "
        f"version {manifest.get('version', '')},\nfor Odoo 19.0 Community.\n"
    )
    check_rst(out, addon)
    return out


def check_rst(text, addon):
    from docutils.core import publish_doctree
    from docutils.utils import SystemMessage

    try:
        publish_doctree(
            text,
            settings_overrides={
                "halt_level": 2,
                "report_level": 2,
                "warning_stream": False,
                "syntax_highlight": "none",
            },
        )
    except SystemMessage as error:
        raise SystemExit(f"{addon.name}: the README.rst would not be valid: {error}") from None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="fail when a README.rst is stale")
    parser.add_argument("addons", nargs="*", help="addon names (default: every addons/*)")
    args = parser.parse_args()
    addons = (
        [ADDONS / name for name in args.addons]
        if args.addons
        else sorted(p.parent for p in ADDONS.glob("*/__manifest__.py"))
    )
    stale = []
    for addon in addons:
        if not (addon / "readme").is_dir():
            stale.append(f"{addon.name}: no readme/ directory")
            continue
        text = render(addon)
        target = addon / "README.rst"
        current = target.read_text() if target.exists() else None
        if current == text:
            continue
        if args.check:
            stale.append(
                f"{addon.name}: README.rst is out of date with readme/ (run .ci/gen_readme.py)"
            )
        else:
            target.write_text(text)
            print(f"wrote {target.relative_to(ROOT)}")
    for line in stale:
        print(line, file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
