from django.urls import path

from ulinzi.patrols import views

app_name = "patrols"
urlpatterns = [
    path("", views.patrol_list, name="list"),
    path("plan/", views.plan, name="plan"),
    path("effort/", views.effort, name="effort"),
    path("<int:patrol_id>/", views.patrol_detail, name="detail"),
]
