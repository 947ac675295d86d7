from django.urls import path

from ulinzi.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("situation", views.situation, name="situation"),
]
