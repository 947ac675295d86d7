from django.urls import path

from ulinzi.claims import views

app_name = "claims"
urlpatterns = [
    path("", views.ledger_page, name="ledger"),
]
