from . import binary, portal
