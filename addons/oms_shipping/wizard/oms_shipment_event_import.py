import base64
import csv
import io

from odoo import fields, models
from odoo.exceptions import UserError, ValidationError

COLUMNS = (
    "tracking_number",
    "status",
    "time",
    "description",
    "location",
    "event_id",
    "code",
    "estimated_delivery",
)


class OmsShipmentEventImport(models.TransientModel):
    """Tracking events of a carrier without an API, from a CSV file."""

    _name = "oms.shipment.event.import"
    _description = "Import Tracking Events"

    carrier_id = fields.Many2one("delivery.carrier", string="Carrier", required=True)
    file = fields.Binary(string="CSV File", required=True)
    filename = fields.Char()
    delimiter = fields.Selection([(",", "Comma"), (";", "Semicolon")], default=",", required=True)
    result = fields.Text(readonly=True)

    def _oms_read_rows(self):
        self.ensure_one()
        try:
            text = base64.b64decode(self.file).decode("utf-8-sig")
        except (ValueError, UnicodeDecodeError) as error:
            raise UserError(self.env._("The file is not a UTF-8 CSV file.")) from error
        reader = csv.DictReader(io.StringIO(text), delimiter=self.delimiter)
        header = [name.strip() for name in reader.fieldnames or []]
        if "tracking_number" not in header:
            raise UserError(
                self.env._(
                    "The CSV file needs a header line with at least tracking_number; columns: "
                    "%(columns)s.",
                    columns=", ".join(COLUMNS),
                )
            )
        rows = []
        for row in reader:
            clean = {
                (key or "").strip(): (value or "").strip()
                for key, value in row.items()
                if (key or "").strip() in COLUMNS
            }
            if any(clean.values()):
                rows.append({key: value for key, value in clean.items() if value})
        if not rows:
            raise UserError(self.env._("The CSV file holds no event."))
        return rows

    def action_import(self):
        self.ensure_one()
        rows = self._oms_read_rows()
        Event = self.env["oms.shipment.event"]
        for line, row in enumerate(rows, start=2):
            try:
                Event._oms_prepare_event(self.carrier_id, row, "import")
            except ValidationError as error:
                raise UserError(
                    self.env._("Line %(line)s: %(error)s", line=line, error=error.args[0])
                ) from error
        result = Event._oms_ingest(self.carrier_id, rows, source="import")
        self.result = self.env._(
            "%(stored)s events stored, %(duplicates)s already known, %(unmatched)s waiting "
            "for their tracking number.",
            **result,
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }
