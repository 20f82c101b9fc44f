"""A Lithuanian buyer gets the stock-at-risk digest in Lithuanian."""

from unittest.mock import patch

from odoo.addons.oms_extended.tests.test_automation import no_commit
from odoo.tests import tagged

from .test_reorder import ReorderCommon


@tagged("post_install", "-at_install")
class TestReorderLithuanian(ReorderCommon):
    def test_digest_in_the_buyers_language(self):
        self.env["res.lang"]._activate_lang("lt_LT")
        self.env["ir.module.module"]._load_module_terms(
            ["oms_replenishment"], ["lt_LT"], overwrite=True
        )
        self.buyer.lang = "lt_LT"
        policy = self._policy(digest=True, user_id=self.buyer.id)
        self._run(policy)
        with patch.object(type(self.env["ir.cron"]), "_commit_progress", no_commit):
            self.env["oms.reorder.policy"]._cron_oms_stock_digest()
        mail = self.env["mail.mail"].search(
            [("model", "=", "oms.reorder.policy"), ("res_id", "=", policy.id)]
        )
        self.assertEqual(len(mail), 1)
        self.assertTrue(mail.subject.startswith("Atsargų trūkumo rizika: "), mail.subject)
        body = str(mail.body_html)
        self.assertIn("Produktai, kurių atsargoms gresia pasibaigti sandėlyje", body)
        self.assertIn("<th>Dienų iki atsargų pabaigos</th>", body)
        self.assertIn(self.product.name, body)
