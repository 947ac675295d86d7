from django.urls import path

from ulinzi.patrols import views

app_name = "patrols"
urlpatterns = [
    path("", views.patrol_list, name="list"),
    path("plan/", views.plan, name="plan"),
    path("effort/", views.effort, name="effort"),
    path("<int:patrol_id>/", views.patrol_detail, name="detail"),
    path("<int:patrol_id>/events/", views.link_event, name="link"),
    path("<int:patrol_id>/events/<int:event_id>/remove/", views.unlink_event, name="unlink"),
]
