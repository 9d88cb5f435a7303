"""The knowledge base (SSS, DESIGN §7): categories, articles in Turkish and English, votes, and
the trail a portal form leaves when a suggested article answers the question (deflection)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from destek.accounts.models import Workspace
from destek.lib.turkish import fold


def turkish_slug(text: str) -> str:
    """ "Ödeme sorunları" → "odeme-sorunlari": folded first, so no letter is dropped."""
    return slugify(fold(text))[:100] or "yazi"


class KbCategoryQuerySet(models.QuerySet["KbCategory"]):
    def for_workspace(self, workspace: Workspace) -> KbCategoryQuerySet:
        return self.filter(workspace=workspace)


class KbCategory(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="kb_categories")
    name = models.CharField(_("ad"), max_length=120)
    name_en = models.CharField(_("İngilizce ad"), max_length=120, blank=True)
    description = models.CharField(_("açıklama"), max_length=300, blank=True)
    description_en = models.CharField(_("İngilizce açıklama"), max_length=300, blank=True)
    slug = models.SlugField(_("adres"), max_length=100)
    position = models.PositiveIntegerField(default=0)

    objects = KbCategoryQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("SSS kategorisi")
        verbose_name_plural = _("SSS kategorileri")
        constraints = [
            models.UniqueConstraint(fields=["workspace", "slug"], name="kb_category_slug_unique")
        ]

    def __str__(self) -> str:
        return self.name

    def name_for(self, language: str) -> str:
        return self.name_en if language == "en" and self.name_en else self.name

    def description_for(self, language: str) -> str:
        return self.description_en if language == "en" and self.description_en else self.description


class Status(models.TextChoices):
    DRAFT = "draft", _("Taslak")
    PUBLISHED = "published", _("Yayında")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Herkese açık")
    INTERNAL = "internal", _("Yalnızca ekip")


class ArticleQuerySet(models.QuerySet["Article"]):
    def for_workspace(self, workspace: Workspace) -> ArticleQuerySet:
        return self.filter(workspace=workspace)

    def published(self) -> ArticleQuerySet:
        return self.filter(status=Status.PUBLISHED)

    def public(self) -> ArticleQuerySet:
        """What a visitor of the public SSS may read: published and not internal-only."""
        return self.published().filter(visibility=Visibility.PUBLIC)

    def popular(self) -> ArticleQuerySet:
        return self.order_by("-view_count", "-helpful_yes", "position", "id")


class Article(models.Model):
    """One article; the Turkish text is required, the English version optional."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="kb_articles")
    category = models.ForeignKey(
        KbCategory,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
        verbose_name=_("kategori"),
    )
    slug = models.SlugField(_("adres"), max_length=100)
    title = models.CharField(_("başlık"), max_length=200)
    body = models.TextField(_("metin (Markdown)"))
    title_en = models.CharField(_("İngilizce başlık"), max_length=200, blank=True)
    body_en = models.TextField(_("İngilizce metin (Markdown)"), blank=True)
    status = models.CharField(
        _("durum"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    visibility = models.CharField(
        _("görünürlük"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    position = models.PositiveIntegerField(_("sıra"), default=0)
    # Folded (destek.lib.turkish.fold) copies of both languages: searched with a plain LIKE, so
    # "odeme" finds "Ödeme" the same way on SQLite and PostgreSQL.
    search_title = models.TextField(editable=False, default="")
    search_body = models.TextField(editable=False, default="")
    view_count = models.PositiveIntegerField(default=0, editable=False)
    helpful_yes = models.PositiveIntegerField(default=0, editable=False)
    helpful_no = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("SSS yazısı")
        verbose_name_plural = _("SSS yazıları")
        constraints = [
            models.UniqueConstraint(fields=["workspace", "slug"], name="kb_article_slug_unique")
        ]
        indexes = [models.Index(fields=["workspace", "status", "visibility"])]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.search_title = fold(f"{self.title}\n{self.title_en}")
        self.search_body = fold(f"{self.body}\n{self.body_en}")
        if "update_fields" in kwargs and kwargs["update_fields"] is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_title", "search_body"}
        super().save(*args, **kwargs)

    def has_english(self) -> bool:
        return bool(self.title_en and self.body_en)

    def title_for(self, language: str) -> str:
        return self.title_en if language == "en" and self.has_english() else self.title

    def body_for(self, language: str) -> str:
        return self.body_en if language == "en" and self.has_english() else self.body

    def is_public(self) -> bool:
        return self.status == Status.PUBLISHED and self.visibility == Visibility.PUBLIC

    def helpful_share(self) -> int | None:
        """Per cent of "yes" votes, or None before the first vote."""
        votes = self.helpful_yes + self.helpful_no
        return round(100 * self.helpful_yes / votes) if votes else None


class ArticleVote(models.Model):
    """One "Bu yazı işinize yaradı mı?" answer per visitor session and article."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="votes")
    session_key = models.CharField(max_length=64)
    helpful = models.BooleanField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["article", "session_key"], name="kb_one_vote_per_session"
            )
        ]


class FormSession(models.Model):
    """One filling-in of the portal's new-ticket form, known only by a random id the form
    carries: no customer, no address, nothing typed is stored here."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=64)
    started_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "key"], name="kb_form_session_unique")
        ]
        indexes = [models.Index(fields=["workspace", "started_at"])]


class SuggestionOpen(models.Model):
    """A suggested article opened from a form session (first opening only)."""

    form_session = models.ForeignKey(FormSession, on_delete=models.CASCADE, related_name="opens")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="suggestion_opens")
    opened_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["form_session", "article"], name="kb_one_open_per_form_article"
            )
        ]
