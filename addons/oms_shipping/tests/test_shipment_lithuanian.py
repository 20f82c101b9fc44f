"""A Lithuanian user: the late-shipment activity and the order's exception reason are in
Lithuanian, shipment status included (the selection's label in the user's language)."""

from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.addons.oms_extended.tests.test_automation import no_commit
from odoo.tests import tagged

from .common_shipment import ShipmentCase, event, make_order


@tagged("post_install", "-at_install")
class TestShipmentLithuanian(ShipmentCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("lt_LT")
        cls.env["ir.module.module"]._load_module_terms(["oms_shipping"], ["lt_LT"], overwrite=True)
        cls.lt_env = cls.env(context=dict(cls.env.context, lang="lt_LT"))

    def test_late_shipment_activity_in_lithuanian(self):
        promised = fields.Datetime.now() - timedelta(days=1)
        order = make_order(self, tracking="LT1000", validate=True, commitment_date=promised)
        with patch.object(type(self.env["ir.cron"]), "_commit_progress", no_commit):
            self.lt_env["oms.shipment"]._cron_oms_alert_late_shipments()
        late = order.activity_ids.filtered(lambda a: a.summary == "Siunta vėluoja")
        self.assertEqual(len(late), 1)
        self.assertIn("nepristatyta (būsena: Etiketė sukurta)", str(late.note))

    def test_exception_reason_in_lithuanian(self):
        order = make_order(self, tracking="LT1100", validate=True)
        self.lt_env["oms.shipment.event"].sudo()._oms_ingest(
            self.carrier,
            [event("LT1100", "exception", "2026-03-01T10:00:00Z", description="Dūžta")],
        )
        self.assertEqual(order.oms_exception_type, "shipment")
        self.assertIn("(LT1100): Išimtis. Dūžta", order.oms_exception_reason)
