from django.urls import path

from . import dashboard_views, views

app_name = "reports"
urlpatterns = [
    path("", views.pending, name="pending"),
    path("open/", views.report_open, name="open"),
    path("queue/", views.review_queue, name="queue"),
    path("grid/", dashboard_views.grid, name="grid"),  # the year grid lives with the dashboards
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/review/", views.report_review, name="review"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
    path("evidence/<int:pk>/delete/", views.evidence_delete, name="evidence_delete"),
]
