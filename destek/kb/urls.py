"""Public SSS pages, included under "s/<slug:workspace_slug>/sss/" by destek/urls.py."""

from django.urls import path

from destek.kb.views import public

urlpatterns = [
    path("", public.home, name="kb_home"),
    path("ara/", public.search_page, name="kb_search"),
    path("oneriler/", public.suggestions, name="kb_suggestions"),
    path("konu/<slug:category_slug>/", public.category, name="kb_category"),
    path("<slug:article_slug>/", public.article, name="kb_article"),
    path("<slug:article_slug>/oy/", public.vote, name="kb_vote"),
]
