from django.urls import path

from . import views

app_name = "rectification"
urlpatterns = [
    path("", views.ledger, name="ledger"),
    path("export/", views.ledger_export, name="export"),
    path("print/", views.ledger_print, name="print"),
    path("import/", views.import_upload, name="import"),
    path("import/confirm/", views.import_confirm, name="import_confirm"),
    path("import/template/", views.import_template, name="import_template"),
    path("import/job/<int:pk>/", views.import_job, name="import_job"),
    path("import/job/<int:pk>/status/", views.import_job_status, name="import_job_status"),
    path("measures/<int:pk>/", views.measure_detail, name="measure"),
    path("measures/<int:pk>/print/", views.measure_print, name="measure_print"),
    path("measures/<int:pk>/progress/", views.measure_progress, name="progress"),
    path("measures/<int:pk>/request-closure/", views.measure_request_closure, name="request_closure"),
    path("measures/<int:pk>/review/", views.measure_review, name="review"),
    path("measures/<int:pk>/assess/", views.measure_assess, name="assess"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
]
