"""Where and how the server sends carrier requests: https to public addresses only, checked
when the URL is saved and again on the addresses resolved at each request (the connection
goes to the address checked), redirects refused, time and size bounded. DNS and transport
are mocked: no network."""

from unittest.mock import patch

from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged

from .. import carrier_http
from .common_shipment import (
    PUBLIC_IP,
    TRACKING_HOST,
    FakeCarrierHTTP,
    json_answer,
    make_order,
    setup_polling,
)


@tagged("post_install", "-at_install")
class TestCarrierHTTP(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        setup_polling(cls)
        cls.shipment = make_order(cls, tracking="HT1", validate=True).oms_shipment_ids

    def _poll(self, http):
        with http:
            ok = self.carrier._oms_poll_shipments(self.shipment)
        return ok, self.carrier.oms_poll_error or ""

    def test_url_rules_when_saved(self):
        dns = {
            "intranet.example.com": ["10.0.0.7"],
            "mixed.example.com": [PUBLIC_IP, "192.168.1.20"],
            "v6.example.com": ["2606:4700:4700::1111"],
            "ula.example.com": ["fd00:ec2::254"],
        }
        refused = {
            "http://tracking.example.com/t/{tracking_number}": "https",
            "https://127.0.0.1/t/{tracking_number}": "not public",
            "https://10.1.2.3/t/{tracking_number}": "not public",
            "https://172.16.0.1/t/{tracking_number}": "not public",
            "https://192.168.0.1/t/{tracking_number}": "not public",
            "https://169.254.169.254/latest/meta-data/{tracking_number}": "not public",
            "https://100.100.100.200/t/{tracking_number}": "not public",
            "https://[::1]/t/{tracking_number}": "not public",
            "https://[fe80::1]/t/{tracking_number}": "not public",
            "https://[fd00:ec2::254]/t/{tracking_number}": "not public",
            "https://224.0.0.1/t/{tracking_number}": "not public",
            "https://[::ffff:127.0.0.1]/t/{tracking_number}": "not public",
            "https://localhost/t/{tracking_number}": "public host name",
            "https://metadata.google.internal/t/{tracking_number}": "public host name",
            "https://intranet.example.com/t/{tracking_number}": "10.0.0.7",
            "https://mixed.example.com/t/{tracking_number}": "192.168.1.20",
            "https://ula.example.com/t/{tracking_number}": "not public",
            "https://unknown.example.com/t/{tracking_number}": "cannot be resolved",
            "https://{tracking_number}.example.com/t": "path or query",
            "https://tracking.example.com/t/": "path or query",
        }
        with FakeCarrierHTTP(dns=dns):
            for url, message in refused.items():
                with self.subTest(url=url):
                    with self.assertRaises(ValidationError) as caught:
                        self.carrier.oms_tracking_url_template = url
                        self.env.flush_all()
                    self.assertIn(message, str(caught.exception))
            for url in (
                "https://v6.example.com/t?n={tracking_number}",
                f"https://{PUBLIC_IP}:8443/t/{{tracking_number}}",
            ):
                self.carrier.oms_tracking_url_template = url
                self.env.flush_all()

    def test_dns_checked_again_at_each_request(self):
        """The name resolved to a public address when saved; it now resolves to the cloud
        metadata address: refused, nothing requested."""
        http = FakeCarrierHTTP(
            lambda url: json_answer([]), dns={TRACKING_HOST: ["169.254.169.254"]}
        )
        ok, error = self._poll(http)
        self.assertFalse(ok)
        self.assertEqual(http.hits, [])
        self.assertIn("not public", error)
        self.assertIn("169.254.169.254", error)
        # One private address among public ones is refused too.
        http = FakeCarrierHTTP(dns={TRACKING_HOST: [PUBLIC_IP, "127.0.0.1"]})
        ok, error = self._poll(http)
        self.assertFalse(ok)
        self.assertEqual(http.hits, [])

    def test_connection_goes_to_the_address_checked(self):
        """The DNS answer changes between the check and the connection (rebinding): the
        connection resolves again, refuses the private answer and never connects. With a
        public answer it connects to that very address (the certificate is still checked
        against the host name)."""
        answers = [[PUBLIC_IP], ["127.0.0.1"]]
        connected = []

        def resolve(host, port):
            return answers.pop(0) if answers else [PUBLIC_IP]

        def create_connection(address, *args, **kwargs):
            connected.append(address)
            raise OSError("test: no network")

        with (
            patch.object(carrier_http, "resolve", resolve),
            patch("urllib3.util.connection.create_connection", create_connection),
        ):
            with self.assertRaisesRegex(carrier_http.CarrierHTTPError, "127.0.0.1"):
                carrier_http.get_json(f"https://{TRACKING_HOST}/track/X", 5)
            self.assertEqual(connected, [], "never connected to the rebound address")
            connection = carrier_http._PublicHTTPSConnection(TRACKING_HOST, 443, timeout=5)
            with self.assertRaises(Exception):  # noqa: B017 - the mocked socket refuses
                connection.connect()
        self.assertEqual(connected, [(PUBLIC_IP, 443)])
        self.assertEqual(connection.host, TRACKING_HOST)

    def test_redirect_is_an_error_not_followed(self):
        def redirect(url):
            return 302, {"Location": "https://169.254.169.254/latest/meta-data/"}, b"x" * 10

        http = FakeCarrierHTTP(redirect)
        ok, error = self._poll(http)
        self.assertFalse(ok)
        self.assertEqual(len(http.hits), 1, "the redirect is not followed")
        self.assertIn("redirect", error)
        self.assertNotIn("169.254", error)
        self.assertFalse(self.shipment.event_ids)

    def test_answer_size_is_bounded(self):
        limit = carrier_http.MAX_RESPONSE_BYTES
        # Announced too large: refused before reading.
        http = FakeCarrierHTTP(lambda url: (200, {"Content-Length": str(limit + 1)}, b"[]"))
        ok, error = self._poll(http)
        self.assertFalse(ok)
        self.assertIn("larger than", error)
        # Not announced: read piece by piece and stopped past the limit.
        served = []

        def pieces():
            for _i in range(1000):
                served.append(1)
                yield b" " * 64 * 1024

        http = FakeCarrierHTTP(lambda url: (200, {}, pieces()))
        ok, error = self._poll(http)
        self.assertFalse(ok)
        self.assertIn("larger than", error)
        self.assertLess(len(served), 40, "reading stopped at the limit")

    def test_slow_answer_is_cut_at_the_timeout(self):
        self.carrier.oms_tracking_timeout = 10
        clock = [500.0]

        def slow_pieces():
            for piece in (b"[", b" ", b" ", b"]"):
                clock[0] += 4
                yield piece

        http = FakeCarrierHTTP(lambda url: (200, {}, slow_pieces()))
        with patch.object(carrier_http, "monotonic", lambda: clock[0]):
            ok, error = self._poll(http)
        self.assertFalse(ok)
        self.assertIn("longer than the timeout of 10", error)

    def test_timeout_is_bounded(self):
        for value in (0, 31, 600):
            with self.subTest(value=value):
                with self.assertRaises(ValidationError) as caught:
                    self.carrier.oms_tracking_timeout = value
                    self.env.flush_all()
                self.assertIn("1 and 30", str(caught.exception))
        self.carrier.oms_tracking_timeout = 30
        self.env.flush_all()

    def test_good_answer_is_stored(self):
        http = FakeCarrierHTTP(
            lambda url: json_answer(
                {"events": [{"status": "in_transit", "time": "2026-03-01T10:00:00Z"}]}
            )
        )
        ok, _error = self._poll(http)
        self.assertTrue(ok)
        self.assertEqual(http.hits, [f"https://{TRACKING_HOST}/track/HT1"])
        self.assertEqual(self.shipment.status, "in_transit")
