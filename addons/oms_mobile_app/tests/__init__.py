from . import test_app_shell, test_translations
