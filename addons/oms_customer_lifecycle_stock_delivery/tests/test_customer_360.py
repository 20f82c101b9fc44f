from lxml import etree

from odoo.addons.oms_extended.tests.common import OmsCommon
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestCustomer360Carrier(OmsCommon):
    def test_last_deliveries_show_their_carrier(self):
        partner = self.env["res.partner"].with_user(self.oms_user)
        arch = partner.get_view(self.env.ref("base.view_partner_form").id)["arch"]
        pickings = etree.fromstring(arch).xpath("//field[@name='oms_last_picking_ids']//list")
        self.assertEqual(len(pickings), 1)
        columns = [field.get("name") for field in pickings[0].iter("field")]
        self.assertEqual(
            columns, ["name", "date_done", "origin", "carrier_id", "carrier_tracking_ref"]
        )
