"""The staff import pages every importer shares: upload → preview (the dry run) → confirm, and the blank template.

An app describes its import with an ImportFlow subclass (its forms, templates, plan and import services, where to
go afterwards) and routes to its `upload`, `confirm` and `template` views, and to the `job` and `job_status` views of
an upload large enough to be planned and imported in the background (background.py)."""
from __future__ import annotations

from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from . import ImportRejected, staff_required
from ops.models import ImportJob

from . import background
from .staging import StagedImport, staged_path

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
            staged = StagedImport(request, self.session_key)
            token = staged.stage(upload)
            rows = background.table_rows(staged_path(token, upload.name), upload.name)
            if rows > background.background_rows():
                job = background.import_job_start(actor=request.user, flow=self.flow_name(), token=token,
                                                  file_name=upload.name, data=data, rows=rows)
                return redirect(f"{self.namespace}:import_job", pk=job.pk)
            token, plan = staged.dry_run(
                token, lambda source: self.plan(source=source, file_name=upload.name, data=data))
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
        job = ImportJob.objects.filter(flow=self.flow_name(), uploaded_by=request.user, token=token).first()
        if job is not None:  # a large upload: its import runs in the background job too
            background.import_job_confirm(job=job, data=data)
            return redirect(f"{self.namespace}:import_job", pk=job.pk)
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

    @classmethod
    def flow_name(cls) -> str:
        """The dotted path a background job finds this flow by."""
        return f"{cls.__module__}.{cls.__qualname__}"

    def _job(self, request, pk) -> ImportJob:
        """Only the user who uploaded sees the job (a 404 for anyone else)."""
        job = get_object_or_404(ImportJob, pk=pk, flow=self.flow_name(), uploaded_by_id=request.user.pk)
        staff_required(request)  # the uploader may since have lost the role
        return job

    def job(self, request, pk):
        """A large upload's page: its progress while the job runs, then the same preview, or the import's outcome."""
        job = self._job(request, pk)
        if job.status in (ImportJob.Status.DONE, ImportJob.Status.REJECTED, ImportJob.Status.FAILED):
            StagedImport(request, self.session_key).discard(job.token)  # the job has deleted its file
        if job.status == ImportJob.Status.PLANNED:
            return self._preview(request, background.loads(job.plan), job.token, background.loads(job.data))
        if job.status == ImportJob.Status.REJECTED:
            return self._preview(request, background.loads(job.plan), job.token, background.loads(job.data),
                                 status=self.rejected_status)
        if job.status == ImportJob.Status.DONE:
            return self.done(request, background.loads(job.result), background.loads(job.data))
        return render(request, "imports/job.html", {
            "job": job, "waiting": background.import_job_waiting(job), "upload_url": f"{self.namespace}:import",
            "status_url": f"{self.namespace}:import_job_status"})

    def job_status(self, request, pk):
        """The job's progress for the page's poll (JSON)."""
        job = self._job(request, pk)
        response = JsonResponse({
            "status": job.status, "status_label": str(job.get_status_display()), "progress": job.progress,
            "waiting": background.import_job_waiting(job), "error": job.error,
            "running": job.status in background.RUNNING})
        response["Cache-Control"] = "no-store"
        return response

    def template(self, request):
        staff_required(request)
        response = HttpResponse(self.blank(request), content_type=XLSX)
        response["Content-Disposition"] = content_disposition_header(True, self.template_name)
        return response

    def views(self):
        """(upload, confirm, template) views for the URLconf."""
        return self.upload, require_POST(self.confirm), self.template

    def job_views(self):
        """(job, job_status) views for the URLconf: import/job/<pk>/ and import/job/<pk>/status/."""
        return self.job, self.job_status
