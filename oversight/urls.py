from django.urls import path

from . import views

app_name = "dashboard"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("grid/", views.grid, name="grid"),
    path("reports/", views.drill_reports, name="reports"),
    path("lines/", views.drill_lines, name="lines"),
    path("measures/", views.drill_measures, name="measures"),
    path("terms/", views.drill_terms, name="terms"),
    path("instructions/", views.drill_instructions, name="instructions"),
    path("talks/", views.drill_talks, name="talks"),
    path("records/", views.drill_records, name="records"),
    path("export/", views.export, name="export"),
]
