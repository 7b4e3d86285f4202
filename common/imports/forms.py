"""The upload step of every staff import: one table file (.xlsx, .xls, .docx or .csv) within the size limit."""
from __future__ import annotations

from pathlib import Path

from django import forms
from django.utils.translation import gettext_lazy

from common.tables import FORMATS
from common.tables.limits import limit, megabytes

UPLOAD_SUFFIXES = (*FORMATS, ".xlsm")


class TableUploadForm(forms.Form):
    """Each app's ImportForm adds its own fields; the file's content is checked when it is read."""

    file = forms.FileField(label=gettext_lazy("文件（Excel .xlsx/.xls、Word .docx 或 CSV）"),
                           widget=forms.ClearableFileInput(attrs={"accept": ",".join(UPLOAD_SUFFIXES)}))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        cap = limit("IMPORT_MAX_UPLOAD_BYTES")
        if upload.size > cap:
            raise forms.ValidationError(gettext_lazy("文件超过 %(mb)s MB。") % {"mb": megabytes(cap)})
        if Path(upload.name).suffix.lower() not in UPLOAD_SUFFIXES:
            raise forms.ValidationError(gettext_lazy(
                "请上传 Excel（.xlsx、.xls）、Word（.docx）或 CSV 格式的文件。"))
        return upload
