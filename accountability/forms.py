"""Forms of the 问责 pages: they check shape only; the services check the rules."""
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.models import Organisation, Person
from common.forms import MultipleFileField

from .models import (AccountabilityMeasure, CheckPopulation, InstructionKind, SubjectKind, TalkKind, Verdict)
from .models.records import MEASURES_BY_FORM

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
FILES_HELP = _("PDF、图片或 Office 文档，每个不超过 20 MB，可多选。")
SOURCE_KEY = forms.RegexField(regex=r"^(report|measure|term|orglife|line):\d{1,12}$", required=False,
                              widget=forms.HiddenInput)


class OrgChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class InstructionForm(forms.Form):
    title = forms.CharField(label=_("督办事项"), max_length=200)
    requirement = forms.CharField(label=_("督办要求"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    organisations = OrgChoices(label=_("承办单位"), queryset=Organisation.objects.none(),
                               widget=forms.SelectMultiple(attrs={"size": 10}))
    due_on = forms.DateField(label=_("办理时限"), widget=DATE)
    ack_days = forms.IntegerField(label=_("签收时限（天）"), min_value=0, max_value=30, initial=2)
    files = MultipleFileField(label=_("附件"), required=False, help_text=FILES_HELP)
    source = SOURCE_KEY
    spot_item = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1, max_value=10**12)

    def __init__(self, *args, kind=InstructionKind.SUPERVISE, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisations"].queryset = organisations if organisations is not None else \
            Organisation.objects.none()
        if kind == InstructionKind.ASSIGN:
            self.fields["title"].label = _("交办事项")
            self.fields["requirement"].label = _("工作要求")


class ReplyForm(forms.Form):
    text = forms.CharField(label=_("办理结果"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    files = MultipleFileField(label=_("佐证材料"), required=False, help_text=FILES_HELP)


class DecisionForm(forms.Form):
    ACCEPT, RETURN = "accept", "return"
    decision = forms.ChoiceField(label=_("审核"), choices=[(ACCEPT, _("办结")), (RETURN, _("退回重办"))],
                                 widget=forms.RadioSelect, initial=ACCEPT)
    comment = forms.CharField(label=_("意见"), widget=forms.Textarea(attrs={"rows": 2}), required=False,
                              max_length=2000)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("撤回原因"), max_length=2000)


class ListFilterForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100)
    kind = forms.ChoiceField(label=_("类型"), required=False, choices=[("", _("全部"))] + InstructionKind.choices)
    which = forms.ChoiceField(label=_("统计口径"), required=False, choices=[
        ("", _("全部承办")), ("acked_on_time", _("按时签收")), ("ack_late", _("未按时签收")),
        ("replied_on_time", _("按时反馈")), ("overdue", _("逾期未反馈")), ("open", _("办理中")),
        ("closed", _("已办结"))])


class PersonChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}{'（' + obj.title + '）' if obj.title else ''}"


class TalkForm(forms.Form):
    kind = forms.ChoiceField(label=_("谈话类型"), choices=TalkKind.choices)
    held_on = forms.DateField(label=_("约谈时间"), widget=DATE)
    place = forms.CharField(label=_("地点"), max_length=100, required=False)
    talkers = PersonChoices(label=_("约谈人"), queryset=Person.objects.none())
    interviewees = PersonChoices(label=_("被约谈人"), queryset=Person.objects.none(), required=False)
    organisation = forms.ModelChoiceField(label=_("被约谈单位"), queryset=Organisation.objects.none(), required=False)
    reason = forms.CharField(label=_("约谈事由"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    summary = forms.CharField(label=_("谈话要点"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    statement = forms.CharField(label=_("被约谈人表态"), widget=forms.Textarea(attrs={"rows": 2}), required=False,
                                max_length=2000)
    commitments = forms.CharField(label=_("整改要求与承诺"), widget=forms.Textarea(attrs={"rows": 2}),
                                  required=False, max_length=2000)
    follow_up_on = forms.DateField(label=_("跟进时限"), widget=DATE, required=False)
    recorder = forms.CharField(label=_("记录人"), max_length=50, required=False)
    source = SOURCE_KEY
    instruction = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1, max_value=10**12)

    def __init__(self, *args, people=None, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("talkers", "interviewees"):
            self.fields[name].queryset = people if people is not None else Person.objects.none()
        self.fields["organisation"].queryset = organisations if organisations is not None else \
            Organisation.objects.none()
        self.fields["held_on"].initial = timezone.localdate()


class FollowUpForm(forms.Form):
    note = forms.CharField(label=_("跟进情况"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


def _measure_choices():
    return [(form.label, [(m.value, m.label) for m in measures]) for form, measures in MEASURES_BY_FORM.items()]


class RecordForm(forms.Form):
    subject_kind = forms.ChoiceField(label=_("问责对象类型"), choices=SubjectKind.choices, widget=forms.RadioSelect,
                                     initial=SubjectKind.PERSON)
    person = forms.ModelChoiceField(label=_("被问责人"), queryset=Person.objects.none(), required=False)
    organisation = forms.ModelChoiceField(label=_("所在单位/被问责单位"), queryset=Organisation.objects.none())
    measure = forms.ChoiceField(label=_("形态与问责方式"), choices=_measure_choices)
    reason = forms.CharField(label=_("问责事由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    basis = forms.CharField(label=_("依据"), widget=forms.Textarea(attrs={"rows": 2}), required=False,
                            max_length=2000)
    deciding_body = forms.CharField(label=_("决定机关"), max_length=100)
    decided_on = forms.DateField(label=_("决定日期"), widget=DATE)
    doc_number = forms.CharField(label=_("文号"), max_length=100, required=False)
    files = MultipleFileField(label=_("附件"), required=False, help_text=FILES_HELP)
    source = SOURCE_KEY
    instruction = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1, max_value=10**12)
    talk = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1, max_value=10**12)
    spot_item = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1, max_value=10**12)

    def __init__(self, *args, people=None, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people if people is not None else Person.objects.none()
        self.fields["organisation"].queryset = organisations if organisations is not None else \
            Organisation.objects.none()


class RecordFilterForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100)
    form = forms.ChoiceField(label=_("形态"), required=False,
                             choices=[("", _("全部"))] + [(f.value, f.label) for f in MEASURES_BY_FORM])


class SpotCheckForm(forms.Form):
    population = forms.ChoiceField(label=_("抽查对象"), choices=CheckPopulation.choices)
    date_from = forms.DateField(label=_("起始日期"), widget=DATE)
    date_to = forms.DateField(label=_("截止日期"), widget=DATE)
    organisation = forms.ModelChoiceField(label=_("范围"), queryset=Organisation.objects.none(), required=False,
                                          empty_label=_("全部组织"))
    size = forms.IntegerField(label=_("抽取数量"), min_value=1, max_value=200, initial=10)
    seed = forms.IntegerField(label=_("随机种子"), required=False, min_value=0, max_value=2**31 - 1,
                              help_text=_("留空则随机生成并记录；填写已记录的种子可复现同一抽样。"))
    title = forms.CharField(label=_("名称"), max_length=200, required=False)

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations if organisations is not None else \
            Organisation.objects.none()


class VerdictForm(forms.Form):
    verdict = forms.ChoiceField(label=_("核查结论"), choices=[(Verdict.TRUE, Verdict.TRUE.label),
                                                          (Verdict.FALSE, Verdict.FALSE.label)],
                                widget=forms.RadioSelect)
    note = forms.CharField(label=_("核查说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False,
                           max_length=2000)


MEASURE_LABELS = dict(AccountabilityMeasure.choices)
