"""Staff's "Least helpful articles" report: where "Was this helpful?" says No most often.

Articles with at least ``MIN_VOTES`` answers, by share of No (then by number of
No), with their counts and the latest "What was missing?" notes. Two queries
per page whatever the number of answers.
"""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, F, FloatField, Q
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .models import ArticleFeedback, ArticlePage
from .permissions import is_staff_member

MIN_VOTES = 3
NOTES_PER_ARTICLE = 3
PAGE_SIZE = 30


def article_list_least_helpful(*, min_votes: int = MIN_VOTES):
    return (
        ArticlePage.objects.annotate(
            votes=Count("feedback"),
            no_votes=Count("feedback", filter=Q(feedback__helpful=False)),
        )
        .filter(votes__gte=min_votes)
        .annotate(no_share=Cast(F("no_votes"), FloatField()) / F("votes"))
        .order_by("-no_share", "-no_votes", "title", "pk")
    )


def latest_missing_notes(article_ids) -> dict[int, list[ArticleFeedback]]:
    """The latest notes of each article, in one bounded query."""
    notes: dict[int, list] = {pk: [] for pk in article_ids}
    rows = (
        ArticleFeedback.objects.filter(article_id__in=article_ids, helpful=False)
        .exclude(missing="")
        .order_by("-updated_at", "-pk")
        .only("article_id", "missing", "updated_at")[: len(notes) * 20]
    )
    for row in rows:
        if len(notes[row.article_id]) < NOTES_PER_ARTICLE:
            notes[row.article_id].append(row)
    return notes


class LeastHelpfulArticlesView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "portal/admin/least_helpful.html"
    page_title = gettext_lazy("Least helpful articles")
    header_icon = "doc-full"

    def dispatch(self, request, *args, **kwargs):
        if not is_staff_member(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page_obj = Paginator(article_list_least_helpful(), PAGE_SIZE).get_page(
            self.request.GET.get("page")
        )
        notes = latest_missing_notes([a.pk for a in page_obj])
        for article in page_obj:
            article.notes = notes[article.pk]
        context.update(page_obj=page_obj, min_votes=MIN_VOTES)
        return context
