from openapi_spec_validator import validate

from odoo.addons.oms_extended.order_states import OMS_PAYMENT_STATES, OMS_STATES, state_keys

from .common import API, OmsApiCase

ROUTES = {
    ("get", "/version"),
    ("get", "/me"),
    ("post", "/auth/token"),
    ("post", "/auth/revoke"),
    ("get", "/orders"),
    ("post", "/orders"),
    ("get", "/orders/{order_id}"),
    ("post", "/orders/{order_id}/confirm"),
    ("post", "/orders/{order_id}/invoice"),
    ("get", "/customers"),
    ("post", "/customers"),
    ("get", "/customers/{customer_id}"),
    ("get", "/products"),
    ("get", "/product-categories"),
    ("post", "/products"),
    ("get", "/products/{product_id}"),
    ("patch", "/products/{product_id}"),
    ("get", "/products/{product_id}/availability"),
    ("post", "/purchase-orders"),
    ("post", "/emails"),
    ("get", "/mail-templates"),
    ("get", "/translations"),
}
PUBLIC = {"/version", "/auth/token"}
# A retried sign-in makes another key, a retried sign-out answers 401: no Idempotency-Key.
NOT_IDEMPOTENT = {"/auth/token", "/auth/revoke"}


def _enums(schema, document):
    """The ``enum`` lists inside an OpenAPI schema, references followed."""
    if isinstance(schema, list):
        return [enum for item in schema for enum in _enums(item, document)]
    if not isinstance(schema, dict):
        return []
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return _enums(document["components"]["schemas"][name], document)
    found = [schema["enum"]] if "enum" in schema else []
    return found + [enum for value in schema.values() for enum in _enums(value, document)]


class TestOpenApi(OmsApiCase):
    def test_document(self):
        response = self.url_open(f"{API}/openapi.json")
        self.assertEqual(response.status_code, 200)
        document = response.json()
        validate(document)  # raises on an invalid OpenAPI document
        self.assertEqual(document["openapi"], "3.1.0")
        self.assertEqual(document["servers"], [{"url": API}])
        operations = {
            (method, path): operation
            for path, item in document["paths"].items()
            for method, operation in item.items()
        }
        self.assertEqual(set(operations), ROUTES)
        error_schema = {"$ref": "#/components/schemas/ErrorResponse"}
        for (method, path), operation in operations.items():
            responses = operation["responses"]
            self.assertIn("500", responses)
            for status, response in responses.items():
                schema = response["content"]["application/json"]["schema"]
                if status.startswith(("4", "5")):
                    self.assertEqual(schema, error_schema, (method, path, status))
            if path not in PUBLIC:
                self.assertEqual(operation["security"], [{"apiKey": []}])
                for status in ("400", "401", "403", "409", "429"):
                    self.assertIn(status, responses, (method, path))
                self.assertIn("Retry-After", responses["429"]["headers"])
            if "{" in path:
                self.assertIn("404", responses, (method, path))
            if path in PUBLIC - {"/version"}:
                self.assertNotIn("security", operation)
                for status in ("400", "401", "403", "429"):
                    self.assertIn(status, responses, (method, path))
            if method in ("post", "patch") and path not in NOT_IDEMPOTENT:
                self.assertIn("Idempotency-Key", [p["name"] for p in operation["parameters"]])
        required = {
            (method, path)
            for (method, path), operation in operations.items()
            for parameter in operation.get("parameters", [])
            if parameter["name"] == "Idempotency-Key" and parameter["required"]
        }
        self.assertEqual(required, {("post", "/orders"), ("post", "/orders/{order_id}/invoice")})
        self.assertEqual(
            document["components"]["securitySchemes"]["apiKey"],
            {
                "type": "http",
                "scheme": "bearer",
                "description": document["components"]["securitySchemes"]["apiKey"]["description"],
            },
        )
        limit = operations[("get", "/orders")]["parameters"]
        limit = next(p for p in limit if p["name"] == "limit")["schema"]
        self.assertEqual((limit["minimum"], limit["maximum"]), (1, 200))

    def test_order_states_documented_from_the_one_list(self):
        """The statuses the API documents and accepts are the order fields' own selections,
        from oms_extended's one list (issue 20)."""
        document = self.url_open(f"{API}/openapi.json").json()
        order = self.env["sale.order"]
        oms_states = state_keys(order._fields["oms_state"].selection)
        payment_states = state_keys(order._fields["oms_payment_state"].selection)
        self.assertEqual(oms_states, state_keys(OMS_STATES))
        self.assertEqual(payment_states, state_keys(OMS_PAYMENT_STATES))
        schema = document["components"]["schemas"]["Order"]["properties"]
        for key in oms_states:
            self.assertIn(f"`{key}`", schema["oms_state"]["description"])
        for key in payment_states:
            self.assertIn(f"`{key}`", schema["payment_state"]["description"])
        parameters = document["paths"]["/orders"]["get"]["parameters"]
        parameter = next(p for p in parameters if p["name"] == "oms_state")
        self.assertEqual(_enums(parameter["schema"], document), [list(oms_states)])

    def test_docs_page(self):
        response = self.url_open(f"{API}/docs")
        self.assertEqual(response.status_code, 200)
        self.assertIn("swagger-ui", response.text)
        self.assertIn(f"{API}/openapi.json", response.text)
