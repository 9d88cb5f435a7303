from django.urls import path

from destek.sla import views

# Included under "w/<slug:workspace_slug>/" by destek/urls.py.
urlpatterns = [
    path("sla/", views.sla_settings, name="sla_settings"),
    path("sla/policies/", views.sla_policies, name="sla_policies"),
    path("sla/hours/", views.sla_hours, name="sla_hours"),
    path("sla/closed-days/", views.sla_closed_day_add, name="sla_closed_day_add"),
    path(
        "sla/closed-days/<int:closed_day_id>/remove/",
        views.sla_closed_day_remove,
        name="sla_closed_day_remove",
    ),
]
