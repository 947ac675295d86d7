from django.urls import path

from ulinzi.forces import views

app_name = "forces"
urlpatterns = [
    path("", views.force_page, name="page"),
    path("chart.svg", views.strength_chart, name="chart"),
]
