from . import test_customer_360
