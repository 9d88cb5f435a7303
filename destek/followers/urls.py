from django.urls import path

from destek.followers import views

urlpatterns = [
    path("t/<int:number>/follow/", views.ticket_follow, name="ticket_follow"),
]
