"""Security tests reuse the governance cast (tests/governance/conftest.py) for pages that need a request."""

from tests.governance.conftest import gov  # noqa: F401  (fixture)
