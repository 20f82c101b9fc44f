from . import test_app_shell
