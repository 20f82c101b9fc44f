from . import test_menus, test_reorder
