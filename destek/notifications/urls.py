from django.urls import path

from destek.notifications import views

# Included under "w/<slug:workspace_slug>/" by destek/urls.py.
urlpatterns = [
    path("notifications/", views.notification_list, name="notification_list"),
    path("notifications/read-all/", views.notification_read_all, name="notification_read_all"),
    path(
        "notifications/<int:notification_id>/open/",
        views.notification_open,
        name="notification_open",
    ),
]
