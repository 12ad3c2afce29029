from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .base import Country


class Role(models.TextChoices):
    RANGER = "ranger", _("ranger")
    PA_MANAGER = "pa_manager", _("PA manager")
    COORDINATOR = "coordinator", _("national coordinator")
    REVIEWER = "reviewer", _("reviewer")
    ADMIN = "admin", _("administrator")


PA_ROLES = (Role.RANGER, Role.PA_MANAGER)


class Membership(models.Model):
    """Ties a user to a role: rangers and PA managers to one PA, coordinators to a country.

    What each role may do is decided in observations.access, nowhere else.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    protected_area = models.ForeignKey(
        "observations.ProtectedArea",
        verbose_name=_("protected area"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    country = models.CharField(_("country"), max_length=2, choices=Country.choices, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role__in=PA_ROLES) | Q(protected_area__isnull=False),
                name="membership_pa_role_needs_pa",
            ),
            models.CheckConstraint(
                condition=~Q(role=Role.COORDINATOR) | ~Q(country=""),
                name="membership_coordinator_needs_country",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "protected_area"],
                condition=Q(protected_area__isnull=False),
                name="membership_unique_per_pa",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "country"],
                condition=Q(protected_area__isnull=True),
                name="membership_unique_per_country",
            ),
        ]

    def __str__(self) -> str:
        where = self.protected_area or self.get_country_display() or ""
        return f"{self.user} · {self.get_role_display()} {where}".strip()
