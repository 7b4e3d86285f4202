from django.urls import path

from . import todo_views

app_name = "todo"
urlpatterns = [
    path("", todo_views.todo_list, name="list"),
    path("count/", todo_views.todo_count, name="count"),
]
