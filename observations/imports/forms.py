from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import localized

ENCODINGS = [
    ("", _("recognise it")),
    ("utf-8", "UTF-8"),
    ("cp1251", _("Windows-1251 (Cyrillic)")),
    ("gb18030", _("GB18030 / GBK (Chinese)")),
]


class ImportForm(forms.Form):
    file = forms.FileField(label=_("File (CSV or XLSX)"), allow_empty_file=True)
    protected_area = forms.ChoiceField(label=_("Protected area"), required=False)
    dry_run = forms.BooleanField(
        label=_("Preview first: check the file and store nothing yet"),
        required=False,
        initial=True,
    )
    all_or_nothing = forms.BooleanField(
        label=_("All or nothing: if any row is bad, keep none"), required=False
    )
    encoding = forms.ChoiceField(
        label=_("Encoding of a CSV file"), choices=ENCODINGS, required=False
    )

    def __init__(self, *args, access, **kwargs):
        super().__init__(*args, **kwargs)
        pas = list(access.recordable_pas())
        self.fields["protected_area"].choices = [("", _("named in each row"))] + [
            (pa.code, f"{localized(pa)} ({pa.code})") for pa in pas
        ]
        if len(pas) == 1 and not self.is_bound:
            self.initial.setdefault("protected_area", pas[0].code)
