{
    "name": "Order Management: OCA Job Queue Bridge",
    "summary": "The automation, reorder computation, carrier polling and customer lifecycle "
    "run as queue_job jobs in named channels, batch by batch, on every server's workers",
    "version": "19.0.1.0.1",
    "category": "Sales/Sales",
    "author": "OMS Team",
    "license": "LGPL-3",
    "depends": ["oms_extended", "queue_job"],
    "data": [
        "data/queue_job_channel_data.xml",
        "data/queue_job_function_data.xml",
    ],
    "auto_install": True,
    "installable": True,
}
