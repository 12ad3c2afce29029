from django.db import models
from django.db.models.signals import pre_delete
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from observations.models import ChangeEntry, Country


class Node(models.Model):
    """A partner node: another country's installation that we exchange with.

    Only its public key is stored; this node's own private key comes from the
    settings or a file (exchange.signing), never from the database.
    """

    code = models.CharField(_("code"), max_length=2, choices=Country.choices, unique=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    base_url = models.URLField(_("base URL"), help_text=_("e.g. https://cn.amur-exchange.org"))
    public_key = models.CharField(
        _("public key"), max_length=100, help_text=_("Ed25519 public key, base64")
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("partner node")
        verbose_name_plural = _("partner nodes")

    def __str__(self) -> str:
        return self.name or self.get_code_display()


@receiver(pre_delete, sender=Node, dispatch_uid="exchange.node_entries")
def delete_entries_for_node(sender, instance: Node, **kwargs) -> None:
    """A removed partner's own feed entries go with it, as they did while the entry pointed
    at the node (observations.ChangeEntry names it by code: the lower app knows no Node)."""
    ChangeEntry.objects.filter(partner_code=instance.code).delete()


class UsedNonce(models.Model):
    """Nonces of signed requests already seen: a replayed request is refused."""

    node_code = models.CharField(max_length=2)
    nonce = models.CharField(max_length=64)
    seen_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["node_code", "nonce"], name="nonce_used_once")
        ]

    def __str__(self) -> str:
        return f"{self.node_code} {self.nonce}"
