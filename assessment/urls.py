from django.urls import path

from . import views

app_name = "assessment"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:year>/", views.scheme_detail, name="scheme"),
    path("<int:year>/status/", views.scheme_status, name="status"),
    path("<int:year>/export/", views.summary_export, name="export"),
    path("<int:year>/copy/", views.scheme_copy, name="copy"),
    path("<int:year>/compute/", views.compute, name="compute"),
    path("<int:year>/publish/", views.publish, name="publish"),
    path("<int:year>/finalise/", views.finalise, name="finalise"),
    path("<int:year>/votes/", views.votes_upload, name="votes"),
    path("results/<int:pk>/", views.result_detail, name="result"),
    path("results/<int:pk>/print/", views.result_print, name="print"),
    path("results/<int:pk>/export/", views.result_export, name="result_export"),
    path("results/<int:pk>/objections/", views.objection_create, name="object"),
    path("scores/<int:pk>/", views.score_update, name="score"),
    path("scores/<int:pk>/rows/", views.score_rows, name="rows"),
    path("objections/<int:pk>/answer/", views.objection_answer, name="answer"),
]
