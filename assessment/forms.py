"""Forms of the assessment pages: shape only; the services decide the rules."""
from django import forms
from django.utils.translation import gettext_lazy as _

from common.imports import TableUploadForm


class ScoreForm(forms.Form):
    points = forms.DecimalField(label=_("得分"), required=False, max_digits=7, decimal_places=2, min_value=0,
                                help_text=_("自动计分指标留空则恢复按数据计算的得分。"))
    triggered = forms.BooleanField(label=_("触发一票否决"), required=False)
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    evidence = forms.FileField(label=_("依据材料"), required=False)


class VoteUploadForm(TableUploadForm):
    pass


class ObjectionForm(forms.Form):
    text = forms.CharField(label=_("异议内容"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("答复"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000)


class CopyForm(forms.Form):
    year = forms.IntegerField(label=_("新方案年度"), min_value=2000, max_value=2100)
