from tests.cases.conftest import world  # noqa: F401  (the same world of users and an item)
