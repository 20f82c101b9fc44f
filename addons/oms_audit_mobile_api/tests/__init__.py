from . import test_api_views
