from . import test_customer_segment
