from . import (
    test_capture,
    test_http,
    test_integrity,
    test_security,
)
