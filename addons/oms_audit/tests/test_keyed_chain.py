"""The chain is keyed (HMAC-SHA256) with a secret of the server's configuration file: an
entry changed and re-hashed without the key is detected, sealing refuses to start without
the key, and entries sealed with the old unkeyed SHA-256 stay verifiable."""

from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import SQL, config

from ..models.oms_document_log_chain import (
    CHAIN_HEAD_PARAM,
    LEGACY_HASHED_COLUMNS,
    keyed_hash,
    legacy_hash,
)
from .common import TEST_CHAIN_KEY, OmsAuditCommon


@tagged("post_install", "-at_install")
class TestKeyedChain(OmsAuditCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.orders = cls._order([(cls.product, 1)]) | cls._order([(cls.product, 2)])

    def _log(self):
        self.Log._oms_log_records(self.orders, "view")
        self._commit_log()

    def _log_and_seal(self):
        self._log()
        self.Log._oms_seal()
        entries = self._entries(self.orders)
        self.assertTrue(all(entries.mapped("hash")))
        return entries

    def _row(self, entry_id):
        self.env.cr.execute(
            SQL(
                "SELECT %s, hash FROM oms_document_log WHERE id = %s",
                SQL(", ").join(SQL.identifier(column) for column in LEGACY_HASHED_COLUMNS),
                entry_id,
            )
        )
        return self.env.cr.dictfetchone()

    def _clean(self, report):
        return not (
            report["changed"]
            or report["removed"]
            or report["inserted"]
            or report["head_forged"]
            or report["anchor_forged"]
        )

    def test_entries_are_sealed_with_the_key(self):
        entries = self._log_and_seal()
        self.assertEqual(set(entries.mapped("hash_scheme")), {"hmac-sha256"})
        row = self._row(entries[0].id)
        self.assertNotEqual(row["hash"], legacy_hash(row))  # not the unkeyed SHA-256
        self.assertEqual(
            row["hash"], keyed_hash(TEST_CHAIN_KEY.encode(), row | {"hash_scheme": "hmac-sha256"})
        )
        self.assertTrue(self._clean(self.Log._oms_check_chain()))
        # checked with another key, nothing matches
        with patch.dict(config.options, {"oms_audit_chain_key": "another-key-" * 4}):
            report = self.Log._oms_check_chain()
        self.assertTrue(set(entries.ids) <= set(report["changed"]))

    def test_change_rehashed_without_the_key_is_detected(self):
        entries = self._log_and_seal()
        target = entries[0]
        cr = self.env.cr
        cr.execute("UPDATE oms_document_log SET user_login = 'someone' WHERE id = %s", [target.id])
        # what someone with database access and this code does: recompute the hash, with
        # the unkeyed scheme (the old one) or a guessed key, and mark it so
        row = self._row(target.id)
        cr.execute(
            "UPDATE oms_document_log SET hash = %s, hash_scheme = NULL WHERE id = %s",
            [legacy_hash(row), target.id],
        )
        self.assertIn(target.id, self.Log._oms_check_chain()["changed"])
        forged = keyed_hash(b"a guessed key", row | {"hash_scheme": "hmac-sha256"})
        cr.execute(
            "UPDATE oms_document_log SET hash = %s, hash_scheme = 'hmac-sha256' WHERE id = %s",
            [forged, target.id],
        )
        self.assertIn(target.id, self.Log._oms_check_chain()["changed"])

    def test_sealing_refuses_to_start_without_the_key(self):
        self._log()
        for missing in (False, "too short"):
            with patch.dict(config.options, {"oms_audit_chain_key": missing}):
                with self.assertRaisesRegex(UserError, "oms_audit_chain_key"):
                    self.Log._oms_seal()
                with self.assertRaises(UserError):
                    self.Log._oms_check_chain()
                with self.assertLogs("odoo.addons.oms_audit", "ERROR") as logs:
                    self.Log._cron_oms_seal()
                self.assertIn("oms_audit_chain_key", logs.output[0])
        self.assertFalse(any(self._entries(self.orders).mapped("hash")))
        self.assertGreater(self.Log._oms_seal(), 0)

    def test_sealed_within_a_minute(self):
        cron = self.env.ref("oms_audit.ir_cron_oms_document_log_seal")
        self.assertEqual((cron.interval_number, cron.interval_type), (1, "minutes"))
        self.assertTrue(cron.active)

    def test_old_chain_stays_verifiable(self):
        """Entries sealed before the key (unkeyed SHA-256, no scheme) keep their seal; the
        keyed ones chain after them; an old seal after the recorded legacy head is refused."""
        self._log()
        cr = self.env.cr
        cr.execute("SELECT id FROM oms_document_log WHERE seq IS NULL ORDER BY id")
        ids = [row[0] for row in cr.fetchall()]
        cr.execute("SELECT coalesce(max(seq), 0) FROM oms_document_log")
        seq = cr.fetchone()[0]
        cr.execute("SELECT hash FROM oms_document_log WHERE seq = %s", [seq])
        previous = (cr.fetchone() or [""])[0]
        # as version 19.0.1.0.0 sealed them
        for entry_id in ids:
            seq += 1
            cr.execute(
                "UPDATE oms_document_log SET seq = %s, prev_hash = %s WHERE id = %s",
                [seq, previous, entry_id],
            )
            previous = legacy_hash(self._row(entry_id))
            cr.execute("UPDATE oms_document_log SET hash = %s WHERE id = %s", [previous, entry_id])
        self.Log._oms_set_param(CHAIN_HEAD_PARAM, str(seq))
        # the migration records the old chain's end; new entries are sealed with the key
        self.Log._oms_mark_legacy_chain()
        self.orders[0].client_order_ref = "after the upgrade"
        self._commit_log()
        self.assertEqual(self.Log._oms_seal(), 1)
        report = self.Log._oms_check_chain()
        self.assertTrue(self._clean(report), report)
        self.assertEqual(report["legacy"][1:], (seq, len(ids)))

        # an old entry changed and re-hashed with the old scheme: its successor no longer
        # links to it
        old = ids[-1]
        cr.execute("UPDATE oms_document_log SET details = 'edited' WHERE id = %s", [old])
        cr.execute(
            "UPDATE oms_document_log SET hash = %s WHERE id = %s",
            [legacy_hash(self._row(old)), old],
        )
        report = self.Log._oms_check_chain()
        self.assertEqual(report["inserted"], [old])

    def test_head_and_anchor_are_signed(self):
        entries = self._log_and_seal()
        cr = self.env.cr
        # the last entry removed, and the head moved back without the key
        last = entries.sorted("seq")[-1]
        cr.execute("DELETE FROM oms_document_log WHERE id = %s", [last.id])
        self.Log._oms_set_param(CHAIN_HEAD_PARAM, f"{last.seq - 1}:forged")
        report = self.Log._oms_check_chain()
        self.assertTrue(report["head_forged"])
        # the first entries removed, and a purge record forged to cover them
        first = entries.sorted("seq")[0]
        cr.execute("DELETE FROM oms_document_log WHERE id = %s", [first.id])
        cr.execute(
            """INSERT INTO oms_document_log_purge
               (purge_date, first_seq, last_seq, entry_count, anchor_hash, signature)
               VALUES (now(), 1, %s, 1, %s, 'forged')""",
            [first.seq, first.hash],
        )
        report = self.Log._oms_check_chain()
        self.assertTrue(report["anchor_forged"])
        wizard = self.env["oms.document.log.check"].with_user(self.oms_manager).create({})
        wizard.action_check()
        self.assertEqual(wizard.state, "broken")
        self.assertIn("purge record", wizard.result)
