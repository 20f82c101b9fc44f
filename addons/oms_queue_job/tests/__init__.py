from . import test_feature_crons, test_queue_job_bridge
