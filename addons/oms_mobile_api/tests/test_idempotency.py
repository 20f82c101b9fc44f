import uuid
from datetime import datetime, timedelta

from odoo import sql_db
from odoo.tests import new_test_user
from odoo.tools import SQL

from .common import OmsApiCase


class TestIdempotency(OmsApiCase):
    def _body(self, quantity=1):
        return {
            "customer_id": self.customer.id,
            "client_order_ref": "IDEMPOTENCY",
            "lines": [{"product_id": self.service.id, "quantity": quantity}],
        }

    def _orders(self):
        return self.env["sale.order"].search([("client_order_ref", "=", "IDEMPOTENCY")])

    def _post(self, body, key, path="/orders", api_key=None):
        return self.api("POST", path, body, headers={"Idempotency-Key": key}, key=api_key)

    def test_retry_returns_the_first_response_and_creates_nothing(self):
        key = str(uuid.uuid4())
        first = self._post(self._body(), key)
        self.assertEqual(first.status_code, 201, first.text)
        self.assertNotIn("Idempotent-Replayed", first.headers)
        for _retry in range(2):
            again = self._post(self._body(), key)
            self.assertEqual(again.status_code, 201)
            self.assertEqual(again.content, first.content)
            self.assertEqual(again.headers["Idempotent-Replayed"], "true")
        self.assertEqual(len(self._orders()), 1)
        # The key as a structured-field string (quoted) is the same key.
        self.assertEqual(self._post(self._body(), f'"{key}"').content, first.content)
        self.assertEqual(len(self._orders()), 1)

    def test_same_key_other_body_or_endpoint(self):
        key = str(uuid.uuid4())
        self.assertEqual(self._post(self._body(), key).status_code, 201)
        self.assertError(self._post(self._body(quantity=2), key), 422, "idempotency_key_reused")
        self.assertError(
            self._post({"name": "Someone"}, key, path="/customers"), 422, "idempotency_key_reused"
        )
        self.assertEqual(len(self._orders()), 1)
        self.assertFalse(self.env["res.partner"].search([("name", "=", "Someone")]))

    def test_required_where_documented(self):
        error = self.assertError(self.api("POST", "/orders", self._body()), 400, "invalid_request")
        self.assertEqual(
            error["details"]["fields"][0],
            {
                "field": "Idempotency-Key",
                "location": "header",
                "message": "Field required",
                "type": "missing",
            },
        )
        order = self._order([(self.service, 1)], confirm=True)
        self.assertError(self.api("POST", f"/orders/{order.id}/invoice"), 400, "invalid_request")
        self.assertFalse(order.invoice_ids)
        self.assertError(self._post(self._body(), "x" * 256), 400, "invalid_request")
        self.assertError(self._post(self._body(), "bad key"), 400, "invalid_request")
        self.assertFalse(self._orders())

    def test_keys_are_per_user(self):
        key = str(uuid.uuid4())
        first = self._post(self._body(), key)
        colleague = new_test_user(
            self.env, login="oms_api_colleague", groups="oms_extended.group_oms_user"
        )
        second = self._post(self._body(), key, api_key=self._api_key(colleague))
        self.assertEqual(second.status_code, 201, second.text)
        self.assertNotEqual(first.json()["id"], second.json()["id"])
        self.assertEqual(len(self._orders()), 2)

    def test_failed_request_keeps_no_key(self):
        key = str(uuid.uuid4())
        body = self._body()
        body["lines"][0]["product_id"] = 999999999
        self.assertError(self._post(body, key), 422, "unknown_reference")
        self.assertFalse(self.env["oms.api.idempotency"].search([("key", "=", key)]))
        # Fixed and sent again with the same key: it runs.
        self.assertEqual(self._post(self._body(), key).status_code, 201)
        self.assertEqual(len(self._orders()), 1)

    def test_request_still_running_gets_409(self):
        """Another transaction holds the key (its request runs): 409 at once."""
        key = str(uuid.uuid4())
        lock = self.env["oms.api.idempotency"]._lock_id(self.clerk.id, key)
        with sql_db.db_connect(self.env.cr.dbname).cursor() as other:
            other.execute(SQL("SELECT pg_advisory_xact_lock(%s)", lock))
            response = self._post(self._body(), key)
            other.rollback()
        self.assertError(response, 409, "idempotency_key_in_use")
        self.assertEqual(response.headers["Retry-After"], "1")
        self.assertFalse(self._orders())
        self.assertEqual(self._post(self._body(), key).status_code, 201)

    def test_keys_kept_24_hours(self):
        Idempotency = self.env["oms.api.idempotency"]
        for key in ("old", "recent"):
            self._post(self._body(), key)
        records = Idempotency.search([("user_id", "=", self.clerk.id)])
        self.assertEqual(set(records.mapped("key")), {"old", "recent"})
        self.assertEqual(set(records.mapped("status_code")), {201})
        self.env.cr.execute(
            SQL(
                "UPDATE oms_api_idempotency SET create_date = %s WHERE key = 'old'",
                datetime.now() - timedelta(hours=25),
            )
        )
        self.env.cr.execute(
            SQL(
                "UPDATE oms_api_idempotency SET create_date = %s WHERE key = 'recent'",
                datetime.now() - timedelta(hours=23),
            )
        )
        Idempotency._gc_expired_keys()
        self.env.invalidate_all()
        remaining = Idempotency.search([("user_id", "=", self.clerk.id)])
        self.assertEqual(remaining.mapped("key"), ["recent"])
