from . import app, main
