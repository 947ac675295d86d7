from django.urls import path

from ulinzi.intake import views

app_name = "intake"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("candidates/<int:candidate_id>/", views.candidate_page, name="candidate"),
]
