"""A user sees the log of the documents they may read, and nothing else."""

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import OmsAuditCommon


@tagged("post_install", "-at_install")
class TestSecurity(OmsAuditCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # a salesperson who sees only their own orders
        cls.own_only = new_test_user(
            cls.env, login="audit_own_docs", groups="sales_team.group_sale_salesman"
        )
        cls.mine = cls._order([(cls.product, 1)], env=cls.env, user_id=cls.own_only.id)
        cls.theirs = cls._order([(cls.product, 1)], env=cls.env, user_id=cls.oms_user.id)

    def test_entries_of_unreadable_documents_are_hidden(self):
        self._commit_log()
        self.Log._oms_log_records(self.mine | self.theirs, "view")
        env = self.env(user=self.own_only)
        with self.assertRaises(AccessError):
            self.theirs.with_env(env).check_access("read")
        entries = env["oms.document.log"].search([("res_model", "=", "sale.order")])
        self.assertEqual(set(entries.mapped("res_id")), {self.mine.id})
        self.assertEqual(env["oms.document.log"].search_count([("res_id", "=", self.theirs.id)]), 0)
        # nor by id, nor grouped
        hidden = self._entries(self.theirs)
        self.assertTrue(hidden)
        with self.assertRaises(AccessError):
            hidden.with_env(env).read(["details"])
        groups = env["oms.document.log"]._read_group(
            [("res_model", "=", "sale.order")], ["res_id"], ["__count"]
        )
        self.assertEqual([res_id for res_id, _count in groups], [self.mine.id])
        stages = env["oms.document.stage"].search([("res_model", "=", "sale.order")])
        self.assertEqual(set(stages.mapped("res_id")), {self.mine.id})
        hidden_stages = self.env["oms.document.stage"].search([("res_id", "=", self.theirs.id)])
        self.assertTrue(hidden_stages)
        with self.assertRaises(AccessError):
            hidden_stages.with_env(env).read(["stage"])

    def test_smart_button(self):
        self._commit_log()
        env = self.env(user=self.own_only)
        mine = self.mine.with_env(env)
        self.assertEqual(mine.oms_log_count, 1)  # its creation
        action = mine.action_oms_access_log()
        self.assertEqual(env["oms.document.log"].search(action["domain"]).res_id, mine.id)
        with self.assertRaises(AccessError):
            self.theirs.with_env(env).action_oms_access_log()
        self.assertTrue(mine.action_oms_stage_progress()["domain"])

    def test_portal_user_sees_no_log(self):
        portal = new_test_user(self.env, login="audit_portal", groups="base.group_portal")
        with self.assertRaises(AccessError):
            self.env["oms.document.log"].with_user(portal).search([])
