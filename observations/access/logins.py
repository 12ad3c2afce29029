"""Who sees and lifts sign-in locks (observations.accounts.logins).

Too many failed passwords lock an account or an address for a while. Admins and national
coordinators see the locks and lift them: a coordinator only for users of their own
country (by their PAs, or as its coordinator) or of no country at all (reviewers, names
that are no account). Anyone else: the page answers 404.
"""

from __future__ import annotations


class LoginRules:
    """The sign-in lock rules of Access."""

    @property
    def can_unlock_accounts(self) -> bool:
        return self.is_admin or bool(self.coordinator_countries)

    def can_unlock_user(self, countries: frozenset[str]) -> bool:
        """Lift the lock of a user who belongs to ``countries`` (empty: no PA, no country)."""
        if self.is_admin:
            return True
        if not self.coordinator_countries:
            return False
        return countries <= self.coordinator_countries
