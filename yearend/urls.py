from django.urls import path

from . import views

app_name = "yearend"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/status/", views.status, name="status"),
    path("<int:pk>/workbook/", views.download_workbook, name="workbook"),
    path("<int:pk>/draft/", views.download_draft, name="draft"),
]
