from . import test_queue_job_bridge
