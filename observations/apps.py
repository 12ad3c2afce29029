from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ObservationsConfig(AppConfig):
    name = "observations"
    verbose_name = _("Field records")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.conf import settings
        from django.db.models.signals import post_delete, post_save

        from .disclosure.policy import forget_rules
        from .disclosure.text import forget_names

        # The names redacted out of free text are this node's users' and its cameras'
        # serial numbers (disclosure.text): read again when one changes.
        for sender in (settings.AUTH_USER_MODEL, "observations.Deployment"):
            post_save.connect(forget_names, sender=sender, weak=False)
            post_delete.connect(forget_names, sender=sender, weak=False)
        # The station rule is the coarsest species sensitivity (disclosure.policy).
        post_save.connect(forget_rules, sender="observations.Species", weak=False)
        post_delete.connect(forget_rules, sender="observations.Species", weak=False)
