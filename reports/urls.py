from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.pending, name="pending"),
    path("open/", views.report_open, name="open"),
    path("queue/", views.review_queue, name="queue"),
    # The year grid lives with the dashboards; old links keep working.
    path("grid/", RedirectView.as_view(pattern_name="dashboard:grid", query_string=True), name="grid"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/print/", views.report_print, name="print"),
    path("<int:pk>/review/", views.report_review, name="review"),
    path("<int:pk>/reopen/", views.report_reopen, name="reopen"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
    path("evidence/<int:pk>/delete/", views.evidence_delete, name="evidence_delete"),
]
