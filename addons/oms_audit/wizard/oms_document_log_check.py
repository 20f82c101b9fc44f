from odoo import fields, models


class OmsDocumentLogCheck(models.TransientModel):
    """Verifies the keyed chain of the document access log and says what is wrong."""

    _name = "oms.document.log.check"
    _description = "Check the Document Access Log"

    state = fields.Selection(
        [("new", "New"), ("ok", "Intact"), ("broken", "Tampered")], default="new"
    )
    checked_count = fields.Integer("Entries Verified", readonly=True)
    pending_count = fields.Integer("Entries Not Sealed Yet", readonly=True)
    result = fields.Text(readonly=True)

    def action_check(self):
        self.ensure_one()
        # the check reads the whole chain with SQL (not only the entries the manager may
        # read): it shows only counts, positions and ids, and changes nothing
        report = self.env["oms.document.log"]._oms_check_chain()
        lines = self._oms_report_lines(report)
        broken = bool(lines)
        if not broken:
            lines.append(self.env._("The chain is intact."))
        if report["legacy"]:
            first, last, count = report["legacy"]
            lines.append(
                self.env._(
                    "%(count)s entries (chain positions %(first)s to %(last)s) were sealed "
                    "before the chain was keyed, with an unkeyed SHA-256: they are verified "
                    "with it, which someone with this code and write access to the database "
                    "could recompute. This number never grows.",
                    count=count,
                    first=first,
                    last=last,
                )
            )
        self.write(
            {
                "state": "broken" if broken else "ok",
                "checked_count": report["checked"],
                "pending_count": report["pending"],
                "result": "\n".join(lines),
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_seal(self):
        """Seal the entries waiting for the cron now, then check (the cron seals every
        minute; this is for an audit that cannot wait)."""
        self.ensure_one()
        # with SQL, as the cron: it writes the chain columns of every pending entry, adds
        # no entry and changes no logged value
        self.env["oms.document.log"]._oms_seal()
        return self.action_check()

    def _oms_report_lines(self, report):
        lines = []
        if report["changed"]:
            lines.append(
                self.env._(
                    "%(count)s entries no longer match their hash (changed, or forged and "
                    "inserted into the chain), ids: %(ids)s",
                    count=len(report["changed"]),
                    ids=", ".join(map(str, report["changed"])),
                )
            )
        for first, last in report["removed"]:
            lines.append(
                self.env._(
                    "Entries removed at chain positions %(first)s to %(last)s",
                    first=first,
                    last=last,
                )
            )
        if report["inserted"]:
            lines.append(
                self.env._(
                    "%(count)s unsealed entries are dated more than an hour before the last "
                    "sealed entry (inserted directly in the database), ids: %(ids)s",
                    count=len(report["inserted"]),
                    ids=", ".join(map(str, report["inserted"])),
                )
            )
        if report["head_forged"]:
            lines.append(
                self.env._(
                    "The chain's last position (parameter oms_audit.chain_head) was changed "
                    "without the key: entries at the end of the chain may have been removed."
                )
            )
        if report["anchor_forged"]:
            lines.append(
                self.env._(
                    "The last purge record, from which the chain is verified, was forged or "
                    "altered: entries at the start of the chain may have been removed."
                )
            )
        return lines
