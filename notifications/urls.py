from django.urls import path

from . import calendar_views, views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:pk>/", views.notification_open, name="open"),
    path("read/", views.notification_read, name="read"),
    path("calendar/", calendar_views.calendar_settings, name="calendar"),
    path("settings/", views.notification_settings, name="settings"),
]
