from unittest.mock import patch

from odoo.addons.oms_extended.tests.common import OmsOrderCommon
from odoo.tests import new_test_user
from odoo.tools import config

# The chain's key in tests (the server's odoo.conf has a development value of its own).
TEST_CHAIN_KEY = "test-only-key-of-the-oms-audit-chain-0123456789"


class OmsAuditCommon(OmsOrderCommon):
    """Orders to audit, the users concerned, and helpers to read their log."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.startClassPatcher(patch.dict(config.options, {"oms_audit_chain_key": TEST_CHAIN_KEY}))
        cls.Log = cls.env["oms.document.log"]
        # plain Odoo staff, in no OMS group
        cls.salesperson = new_test_user(
            cls.env, login="audit_salesperson", groups="sales_team.group_sale_salesman"
        )
        cls.storekeeper = new_test_user(
            cls.env, login="audit_storekeeper", groups="stock.group_stock_user"
        )
        cls.billing_user = new_test_user(
            cls.env, login="audit_billing", groups="account.group_account_invoice"
        )
        cls.system_admin = new_test_user(
            cls.env, login="audit_system_admin", groups="base.group_user,base.group_system"
        )
        for user in cls.salesperson | cls.storekeeper | cls.billing_user | cls.system_admin:
            assert not user.has_group("oms_extended.group_oms_user"), user.login
        # the log's details are asserted in English, whatever the database's default language
        cls.env["res.lang"]._activate_lang("en_US")
        cls.env["res.users"].with_context(active_test=False).search(
            [("share", "=", False)]
        ).lang = "en_US"
        # The class set-up's own documents (e.g. SaleCommon's quotations) are not under
        # test: forget their pending log, so each test's commit logs only its own.
        cls.env.cr.postcommit.clear()

    def _commit_log(self):
        """What a commit does for the log: flush, then the pre-commit hooks, which write
        the create, change and stage entries in the transaction."""
        self.env.flush_all()
        self.env.cr.flush()

    def _entries(self, record, action=None):
        domain = [("res_model", "=", record._name), ("res_id", "in", record.ids)]
        if action:
            domain.append(("action", "=", action))
        return self.Log.sudo().search(domain, order="id")
