"""Staff SSS pages, included under "w/<slug:workspace_slug>/sss/" by destek/urls.py."""

from django.urls import path

from destek.kb.views import report, staff

urlpatterns = [
    path("", staff.article_list, name="kb_staff_list"),
    path("yeni/", staff.article_new, name="kb_article_new"),
    path("onizleme/", staff.preview, name="kb_preview"),
    path("bagla/", staff.link_search, name="kb_link_search"),
    path("bagla/<int:article_id>/", staff.link_text, name="kb_link_text"),
    path("ayarlar/", staff.kb_settings, name="kb_settings"),
    path("rapor/", report.kb_report, name="kb_report"),
    path("konular/", staff.category_list, name="kb_category_list"),
    path("konular/<int:kb_category_id>/", staff.category_edit, name="kb_category_edit"),
    path("konular/<int:kb_category_id>/sil/", staff.category_delete, name="kb_category_delete"),
    path("<int:article_id>/", staff.article_detail, name="kb_staff_article"),
    path("<int:article_id>/duzenle/", staff.article_edit, name="kb_article_edit"),
    path("<int:article_id>/sil/", staff.article_delete, name="kb_article_delete"),
]
