from django.urls import path

from ulinzi.insights import views

app_name = "insights"
urlpatterns = [
    path("before-after/", views.before_after_page, name="before-after"),
]
