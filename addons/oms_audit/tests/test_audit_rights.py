"""Who may change what is audited (Settings rights, and the change is logged), and who sees
the logins and IP addresses of the log (auditors: OMS managers)."""

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import OmsAuditCommon


@tagged("post_install", "-at_install")
class TestAuditRights(OmsAuditCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.config = cls.env.ref("oms_audit.oms_audit_model_sale_order")
        cls.order = cls._order([(cls.product, 1)], user_id=cls.salesperson.id)

    def _config_entries(self, config):
        return self.Log.sudo().search(
            [("res_model", "=", "oms.audit.model"), ("res_id", "=", config.id)], order="id"
        )

    def test_only_settings_rights_change_what_is_audited(self):
        for user in (self.oms_manager, self.oms_user, self.salesperson):
            config = self.config.with_user(user)
            self.assertEqual(config.model, "sale.order")  # they may read it
            with self.assertRaises(AccessError):
                config.write({"log_reads": False})
            with self.assertRaises(AccessError):
                config.unlink()
            with self.assertRaises(AccessError):
                self.env["oms.audit.model"].with_user(user).create(
                    {"model_id": self.env.ref("base.model_res_partner").id}
                )
        self.assertTrue(self.config.log_reads)
        self.assertFalse(self._config_entries(self.config))

    def test_changes_of_the_configuration_are_logged(self):
        config = self.config.with_user(self.system_admin)
        config.write({"log_list_reads": True, "log_reads": True})
        change = self._config_entries(self.config)
        self.assertEqual(change.action, "change")
        self.assertEqual(change.details, "Log List Views: No → Yes")
        self.assertEqual(change.user_id, self.system_admin)
        self.assertEqual(change.res_name, "sale.order")

        config.active = False
        self.assertIn("Active: Yes → No", self._config_entries(self.config)[-1].details)

        partner_config = (
            self.env["oms.audit.model"]
            .with_user(self.system_admin)
            .create({"model_id": self.env.ref("base.model_res_partner").id, "log_reads": False})
        )
        created = self._config_entries(partner_config)
        self.assertEqual(created.action, "create")
        self.assertIn("Model: res.partner", created.details)
        self.assertIn("Log Views and Downloads: No", created.details)
        partner_config_id = partner_config.id
        partner_config.unlink()
        deleted = self.Log.sudo().search(
            [
                ("res_model", "=", "oms.audit.model"),
                ("res_id", "=", partner_config_id),
                ("action", "=", "delete"),
            ]
        )
        self.assertEqual(deleted.user_id, self.system_admin)

        # auditors see these entries; other staff do not
        domain = [("res_model", "=", "oms.audit.model")]
        self.assertEqual(len(self.Log.with_user(self.oms_manager).search(domain)), 4)
        for user in (self.oms_user, self.salesperson, self.storekeeper, self.billing_user):
            self.assertFalse(self.Log.with_user(user).search(domain), user.login)

    def test_logins_and_addresses_are_for_auditors(self):
        self._commit_log()
        self.Log._oms_insert(
            [
                {
                    "res_model": "sale.order",
                    "res_id": self.order.id,
                    "res_name": self.order.name,
                    "action": "view",
                }
            ],
            channel="web",
            ip_address="203.0.113.7",
        )
        entry = self._entries(self.order, "view")
        for user in (self.salesperson, self.oms_user, self.billing_user, self.storekeeper):
            if not self.order.with_user(user).has_access("read"):
                continue
            log = entry.with_user(user)
            self.assertEqual(log.read(["action"])[0]["action"], "view", user.login)
            with self.assertRaises(AccessError, msg=user.login):
                log.read(["ip_address"])
            with self.assertRaises(AccessError, msg=user.login):
                log.read(["user_login"])
            values = log.search_read([("id", "=", entry.id)])[0]
            self.assertNotIn("ip_address", values)
            self.assertNotIn("user_login", values)
            self.assertNotIn("ip_address", self.Log.with_user(user).fields_get())
        # the salesperson owns the order: they see its entries, without addresses
        self.assertTrue(self.Log.with_user(self.salesperson).search([("id", "=", entry.id)]))
        manager_view = entry.with_user(self.oms_manager).read(["ip_address", "user_login"])[0]
        self.assertEqual(manager_view["ip_address"], "203.0.113.7")
        self.assertEqual(manager_view["user_login"], "__system__")
