from django.urls import path

from ulinzi.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("trend.svg", views.trend_chart, name="trend-chart"),
    path("strength.svg", views.strength_chart, name="strength-chart"),
]
