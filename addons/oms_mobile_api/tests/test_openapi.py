from openapi_spec_validator import validate

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

    def test_docs_page(self):
        response = self.url_open(f"{API}/docs")
        self.assertEqual(response.status_code, 200)
        self.assertIn("swagger-ui", response.text)
        self.assertIn(f"{API}/openapi.json", response.text)
