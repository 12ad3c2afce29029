"""Who sets up joint census campaigns and who submits, corrects and confirms the counts.

Campaigns are the coordinators' (joint across the border); counts are the PA's own
people's, confirmed by its manager, on the node that owns them.
"""

from __future__ import annotations

from ..models import ProtectedArea


class CensusRules:
    """The census rules of Access (observations.census)."""

    @property
    def can_manage_campaigns(self) -> bool:
        """Set up joint census campaigns and reconcile their counts: coordinators, admins."""
        return self.is_admin or bool(self.coordinator_countries)

    def can_view_campaigns(self) -> bool:
        """Campaigns and their per-PA counts (no locations) are read by everyone logged in."""
        return self.is_authenticated

    def can_edit_campaign(self, campaign) -> bool:
        """Change a campaign or resolve its double-count flags: on the node that owns it."""
        return campaign.is_local and self.can_manage_campaigns

    def can_submit_count_for(self, pa: ProtectedArea) -> bool:
        """Submit or correct the PA's census count: its rangers and manager, on the PA's own
        node (the other side's counts arrive by the exchange)."""
        return self.can_record_in(pa)

    def can_confirm_count(self, count) -> bool:
        """Confirm a submitted count: the PA's manager, on the node that owns the count."""
        return count.is_local and self.can_review_in(count.protected_area)

    def can_edit_count(self, count) -> bool:
        """Offer to correct the count (page and API alike): a count of this node still
        waiting for confirmation, to whoever may submit the PA's count."""
        return (
            count.is_local
            and count.awaits_confirmation
            and self.can_submit_count_for(count.protected_area)
        )

    def can_confirm_count_now(self, count) -> bool:
        """Offer to confirm the count (page and API alike): one still waiting, to its manager."""
        return count.awaits_confirmation and self.can_confirm_count(count)
