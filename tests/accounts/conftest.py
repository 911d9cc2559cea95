"""The RODO tests build a person's data in every domain: they borrow the domains' factories."""

from tests.spaces.conftest import make_booking, make_space  # noqa: F401
from tests.volunteering.conftest import make_opportunity, make_shift  # noqa: F401
