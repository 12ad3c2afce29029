"""Who may do what: every permission decision of the node is made in this package.

Views, API views, serializers, admin actions, templates and tasks ask one ``Access``
(``access_for(request.user)``, one per request) and nothing else, so a rule is written
once and tested role by role (tests/observations/test_access.py). Its rules are grouped
by feature, one mixin per module (records, census, camera, remarks, jobs, summaries,
agreements, logins), on top of ``core`` (who the user is).

The roles, from a Membership:

- ranger: records of the PAs they belong to (create, read, fix their own);
- PA manager: everything a ranger may, plus verify/reject the PA's records (but not
  verify one they filed themselves where the PA asks for four eyes);
- national coordinator: reads all PAs of their country, exports; reads the agreements,
  and changes them on their own country's node only (elsewhere: proposes a change);
- reviewer: reads verified records, never writes records; reviews the shared datasets
  they are invited to (anyone may be invited to a dataset, whatever their PA);
- admin: everything (Django superusers are admins too).

An object outside a user's reach is answered with 404, never 403, so that
its existence does not leak.
"""

from __future__ import annotations

from .agreements import AgreementRules
from .camera import CameraRules
from .census import CensusRules
from .core import CACHE_ATTR, CoreAccess, who_is
from .jobs import JobRules
from .logins import LoginRules
from .records import RecordRules, four_eyes_applies
from .remarks import RemarkRules
from .summaries import SummaryRules


class Access(
    CoreAccess,
    RecordRules,
    RemarkRules,
    CensusRules,
    CameraRules,
    JobRules,
    SummaryRules,
    AgreementRules,
    LoginRules,
):
    """What one user is and may do (a frozen dataclass: ``CoreAccess``'s fields)."""


ANONYMOUS = Access(user_id=None)


def access_for(user) -> Access:
    """The Access of a user, computed once and kept on the user object for the request."""
    if user is None or not user.is_authenticated:
        return ANONYMOUS
    cached = getattr(user, CACHE_ATTR, None)
    if cached is not None:
        return cached
    access = Access(**who_is(user))
    setattr(user, CACHE_ATTR, access)
    return access


__all__ = ["ANONYMOUS", "Access", "access_for", "four_eyes_applies"]
