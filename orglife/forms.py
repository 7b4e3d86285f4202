"""Forms: the quick entry form, review, the period filter and the import upload."""
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.forms import MultipleFileField
from common.imports import TableUploadForm

from .rules import RecordInput


class RecordForm(forms.Form):
    """Shape only; the service checks the rules (types allowed here, attendance adds up, talks name people)."""

    types = forms.TypedMultipleChoiceField(label=_("类型"), coerce=int, widget=forms.CheckboxSelectMultiple,
                                           error_messages={"required": _("请至少选择一种类型。")},
                                           help_text=_("一次会议可勾选多项，如支部党员大会同时作为当月主题党日。"))
    date = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(label=_("时间"), required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    place = forms.CharField(label=_("地点"), max_length=100, required=False)
    topic = forms.CharField(label=_("主题"), max_length=200, required=False, help_text=_("留空则以类型名称为主题。"))
    host_name = forms.CharField(label=_("主持人"), max_length=50, required=False,
                                widget=forms.TextInput(attrs={"list": "people"}))
    recorder_name = forms.CharField(label=_("记录人"), max_length=50, required=False,
                                    widget=forms.TextInput(attrs={"list": "people"}))
    expected_count = forms.IntegerField(label=_("应到"), min_value=0, max_value=10000, required=False)
    present_count = forms.IntegerField(label=_("实到"), min_value=0, max_value=10000, required=False)
    leave_count = forms.IntegerField(label=_("请假"), min_value=0, max_value=10000, required=False)
    absentees = forms.CharField(label=_("缺席人员及原因"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    talker_name = forms.CharField(label=_("谈话人"), max_length=50, required=False,
                                  widget=forms.TextInput(attrs={"list": "people"}),
                                  help_text=_("谈话类记录必填：系统中登记的人员姓名。"))
    talked_to_names = forms.CharField(label=_("谈话对象"), max_length=500, required=False,
                                      help_text=_("谈话类记录必填；多人用“、”分隔。"))
    summary = forms.CharField(label=_("内容摘要"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    files = MultipleFileField(label=_("附件（会议记录、照片等）"), required=False)

    def __init__(self, *args, record_types=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["types"].choices = [(t.pk, t.name) for t in record_types]
        self.record_types = {t.pk: t for t in record_types}
        self.fields["date"].initial = timezone.localdate()

    def to_input(self) -> RecordInput:
        data = self.cleaned_data
        return RecordInput(
            types=[self.record_types[pk] for pk in data["types"]], date=data["date"], start_time=data.get("start_time"),
            place=data.get("place", ""), topic=data.get("topic", ""), host_name=data.get("host_name", ""),
            recorder_name=data.get("recorder_name", ""), expected_count=data.get("expected_count"),
            present_count=data.get("present_count"), leave_count=data.get("leave_count"),
            absentees=data.get("absentees", ""), summary=data.get("summary", ""),
            talker_name=data.get("talker_name", ""), talked_to_names=data.get("talked_to_names", ""))

    @staticmethod
    def initial_from(record) -> dict:
        talked = [p.name for p in record.talked_to.all()]
        if record.talked_to_names:
            talked.append(record.talked_to_names)
        return {
            "types": [t.pk for t in record.types.all()], "date": record.date, "start_time": record.start_time,
            "place": record.place, "topic": record.topic, "host_name": record.host_display,
            "recorder_name": record.recorder_display, "expected_count": record.expected_count,
            "present_count": record.present_count, "leave_count": record.leave_count, "absentees": record.absentees,
            "talker_name": record.talker.name if record.talker_id else "", "talked_to_names": "、".join(talked),
            "summary": record.summary,
        }


class ImportForm(TableUploadForm):
    """Just the file: each row names its organisation and types."""


class ConfirmImportForm(forms.Form):
    token = forms.CharField(max_length=64)
