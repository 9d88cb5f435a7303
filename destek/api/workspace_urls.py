from django.urls import path

from destek.api import views

# Included under "w/<slug:workspace_slug>/" by destek/urls.py.
urlpatterns = [
    path("settings/api-tokens/", views.token_list, name="api_token_list"),
    path("settings/api-tokens/<int:token_id>/revoke/", views.token_revoke, name="api_token_revoke"),
    path("settings/webhooks/", views.webhook_list, name="webhook_list"),
    path("settings/webhooks/<int:endpoint_id>/", views.webhook_detail, name="webhook_detail"),
    path(
        "settings/webhooks/<int:endpoint_id>/delete/", views.webhook_delete, name="webhook_delete"
    ),
    path(
        "settings/webhooks/<int:endpoint_id>/deliveries/<int:delivery_id>/redeliver/",
        views.webhook_redeliver,
        name="webhook_redeliver",
    ),
]
