"""The catalogue's public pages."""

from django.urls import path

from civitas.catalogue import views

app_name = "catalogue"
urlpatterns = [
    path("", views.catalogue_list, name="list"),
    path("<slug:code>/", views.catalogue_detail, name="detail"),
]
