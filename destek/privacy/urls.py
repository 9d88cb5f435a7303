from django.urls import path

from destek.privacy import views

# Included under "w/<slug:workspace_slug>/" by destek/urls.py.
urlpatterns = [
    path("customers/<int:pk>/kvkk/export/", views.customer_export, name="customer_kvkk_export"),
    path("customers/<int:pk>/kvkk/erase/", views.customer_erase, name="customer_kvkk_erase"),
    path("t/<int:number>/evidence/", views.ticket_evidence, name="ticket_evidence"),
]
