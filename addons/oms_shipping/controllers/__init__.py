from . import carrier_webhook
