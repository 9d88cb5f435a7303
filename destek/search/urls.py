from django.urls import path

from destek.search import views

urlpatterns = [
    path("search/", views.search_page, name="search"),
]
