from . import oms_batch_dispatch
