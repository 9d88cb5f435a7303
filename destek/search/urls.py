from django.urls import path

from destek.search import saved, views

urlpatterns = [
    path("search/", views.search_page, name="search"),
    path("views/", saved.saved_views, name="saved_views"),
    path("views/save/", saved.saved_view_save, name="saved_view_save"),
    path("views/<int:view_id>/delete/", saved.saved_view_delete, name="saved_view_delete"),
]
