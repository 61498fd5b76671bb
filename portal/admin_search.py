"""Staff's "Search gaps" report: what customers search for, miss, and then ask about.

Three lists for the chosen period (last 7, 30 or 90 days): the top searches
(Wagtail's ``QueryDailyHits``), the searches that showed nothing and the
searches after which a member posted a question (``SearchGap``), each with its
count and a link to pin a promoted result for that query, the fix a help centre
has at hand. Five queries whatever the data; the counts hold no personal data.
CSV and XLSX export come with Wagtail's ReportView (one row per list and query).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy
from wagtail.admin.views.reports import ReportView

from .permissions import is_staff_member
from .search import analytics

PERIODS = (7, 30, 90)
DEFAULT_PERIOD = 30
ROWS_PER_LIST = 25
LISTS = (
    ("top", gettext_lazy("Top searches"), analytics.term_list_top),
    (
        "no_results",
        gettext_lazy("Searches with no results"),
        analytics.term_list_without_results,
    ),
    (
        "asked",
        gettext_lazy("Searches followed by asking"),
        analytics.term_list_asked_after,
    ),
)


@dataclass(frozen=True)
class GapRow:
    list_name: str
    query_string: str
    count: int
    promote_url: str
    promoted: bool


class SearchGapsReportView(ReportView):
    template_name = "portal/admin/search_gaps.html"
    results_template_name = "portal/admin/search_gaps_results.html"
    page_title = gettext_lazy("Search gaps")
    header_icon = "search"
    index_url_name = "search_gaps"
    paginate_by = None
    export_filename = "search-gaps"
    list_export = ["list_name", "query_string", "count"]
    export_headings = {
        "list_name": gettext_lazy("List"),
        "query_string": gettext_lazy("Search term(s)"),
        "count": gettext_lazy("Searches"),
    }

    def dispatch(self, request, *args, **kwargs):
        if not is_staff_member(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def days(self) -> int:
        raw = self.request.GET.get("days", "")
        return int(raw) if raw in {str(p) for p in PERIODS} else DEFAULT_PERIOD

    @cached_property
    def lists(self) -> list[tuple[str, str, list[GapRow]]]:
        found = [
            (key, label, read(days=self.days, limit=ROWS_PER_LIST))
            for key, label, read in LISTS
        ]
        queries = analytics.promotion_queries(
            t.query_string for _key, _label, terms in found for t in terms
        )
        return [
            (key, label, [self._row(label, t, queries) for t in terms])
            for key, label, terms in found
        ]

    @staticmethod
    def _row(label, term, queries) -> GapRow:
        """A row, linking to the query's promoted results (or to add the first)."""
        if term.query_string in queries:
            pk, pinned = queries[term.query_string]
            url = reverse("wagtailsearchpromotions:edit", args=[pk])
        else:
            pinned, url = False, reverse("wagtailsearchpromotions:add")
        return GapRow(str(label), term.query_string, term.count, url, pinned)

    def get_queryset(self):
        return [row for _key, _label, rows in self.lists for row in rows]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(lists=self.lists, days=self.days, periods=PERIODS)
        return context
