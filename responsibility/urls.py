from django.urls import path

from . import views

app_name = "responsibility"
urlpatterns = [
    path("", views.list_index, name="index"),
    path("import/", views.import_upload, name="import"),
    path("import/confirm/", views.import_confirm, name="import_confirm"),
    path("import/template/", views.import_template, name="import_template"),
    path("import/job/<int:pk>/", views.import_job, name="import_job"),
    path("import/job/<int:pk>/status/", views.import_job_status, name="import_job_status"),
    path("<int:pk>/", views.list_detail, name="detail"),
    path("<int:pk>/print/", views.list_print, name="print"),
    path("<int:pk>/export/", views.list_export, name="export"),
    path("<int:pk>/publish/", views.list_publish, name="publish"),
    path("<int:pk>/revise/", views.list_revise, name="revise"),
    path("<int:pk>/delete/", views.list_delete, name="delete"),
    path("items/<int:pk>/", views.item_detail, name="item"),
]
