from . import oms_shipment_event_import
