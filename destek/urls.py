from django.urls import include, path
from django.views.i18n import set_language

from destek.accounts.permissions import public_view
from destek.accounts.urls import workspace_urlpatterns
from destek.views import error_403, error_404, error_500

urlpatterns = [
    path("i18n/setlang/", public_view(set_language), name="set_language"),
    path("", include("destek.accounts.urls")),
    path("api/v1/", include("destek.api.urls")),
    path("w/<slug:workspace_slug>/", include("destek.api.workspace_urls")),
    path("w/<slug:workspace_slug>/", include(workspace_urlpatterns)),
    path("w/<slug:workspace_slug>/", include("destek.mail.urls")),
    path("w/<slug:workspace_slug>/", include("destek.sla.urls")),
    path("w/<slug:workspace_slug>/", include("destek.notifications.urls")),
    path("w/<slug:workspace_slug>/", include("destek.automation.urls")),
    path("w/<slug:workspace_slug>/", include("destek.tickets.urls")),
    path("w/<slug:workspace_slug>/", include("destek.reports.urls")),
    path("w/<slug:workspace_slug>/", include("destek.privacy.urls")),
    path("w/<slug:workspace_slug>/", include("destek.search.urls")),
    path("w/<slug:workspace_slug>/", include("destek.followers.urls")),
    path("w/<slug:workspace_slug>/", include("destek.portal.admin_urls")),
    path("s/<slug:workspace_slug>/", include("destek.portal.urls")),
    path("w/<slug:workspace_slug>/sss/", include("destek.kb.staff_urls")),
    path("s/<slug:workspace_slug>/sss/", include("destek.kb.urls")),
]

handler403 = error_403
handler404 = error_404
handler500 = error_500
