"""Who reads and changes what this node shares (exchange.partners.agreements), and who
defines the shared datasets for workshops (exchange.datasets).

An agreement says what THIS node sends to one partner, so only this node's own national
coordinators (a coordinator whose country is NODE_CODE) and admins change it. The
partner's coordinators may hold an account here too (a Chinese coordinator on the
Russian node): they read the terms and propose a change, which a local coordinator
accepts or declines. Anyone else: the exchange pages answer 404.

Coordinators (and admins) define datasets, publish versions and invite reviewers. Who
reads and reviews one (its invited reviewers) is asked of the dataset's own tables:
exchange.datasets.permissions (``can_view_dataset(access, dataset)``).
"""

from __future__ import annotations

from django.conf import settings


class AgreementRules:
    """The sharing rules of Access: agreements and shared datasets."""

    # --- agreements ---------------------------------------------------------------------
    @property
    def can_view_agreements(self) -> bool:
        """The Exchange pages: partners' sync state, the agreements' terms, the sent log."""
        return self.is_admin or bool(self.coordinator_countries)

    @property
    def can_edit_agreements(self) -> bool:
        """Change what this node shares (and decide on proposed changes): its own
        country's coordinators and admins, never a coordinator of another country."""
        return self.speaks_for_this_node

    def can_propose_agreement_change(self, partner) -> bool:
        """Propose new terms for what this node shares with ``partner`` (a Node): that
        partner's coordinators, the audience of the terms, who may not edit them."""
        return (
            partner.code != settings.NODE_CODE
            and partner.code in self.coordinator_countries
            and not self.can_edit_agreements
        )

    def can_decide_agreement_proposal(self, proposal) -> bool:
        """Accept or decline a proposed change that is still open: whoever may edit."""
        return proposal.status == "proposed" and self.can_edit_agreements

    # --- shared datasets ----------------------------------------------------------------
    @property
    def can_manage_datasets(self) -> bool:
        return self.is_admin or bool(self.coordinator_countries)

    def can_manage_dataset(self, dataset) -> bool:
        """Change its query and description, publish versions, invite reviewers."""
        return self.can_manage_datasets
