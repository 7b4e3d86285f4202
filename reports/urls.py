from django.urls import path

from . import dashboard_views, views, yearend_views

app_name = "reports"
urlpatterns = [
    path("", views.pending, name="pending"),
    path("open/", views.report_open, name="open"),
    path("queue/", views.review_queue, name="queue"),
    path("grid/", dashboard_views.grid, name="grid"),  # the year grid lives with the dashboards
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/review/", views.report_review, name="review"),
    path("<int:pk>/reopen/", views.report_reopen, name="reopen"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
    path("evidence/<int:pk>/delete/", views.evidence_delete, name="evidence_delete"),
    path("year-end/", yearend_views.index, name="yearend"),
    path("year-end/<int:pk>/", yearend_views.detail, name="yearend_detail"),
    path("year-end/<int:pk>/status/", yearend_views.status, name="yearend_status"),
    path("year-end/<int:pk>/workbook/", yearend_views.download_workbook, name="yearend_workbook"),
    path("year-end/<int:pk>/draft/", yearend_views.download_draft, name="yearend_draft"),
]
