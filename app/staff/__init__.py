"""The city staff console: the home with its queues, the cooperation-programme report."""
