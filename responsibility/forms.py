"""Forms for the staff import page and the list filters."""
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.imports import TableUploadForm

from .models import Frequency, ListKind


class ImportForm(TableUploadForm):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    kind = forms.ChoiceField(label=_("清单类型"), choices=ListKind.choices, initial=ListKind.MAIN)
    title = forms.CharField(label=_("标题"), max_length=200, required=False,
                            help_text=_("留空则为“年度+清单类型”。"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year


class ConfirmImportForm(forms.Form):
    token = forms.CharField(max_length=64)
    year = forms.IntegerField(min_value=2000, max_value=2100)
    kind = forms.ChoiceField(choices=ListKind.choices)
    title = forms.CharField(max_length=200, required=False)


class ItemFilterForm(forms.Form):
    organisation = forms.TypedChoiceField(label=_("责任单位"), required=False, coerce=int, empty_value=None)
    category = forms.ChoiceField(label=_("责任类别"), required=False)
    frequency = forms.ChoiceField(label=_("频次"), required=False,
                                  choices=[("", _("全部"))] + list(Frequency.choices))
    leader = forms.TypedChoiceField(label=_("牵头领导"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, organisations=(), categories=(), leaders=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [("", _("全部"))] + [(o.pk, o.name) for o in organisations]
        self.fields["category"].choices = [("", _("全部"))] + [(c, c) for c in categories]
        self.fields["leader"].choices = [("", _("全部"))] + [(p.pk, p.name) for p in leaders]
