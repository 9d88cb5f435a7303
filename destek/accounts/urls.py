from django.urls import path

from destek.accounts import views

urlpatterns = [
    path("", views.home, name="home"),
    path("workspaces/", views.workspace_chooser, name="workspace_chooser"),
    path("accounts/login/", views.login, name="login"),
    path("accounts/logout/", views.logout, name="logout"),
    path("invite/<str:token>/", views.accept_invitation, name="accept_invitation"),
]
