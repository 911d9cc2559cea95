from tests.staff.conftest import known_data  # noqa: F401  (the same known data set)
