from django.urls import path

from destek.automation import views

# Included under "w/<slug:workspace_slug>/" by destek/urls.py.
urlpatterns = [
    path("settings/rules/", views.rule_list, name="rule_list"),
    path("settings/rules/new/", views.rule_add, name="rule_add"),
    path("settings/rules/row/", views.rule_row, name="rule_row"),
    path("settings/rules/<int:rule_id>/", views.rule_edit, name="rule_edit"),
    path("settings/rules/<int:rule_id>/delete/", views.rule_delete, name="rule_delete"),
    path("settings/rules/<int:rule_id>/toggle/", views.rule_toggle, name="rule_toggle"),
    path("settings/rules/<int:rule_id>/move/", views.rule_move, name="rule_move"),
]
