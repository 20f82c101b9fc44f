"""The log cannot be altered through the ORM, and the hash chain reveals what was altered
directly in the database."""

from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import OmsAuditCommon


@tagged("post_install", "-at_install")
class TestIntegrity(OmsAuditCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.orders = cls._order([(cls.product, 1)]) | cls._order([(cls.product, 2)])

    def _log_and_seal(self):
        self.Log._oms_log_records(self.orders, "view")
        self._commit_log()
        self.Log._oms_seal()
        entries = self._entries(self.orders)
        self.assertGreaterEqual(len(entries), 2)
        self.assertTrue(all(entries.mapped("hash")))
        return entries

    def _check(self):
        return self.Log._oms_check_chain()

    def test_no_one_alters_the_log_through_the_orm(self):
        entry = self._log_and_seal()[0]
        admin_env = self.env(user=self.env.ref("base.user_admin"))
        for env in (admin_env, self.env(user=self.env.ref("base.user_root")), self.env(su=True)):
            log = entry.with_env(env)
            with self.assertRaises(UserError):
                log.write({"details": "nothing happened"})
            with self.assertRaises(UserError):
                log.unlink()
            with self.assertRaises(UserError):
                env["oms.document.log"].create(
                    {"res_model": "sale.order", "res_id": 1, "action": "view", "channel": "web"}
                )
        # managers and users have no right to write either
        with self.assertRaises(AccessError):
            entry.with_user(self.oms_manager).check_access("write")
        purge = self.env["oms.document.log.purge"]
        with self.assertRaises(UserError):
            purge.create({"entry_count": 1})
        self.assertEqual(self._check()["changed"], [])

    def test_check_detects_sql_update_delete_and_insert(self):
        entries = self._log_and_seal()
        report = self._check()
        self.assertFalse(report["changed"] or report["removed"] or report["inserted"])
        self.assertGreaterEqual(report["checked"], len(entries))
        cr = self.env.cr

        changed = entries[0]
        cr.execute("UPDATE oms_document_log SET user_login = 'someone' WHERE id = %s", [changed.id])
        report = self._check()
        self.assertEqual(report["changed"], [changed.id])

        removed = entries[1]
        cr.execute("DELETE FROM oms_document_log WHERE id = %s", [removed.id])
        report = self._check()
        self.assertEqual(report["removed"], [(removed.seq, removed.seq)])

        # the last entries, removed
        cr.execute("SELECT id, seq FROM oms_document_log ORDER BY seq DESC LIMIT 1")
        last_id, last_seq = cr.fetchone()
        cr.execute("DELETE FROM oms_document_log WHERE id = %s", [last_id])
        report = self._check()
        self.assertEqual(report["removed"], [(removed.seq, removed.seq), (last_seq, last_seq)])

        # a row forged into the chain, and a backdated one slipped in unsealed
        cr.execute("SELECT max(seq) FROM oms_document_log")
        last_seq = cr.fetchone()[0]
        cr.execute(
            """INSERT INTO oms_document_log
               (res_model, res_id, res_name, action, user_login, log_date, channel, seq, hash)
               VALUES ('sale.order', %s, 'forged', 'view', 'admin', now(), 'web', %s, 'f00d')
               RETURNING id""",
            [self.orders[0].id, last_seq + 1],
        )
        forged = cr.fetchone()[0]
        cr.execute(
            """INSERT INTO oms_document_log
               (res_model, res_id, res_name, action, user_login, log_date, channel)
               VALUES ('sale.order', %s, 'backdated', 'view', 'admin', %s, 'web') RETURNING id""",
            [self.orders[0].id, fields.Datetime.now() - timedelta(days=3)],
        )
        backdated = cr.fetchone()[0]
        report = self._check()
        self.assertEqual(report["changed"], [changed.id, forged])
        self.assertEqual(report["inserted"], [backdated])

        wizard = self.env["oms.document.log.check"].with_user(self.oms_manager).create({})
        wizard.action_check()
        self.assertEqual(wizard.state, "broken")
        self.assertIn(str(forged), wizard.result)

    def test_retention_purge_leaves_a_record_and_a_verifiable_chain(self):
        entries = self._log_and_seal()
        old = entries.filtered(lambda entry: entry.action == "create")
        self.assertTrue(old)
        # the first entries of the chain are older than the retention period
        cr = self.env.cr
        cr.execute(
            "SELECT min(seq), max(seq) FROM oms_document_log WHERE seq <= %s",
            [max(old.mapped("seq"))],
        )
        first_seq, last_seq = cr.fetchone()
        cr.execute("SELECT id FROM oms_document_log WHERE seq > %s ORDER BY seq", [last_seq])
        kept_ids = [row[0] for row in cr.fetchall()]
        self.env["ir.config_parameter"].sudo().set_param("oms_audit.retention_days", "30")
        cutoff = fields.Datetime.now() - timedelta(days=30)
        # age the entries to purge: rewrite their dates and reseal the whole chain
        cr.execute(
            "UPDATE oms_document_log SET log_date = log_date - interval '400 days', seq = NULL,"
            " hash = NULL WHERE seq <= %s",
            [last_seq],
        )
        cr.execute("UPDATE oms_document_log SET seq = NULL, hash = NULL WHERE seq > %s", [last_seq])
        self.Log._oms_seal()
        cr.execute("SELECT count(*) FROM oms_document_log WHERE log_date < %s", [cutoff])
        aged = cr.fetchone()[0]
        self.assertEqual(aged, last_seq - first_seq + 1)

        purged = self.Log._oms_purge(self.Log._oms_retention_cutoff())
        self.assertEqual(purged, aged)
        record = self.env["oms.document.log.purge"].search([], limit=1)
        self.assertEqual(record.entry_count, aged)
        self.assertIn("sale.order: ", record.details)
        self.assertTrue(record.anchor_hash)
        cr.execute("SELECT count(*) FROM oms_document_log WHERE log_date < %s", [cutoff])
        self.assertEqual(cr.fetchone()[0], 0)
        self.assertTrue(set(kept_ids) <= set(self.Log.sudo().search([]).ids))
        report = self._check()
        self.assertFalse(report["changed"] or report["removed"] or report["inserted"])
        # new entries chain after the kept ones, and the chain still verifies
        self.orders[0].client_order_ref = "after purge"
        self._commit_log()
        self.assertEqual(self.Log._oms_seal(), 1)
        self.assertFalse(self._check()["changed"])
        # the purge record cannot be altered either
        with self.assertRaises(UserError):
            record.unlink()
