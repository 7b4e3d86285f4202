from django.urls import path

from . import views

app_name = "orglife"
urlpatterns = [
    path("", views.index, name="index"),
    path("compliance/", views.compliance_table, name="compliance"),
    path("talks/", views.talk_matrix, name="talks"),
    path("import/", views.import_upload, name="import"),
    path("import/confirm/", views.import_confirm, name="import_confirm"),
    path("import/template/", views.import_template, name="import_template"),
    path("import/job/<int:pk>/", views.import_job, name="import_job"),
    path("import/job/<int:pk>/status/", views.import_job_status, name="import_job_status"),
    path("org/<int:pk>/", views.organisation_records, name="organisation"),
    path("org/<int:pk>/new/", views.record_create, name="new"),
    path("records/<int:pk>/", views.record_detail, name="record"),
    path("records/<int:pk>/edit/", views.record_edit, name="edit"),
    path("records/<int:pk>/delete/", views.record_delete, name="delete"),
    path("records/<int:pk>/review/", views.record_review, name="review"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("attachments/<int:pk>/delete/", views.attachment_delete, name="attachment_delete"),
]
