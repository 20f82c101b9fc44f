from . import attachment, binary, portal, rpc
