from . import app
