from . import (
    test_customer_acquisition,
    test_customer_lifecycle,
    test_lifecycle_ranking,
    test_menus,
)
