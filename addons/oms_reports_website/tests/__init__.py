from . import test_top_pages
