"""Staff pages about the portal, included under "w/<slug:workspace_slug>/"."""

from django.urls import path

from destek.portal.views import admin

urlpatterns = [
    path("portal/", admin.portal_settings, name="portal_settings"),
]
