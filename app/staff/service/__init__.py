"""Domain logic of the staff console: the queues (``queues``) and the programme report
(``report``, pure functions over the data returning dataclasses)."""
