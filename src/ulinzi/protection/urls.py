from django.urls import path

from ulinzi.protection import views

app_name = "protection"
urlpatterns = [
    path("sgbv/", views.sgbv_page, name="sgbv"),
]
