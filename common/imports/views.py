"""The staff import pages every importer shares: upload → preview (the dry run) → confirm, and the blank template.

An app describes its import with an ImportFlow subclass (its forms, templates, plan and import services, where to
go afterwards) and routes to its `upload`, `confirm` and `template` views."""
from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from . import ImportRejected, staff_required
from .staging import StagedImport

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportFlow:
    namespace: str  # the app's URL namespace: <namespace>:import, :import_confirm, :import_template
    session_key: str
    form_class: type
    confirm_form_class: type
    form_template: str
    preview_template: str
    template_name: str  # the blank template's download name
    rejected_status = 200  # the status of a confirmation whose file turned out to have errors

    # -- what the app supplies
    def plan(self, *, source, file_name: str, data: dict):
        raise NotImplementedError

    def run(self, *, actor, source, file_name: str, data: dict):
        raise NotImplementedError

    def done(self, request, result, data: dict):
        raise NotImplementedError

    def blank(self, request) -> bytes:
        raise NotImplementedError

    def context(self, data: dict) -> dict:
        """What the preview needs besides the plan and the token (the confirm form's hidden fields)."""
        return {}

    # -- the pages
    def _preview(self, request, plan, token, data, status=200):
        return render(request, self.preview_template, {
            "plan": plan, "token": token, "upload_url": f"{self.namespace}:import",
            "confirm_url": f"{self.namespace}:import_confirm", **self.context(data)}, status=status)

    def upload(self, request):
        """Steps 1 and 2: upload a file, then show the dry run (what would be created and every error)."""
        staff_required(request)
        form = self.form_class(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            upload = data["file"]
            token, plan = StagedImport(request, self.session_key).preview(
                upload, lambda source: self.plan(source=source, file_name=upload.name, data=data))
            return self._preview(request, plan, token, data)
        return render(request, self.form_template, {
            "form": form, "template_url": f"{self.namespace}:import_template"})

    def confirm(self, request):
        """Step 3: import the previewed file, all or nothing."""
        staff_required(request)
        staged = StagedImport(request, self.session_key)
        form = self.confirm_form_class(request.POST)
        if not form.is_valid():
            return staged.expired(f"{self.namespace}:import")
        data = form.cleaned_data
        token = data["token"]
        try:
            with staged.open(token) as handle:
                result = self.run(actor=request.user, source=handle, file_name=staged.file_name(token), data=data)
        except StagedImport.Gone:
            return staged.expired(f"{self.namespace}:import")
        except ImportRejected as exc:
            staged.discard(token)
            return self._preview(request, exc.plan, token, data, status=self.rejected_status)
        staged.discard(token)
        return self.done(request, result, data)

    def template(self, request):
        staff_required(request)
        response = HttpResponse(self.blank(request), content_type=XLSX)
        response["Content-Disposition"] = content_disposition_header(True, self.template_name)
        return response

    def views(self):
        """(upload, confirm, template) views for the URLconf."""
        return self.upload, require_POST(self.confirm), self.template
