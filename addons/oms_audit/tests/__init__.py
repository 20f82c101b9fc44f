from . import (
    test_atomic_changes,
    test_audit_rights,
    test_capture,
    test_http,
    test_integrity,
    test_keyed_chain,
    test_read_logging,
    test_security,
)
