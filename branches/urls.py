from django.urls import path

from . import views

app_name = "branches"
urlpatterns = [
    path("", views.organisation_list, name="list"),
    path("search/", views.organisation_search, name="search"),
    path("<int:pk>/", views.organisation_detail, name="detail"),
]
