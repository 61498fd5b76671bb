"""What searches did not find: zero-result searches and searches followed by asking."""

from django.db import models
from wagtail.search.utils import MAX_QUERY_STRING_LENGTH


class SearchGap(models.Model):
    """One day's counts for one normalised query: searches that found nothing, and
    searches after which the searcher asked the community.

    Only the query text, the day and two counters are kept: no member, no
    address, no session, so the table says what customers miss and nothing about
    who they are. The counters are raised with F() expressions (one UPDATE), so
    concurrent searches never lose a count (`portal.search.analytics`).
    """

    query_string = models.CharField(max_length=MAX_QUERY_STRING_LENGTH)
    date = models.DateField()
    no_result_hits = models.PositiveIntegerField(default=0)
    asked_hits = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["query_string", "date"], name="search_gap_one_per_query_and_day"
            )
        ]
        indexes = [models.Index(fields=["date"], name="search_gap_date")]

    def __str__(self):
        return f"{self.query_string} on {self.date}"
