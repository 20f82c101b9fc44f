from odoo import fields, models


class OmsDocumentLogCheck(models.TransientModel):
    """Verifies the SHA-256 chain of the document access log and says what is wrong."""

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
        Log = self.env["oms.document.log"]
        # sudo: the check reads the whole chain, not only the entries the manager may read
        report = Log.sudo()._oms_check_chain()
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
        broken = bool(lines)
        if not broken:
            lines.append(self.env._("The chain is intact."))
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
