from . import test_customer_lifecycle, test_menus
