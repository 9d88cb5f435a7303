from django.urls import path

from destek.reports import views
from destek.reports.pages import REPORTS

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/csv/", views.dashboard_csv, name="dashboard_csv"),
    path("reports/digest/", views.digest_choice, name="digest_choice"),
]
for _name in REPORTS:
    urlpatterns += [
        path(f"reports/{_name}/", views.report, {"name": _name}, name=f"report_{_name}"),
        path(
            f"reports/{_name}/csv/", views.report_csv, {"name": _name}, name=f"report_{_name}_csv"
        ),
    ]
