"""Show an article or category in the visitor's language (Turkish when no English exists)."""

from __future__ import annotations

from django import template

from destek.kb.models import Article, KbCategory

register = template.Library()


@register.simple_tag
def article_title(article: Article, language: str) -> str:
    return article.title_for(language)


@register.simple_tag
def category_name(category: KbCategory, language: str) -> str:
    return category.name_for(language)


@register.simple_tag
def category_description(category: KbCategory, language: str) -> str:
    return category.description_for(language)
