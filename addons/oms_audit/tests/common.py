from odoo.addons.oms_extended.tests.common import OmsOrderCommon
from odoo.tests import new_test_user


class OmsAuditCommon(OmsOrderCommon):
    """Orders to audit, and helpers to read their log."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Log = cls.env["oms.document.log"]
        # plain Odoo staff, in no OMS group
        cls.salesperson = new_test_user(
            cls.env, login="audit_salesperson", groups="sales_team.group_sale_salesman"
        )
        cls.storekeeper = new_test_user(
            cls.env, login="audit_storekeeper", groups="stock.group_stock_user"
        )
        for user in cls.salesperson | cls.storekeeper:
            assert not user.has_group("oms_extended.group_oms_user"), user.login
        # The class set-up's own documents (e.g. SaleCommon's quotations) are not under
        # test: forget their pending log, so each test's commit logs only its own.
        cls.env.cr.postcommit.clear()

    def _commit_log(self):
        """What a commit does for the log: flush, then the post-commit hook that writes the
        create, change and stage entries (in a cursor that wraps the test's)."""
        self.env.flush_all()
        self.env.cr.flush()
        with self.enter_registry_test_mode():
            self.env.cr.postcommit.run()

    def _entries(self, record, action=None):
        domain = [("res_model", "=", record._name), ("res_id", "in", record.ids)]
        if action:
            domain.append(("action", "=", action))
        return self.Log.sudo().search(domain, order="id")
