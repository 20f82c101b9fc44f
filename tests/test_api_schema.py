"""A schema fuzz of the mobile API: schemathesis generates requests from the running
server's own ``openapi.json`` (valid and invalid ones, for every operation) and checks every
answer: no 500, a documented status, and a body and headers that match the document."""

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from odoo.addons.fastapi.pools import fastapi_app_pool
from odoo.addons.oms_mobile_api.tests.common import API, OmsApiCase
from odoo.tests import tagged

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
EXAMPLES = 25  # per operation and mode


@tagged("post_install", "-at_install")
class TestApiSchemaFuzz(OmsApiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Hundreds of requests in a few seconds: no rate limit for this test.
        cls.env.ref("oms_mobile_api.fastapi_endpoint_oms_mobile_api").oms_rate_limit = 0
        fastapi_app_pool.invalidate(cls.env)
        cls.addClassCleanup(fastapi_app_pool.invalidate, cls.env)
        # Failed sign-ins put the address on Odoo's login cooldown: not for later tests.
        cls.addClassCleanup(lambda: getattr(cls.registry, "_login_failures", {}).clear())
        # Something to find for the ids the fuzzer tries.
        cls._order([(cls.product, 1)], confirm=True)

    def test_fuzz_every_operation(self):
        self.env.flush_all()
        document = self.url_open(f"{API}/openapi.json").json()
        schema = schemathesis.openapi.from_dict(document)
        base_url = self.base_url() + API
        headers = {"Authorization": f"Bearer {self.key}"}
        operations = [result.ok() for result in schema.get_all_operations()]
        self.assertEqual(len(operations), 22)
        calls = []

        current = {}
        for operation in operations:
            # Sign-out removes the calling key: a key of its own each time.
            current["revokes"] = operation.path == "/auth/revoke"
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

                @settings(
                    max_examples=EXAMPLES,
                    deadline=None,
                    database=None,
                    derandomize=True,
                    phases=[Phase.explicit, Phase.generate],
                    suppress_health_check=list(HealthCheck),
                )
                @given(case=operation.as_strategy(generation_mode=mode))
                def fuzz(case):
                    call_headers = headers
                    if current["revokes"]:
                        call_headers = {"Authorization": f"Bearer {self._api_key(self.clerk)}"}
                    # the test server answers the requests that carry the test cookie
                    response = case.call(
                        base_url=base_url, headers=call_headers, session=self.opener, timeout=60
                    )
                    calls.append(response.status_code)
                    case.validate_response(response, checks=CHECKS, headers=call_headers)

                with self.subTest(operation=operation.label, mode=mode.value):
                    try:
                        fuzz()
                    except Unsatisfiable:
                        # No invalid request exists for it (GET /version takes any header).
                        self.assertEqual(mode, GenerationMode.NEGATIVE)
        self.assertGreater(len(calls), 22 * 2 * 5)
        self.assertNotIn(500, calls)
        self.assertTrue({200, 201, 400, 404, 422} <= set(calls), sorted(set(calls)))
