from django.urls import path

from destek.tickets import views

urlpatterns = [
    path("", views.workspace_home, name="workspace_home"),
    path("tickets/", views.ticket_queue, name="ticket_queue"),
    path("tickets/new/", views.ticket_create, name="ticket_create"),
    path("customers/", views.customer_list, name="customer_list"),
    path("dashboard/", views.dashboard, name="dashboard"),
]
