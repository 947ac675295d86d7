from django.contrib.auth import views as auth_views
from django.urls import path

from ulinzi.dashboard import views as dashboard
from ulinzi.web import views, views_events, views_mfa

app_name = "web"
urlpatterns = [
    path("", dashboard.home, name="home"),
    path("map/", views.map_page, name="map"),
    path("map/control-share.svg", views.control_share_chart, name="control-share-chart"),
    path("events/", views_events.events_list, name="events"),
    path("events/map.json", views_events.events_map, name="events-map"),
    path("events/<int:event_id>/", views_events.event_detail, name="event-detail"),
    path("events/<int:event_id>/reports/<int:report_id>/split/", views_events.event_split, name="event-split"),
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="web/login.html", redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/second-factor/", views_mfa.verify, name="mfa-verify"),
    path("account/second-factor/enrol/", views_mfa.enrol, name="mfa-enrol"),
]
