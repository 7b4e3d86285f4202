"""Forms of the ledger pages: they check shape only; the services check the rules."""
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.forms import MultipleFileField
from common.imports import TableUploadForm

from .models import MeasureStatus, Source

EMPTY = [("", _("全部"))]


class LedgerFilterForm(forms.Form):
    batch = forms.TypedChoiceField(label=_("整改批次"), required=False, coerce=int, empty_value=None)
    source = forms.ChoiceField(label=_("问题来源"), required=False)
    # A name to search rather than a list of every organisation: the page stays the same size in a large agency.
    unit = forms.CharField(label=_("责任部门"), required=False, max_length=50, strip=True,
                           widget=forms.TextInput(attrs={"placeholder": _("输入部门名称"), "type": "search"}))
    department = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)  # drill-down links
    leader = forms.TypedChoiceField(label=_("责任领导"), required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(label=_("状态"), required=False, choices=EMPTY + list(MeasureStatus.choices))
    overdue = forms.BooleanField(label=_("只看逾期"), required=False)

    def __init__(self, *args, batches=(), leaders=(), sources=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["batch"].choices = EMPTY + [(b.pk, b.title) for b in batches]
        self.fields["source"].choices = EMPTY + list(sources)
        self.fields["leader"].choices = EMPTY + [(p.pk, p.name) for p in leaders]


class ImportForm(TableUploadForm):
    title = forms.CharField(label=_("批次标题"), max_length=200, required=False,
                            help_text=_("留空则取表格上方的标题行，如“市委第三巡察组反馈问题整改台账”。"))
    source = forms.ChoiceField(label=_("问题来源"), required=False,
                               choices=[("", _("按标题判断"))] + list(Source.choices))


class ConfirmImportForm(forms.Form):
    token = forms.CharField(max_length=64)
    title = forms.CharField(max_length=200, required=False)
    source = forms.ChoiceField(required=False, choices=[("", "")] + list(Source.choices))


class ProgressForm(forms.Form):
    happened_on = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    text = forms.CharField(label=_("整改进展"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    files = MultipleFileField(label=_("佐证材料"), required=False,
                              help_text=_("PDF、图片或 Office 文档，每个不超过 20 MB，可多选。"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["happened_on"].initial = timezone.localdate()


class ClosureRequestForm(forms.Form):
    comment = forms.CharField(label=_("完成情况说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False,
                              max_length=2000)


class ReviewForm(forms.Form):
    STRIKE_OFF, SEND_BACK = "strike_off", "send_back"
    decision = forms.ChoiceField(label=_("审核结果"), choices=[(STRIKE_OFF, _("同意销号")), (SEND_BACK, _("退回"))],
                                 widget=forms.RadioSelect)
    comment = forms.CharField(label=_("审核意见（退回时必填）"), widget=forms.Textarea(attrs={"rows": 2}),
                              required=False, max_length=2000)


class LongTermReviewForm(forms.Form):
    reviewed_on = forms.DateField(label=_("评估日期"), widget=forms.DateInput(attrs={"type": "date"}))
    comment = forms.CharField(label=_("评估意见"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewed_on"].initial = timezone.localdate()
