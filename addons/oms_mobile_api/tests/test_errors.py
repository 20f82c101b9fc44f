from unittest.mock import patch

from psycopg2 import errorcodes
from psycopg2.errors import SerializationFailure

from odoo.addons.oms_extended.http_errors import error_body
from odoo.tests import new_test_user

from .common import OmsApiCase


class FakeSerializationFailure(SerializationFailure):
    @property
    def pgcode(self):
        return errorcodes.SERIALIZATION_FAILURE


class TestErrors(OmsApiCase):
    def test_malformed_json(self):
        response = self.api("POST", "/customers", raw='{"name": "Half')
        error = self.assertError(response, 400, "malformed_json")
        self.assertEqual(error["details"]["fields"][0]["type"], "json_invalid")
        # The app fails as soon as it read the body: the error always reaches the client
        # (a2wsgi could lose it, see middleware.py).
        for _attempt in range(30):
            response = self.api(
                "POST", "/orders", raw="\x00", headers={"Idempotency-Key": "malformed"}
            )
            self.assertError(response, 400, "malformed_json")
        response = self.api(
            "POST", "/customers", raw="name=x", headers={"Content-Type": "text/plain"}
        )
        self.assertError(response, 400, "invalid_request")

    def test_wrong_types_name_the_fields(self):
        response = self.api("POST", "/customers", {"name": ["a"], "is_company": "maybe"})
        error = self.assertError(response, 400, "invalid_request")
        self.assertEqual(
            {(field["field"], field["location"]) for field in error["details"]["fields"]},
            {("name", "body"), ("is_company", "body")},
        )
        error = self.assertError(self.api("GET", "/orders/abc"), 400, "invalid_request")
        self.assertEqual(error["details"]["fields"][0]["location"], "path")

    def test_not_found_and_method_not_allowed(self):
        error = self.assertError(self.api("GET", "/no-such-thing"), 404, "not_found")
        self.assertIn("no-such-thing", error["message"])
        self.assertError(self.api("DELETE", "/orders"), 405, "method_not_allowed")

    def test_one_error_body(self):
        """The app's errors and the unknown versions' answers are built by the suite's one
        ``error_body`` (oms_extended.http_errors, which the carrier webhooks use too)."""
        response = self.api("GET", "/no-such-thing")
        message = response.json()["error"]["message"]
        self.assertEqual(response.json(), error_body("not_found", message))
        response = self.url_open("/oms/api/v9/orders", timeout=60)
        self.assertEqual(response.status_code, 404)
        message = response.json()["error"]["message"]
        self.assertEqual(
            response.json(),
            error_body("unsupported_version", message, {"supported_versions": ["v1"]}),
        )

    def test_forbidden(self):
        """A user without sales rights: 403 on the sales history."""
        employee = new_test_user(self.env, login="oms_api_employee", groups="base.group_user")
        key = self._api_key(employee)
        self.assertEqual(self.api("GET", "/me", key=key).status_code, 200)
        self.assertError(self.api("GET", "/orders", key=key), 403, "forbidden")

    def test_concurrent_update_is_retried_then_409(self):
        order = self._order()
        SaleOrder = self.registry["sale.order"]
        original = SaleOrder._oms_api_confirm
        calls = []

        def fail_once(records):
            calls.append(records.id)
            if len(calls) == 1:
                raise FakeSerializationFailure("could not serialize access")
            return original(records)

        with patch.object(SaleOrder, "_oms_api_confirm", fail_once):
            response = self.api("POST", f"/orders/{order.id}/confirm")
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(calls, [order.id, order.id], "Odoo retried the request")

        def always_fail(records):
            raise FakeSerializationFailure("could not serialize access")

        other = self._order()
        with (
            patch.object(SaleOrder, "_oms_api_confirm", always_fail),
            patch("odoo.service.model.MAX_TRIES_ON_CONCURRENCY_FAILURE", 1),
        ):
            response = self.api("POST", f"/orders/{other.id}/confirm")
        self.assertError(response, 409, "concurrent_update")
        self.assertEqual(response.headers["Retry-After"], "1")
        self.assertEqual(other.state, "draft")
