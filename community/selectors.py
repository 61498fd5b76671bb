"""Community reads: visibility applied, joins done, sized for one page.

Every function returns a QuerySet (or a small dict) whose cost in queries does
not grow with the data: lists are paginated by the caller, prefetches cover the
rows of one page.
"""

import difflib
import hashlib
import statistics
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from taggit.models import Tag
from wagtail.search.backends import get_search_backend

from portal.selectors import article_search_queryset

from . import permissions
from .caching import figures_version
from .models import (
    Answer,
    AskAttempt,
    Comment,
    Flag,
    Follow,
    MeToo,
    ModerationDecision,
    Notification,
    PostRevision,
    Question,
    QuestionTag,
    Vote,
)

ANSWERS_PER_PAGE = 30
QUESTIONS_PER_PAGE = 20
SPEED_WINDOW_DAYS = 30
SPEED_CACHE_SECONDS = 300

QUESTION_SORTS = {
    "newest": ("-created_at", "-pk"),
    "active": ("-last_activity_at", "-pk"),
    "votes": ("-score", "-created_at", "-pk"),
    "metoo": ("-me_too_count", "-created_at", "-pk"),
    "unanswered": ("-created_at", "-pk"),
}
ANSWER_SORTS = {
    "score": ("-score", "created_at", "pk"),
    "newest": ("-created_at", "-pk"),
    "oldest": ("created_at", "pk"),
}


def _tags_prefetch():
    return Prefetch(
        "tagged_items",
        queryset=QuestionTag.objects.select_related("tag").order_by("tag__name"),
    )


def question_list_visible(
    *, sort: str = "newest", tag: str = "", product=None, status: str = ""
):
    """Return visible questions for the public lists, ready for one page of cards.

    `sort` "unanswered" keeps open questions with no answer; `status` narrows to
    one status; `tag` and `product` narrow to one tag name or product page.
    """
    questions = (
        Question.objects.visible()
        .select_related("author__profile", "product")
        .prefetch_related(_tags_prefetch())
    )
    if sort == "unanswered":
        questions = questions.filter(answer_count=0).exclude(
            status=Question.Status.CLOSED
        )
    if status in Question.Status.values:
        questions = questions.filter(status=status)
    if tag:
        questions = questions.filter(tagged_items__tag__name__iexact=tag)
    if product is not None:
        questions = questions.filter(product=product)
    return questions.order_by(*QUESTION_SORTS.get(sort, QUESTION_SORTS["newest"]))


def question_get_for_display(*, pk: int, viewer):
    """Return the question `viewer` may see, with everything its page shows, or 404.

    Hidden questions are shown only to their author and to moderators.
    """
    question = (
        Question.objects.select_related(
            "author__profile",
            "product",
            "duplicate_of",
            "accepted_answer__author__profile",
            "official_answer__author__profile",
        )
        .prefetch_related(_tags_prefetch())
        .filter(pk=pk)
        .first()
    )
    if question is None or not permissions.can_view_question(viewer, question):
        raise Http404
    return question


def question_get_visible(*, pk: int):
    """Return a visible question or 404 (for writes: hidden and missing look the same)."""
    question = (
        Question.objects.visible().select_related("product").filter(pk=pk).first()
    )
    if question is None:
        raise Http404
    return question


def answer_get_visible(*, pk: int):
    """Return a visible answer (on a visible question) or 404."""
    answer = (
        Answer.objects.visible()
        .select_related("question", "author")
        .filter(pk=pk)
        .first()
    )
    if answer is None:
        raise Http404
    return answer


def answer_get_for_viewer(*, pk: int, viewer):
    answer = Answer.objects.select_related("question", "author").filter(pk=pk).first()
    if answer is None or not permissions.can_view_answer(viewer, answer):
        raise Http404
    if not permissions.can_view_question(viewer, answer.question):
        raise Http404
    return answer


def _visible_comments(viewer):
    comments = Comment.objects.select_related("author__profile").order_by(
        "created_at", "pk"
    )
    if viewer is not None and viewer.is_authenticated:
        if permissions.can_moderate(viewer):
            return comments
        return comments.filter(Q(is_hidden=False) | Q(author=viewer))
    return comments.filter(is_hidden=False)


def answer_list_for_question(*, question, viewer, sort: str = "score"):
    """Return the answers `viewer` sees on `question`, accepted and official ones excluded
    (the page pins those above the list), with authors and comments joined."""
    answers = Answer.objects.filter(question=question).select_related("author__profile")
    if (
        viewer is not None
        and viewer.is_authenticated
        and permissions.can_moderate(viewer)
    ):
        pass
    elif viewer is not None and viewer.is_authenticated:
        answers = answers.filter(Q(is_hidden=False) | Q(author=viewer))
    else:
        answers = answers.filter(is_hidden=False)
    pinned = [
        pk for pk in (question.accepted_answer_id, question.official_answer_id) if pk
    ]
    if pinned:
        answers = answers.exclude(pk__in=pinned)
    return answers.prefetch_related(
        Prefetch("comments", queryset=_visible_comments(viewer))
    ).order_by(*ANSWER_SORTS.get(sort, ANSWER_SORTS["score"]))


def question_comments(*, question, viewer):
    return _visible_comments(viewer).filter(question=question)


def answer_comments(*, answer, viewer):
    return _visible_comments(viewer).filter(answer=answer)


def pinned_answers(*, question, viewer) -> list:
    """The accepted answer, then the official one (once if they are the same answer)."""
    pinned = []
    for answer in (question.accepted_answer, question.official_answer):
        if (
            answer is not None
            and answer not in pinned
            and permissions.can_view_answer(viewer, answer)
        ):
            pinned.append(answer)
    if pinned:
        from django.db.models import prefetch_related_objects

        prefetch_related_objects(
            pinned, Prefetch("comments", queryset=_visible_comments(viewer))
        )
    return pinned


@dataclass
class ViewerState:
    """What the signed-in viewer has done on one question page (one query each)."""

    question_vote: int = 0
    answer_votes: dict = field(default_factory=dict)
    me_too: bool = False
    following: bool = False
    own_answer_id: int | None = None


def viewer_state(*, viewer, question, answers) -> ViewerState:
    state = ViewerState()
    if viewer is None or not viewer.is_authenticated:
        return state
    answer_ids = [a.pk for a in answers]
    votes = Vote.objects.filter(user=viewer).filter(
        Q(question=question) | Q(answer_id__in=answer_ids)
    )
    for question_id, answer_id, value in votes.values_list(
        "question_id", "answer_id", "value"
    ):
        if question_id:
            state.question_vote = value
        else:
            state.answer_votes[answer_id] = value
    flags = (
        Question.objects.filter(pk=question.pk)
        .annotate(
            _me_too=Exists(MeToo.objects.filter(question=OuterRef("pk"), user=viewer)),
            _following=Exists(
                Follow.objects.filter(question=OuterRef("pk"), user=viewer)
            ),
        )
        .values("_me_too", "_following")
        .first()
        or {}
    )
    state.me_too = bool(flags.get("_me_too"))
    state.following = bool(flags.get("_following"))
    state.own_answer_id = (
        Answer.objects.filter(question=question, author=viewer)
        .values_list("pk", flat=True)
        .first()
    )
    return state


def answer_page_number(*, answer, sort: str = "score") -> int:
    """Which page of its question's answers (in the default order) shows `answer`."""
    question = answer.question
    if answer.pk in (question.accepted_answer_id, question.official_answer_id):
        return 1
    answers = answer_list_for_question(question=question, viewer=None)
    before = answers.filter(
        Q(score__gt=answer.score)
        | Q(score=answer.score, created_at__lt=answer.created_at)
        | Q(score=answer.score, created_at=answer.created_at, pk__lt=answer.pk)
    ).count()
    return before // ANSWERS_PER_PAGE + 1


# --------------------------------------------------------------------------- panels and profiles


def question_list_recent(*, limit: int = 5):
    return question_list_visible(sort="newest")[:limit]


def question_list_for_product(*, product, limit: int = 5):
    return question_list_visible(sort="newest", product=product)[:limit]


def question_list_by_member(*, member, viewer, limit: int = 10):
    questions = (
        Question.objects.filter(author=member)
        .select_related("product")
        .order_by("-created_at", "-pk")
    )
    if viewer is None or viewer.pk != member.pk:
        questions = questions.filter(is_hidden=False)
    return questions[:limit]


def answer_list_by_member(*, member, viewer, limit: int = 10):
    answers = (
        Answer.objects.filter(author=member)
        .select_related("question")
        .order_by("-created_at", "-pk")
    )
    if viewer is None or viewer.pk != member.pk:
        answers = answers.visible()
    return answers[:limit]


def _count_of(queryset, group_by: str):
    """A correlated COUNT subquery (0 when there are no rows)."""
    counted = queryset.order_by().values(group_by).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted), Value(0))


def member_counts(*, member) -> dict:
    """A member's visible questions, answers and accepted answers, in one query."""
    from django.contrib.auth import get_user_model

    row = (
        get_user_model()
        .objects.filter(pk=member.pk)
        .annotate(
            n_questions=_count_of(
                Question.objects.visible().filter(author=OuterRef("pk")), "author"
            ),
            n_answers=_count_of(
                Answer.objects.visible().filter(author=OuterRef("pk")), "author"
            ),
            n_accepted=_count_of(
                Question.objects.visible().filter(
                    accepted_answer__author=OuterRef("pk")
                ),
                "accepted_answer__author",
            ),
        )
        .values("n_questions", "n_answers", "n_accepted")
        .first()
    ) or {}
    return {
        name: row.get(f"n_{name}", 0) for name in ("questions", "answers", "accepted")
    }


def product_hidden_counts(*, product) -> dict:
    """How many posts about `product` moderators hid: shown publicly, by principle."""
    return {
        "questions_hidden": Question.objects.filter(
            product=product, is_hidden=True
        ).count(),
        "answers_hidden": Answer.objects.filter(
            question__product=product, is_hidden=True
        ).count(),
    }


def _median_hours(durations: list[timedelta]) -> float | None:
    if not durations:
        return None
    return statistics.median(d.total_seconds() for d in durations) / 3600


def product_speed_of_help(*, product, now=None) -> dict:
    """Public speed-of-help figures for `product` over the last 30 days, and its hidden counts.

    - median hours from asking to the first answer by someone other than the asker,
      over the questions asked in the window that got one;
    - median hours from asking to an accepted answer, over those accepted;
    - the share of questions answered within 24 hours, over the questions asked in
      the window at least 24 hours ago (each had its full day).
    With them, how many of the product's questions and answers moderators hid
    ("questions_hidden", "answers_hidden"). Cached for a few minutes: the
    figures move slowly and the product page stays cheap.
    """
    use_cache = now is None
    key = f"community:speed:{product.pk}:{figures_version()}"
    if use_cache:
        cached = cache.get(key)
        if cached is not None:
            return cached
    now = now or timezone.now()
    since = now - timedelta(days=SPEED_WINDOW_DAYS)
    rows = list(
        Question.objects.visible()
        .filter(product=product, created_at__gte=since)
        .values_list("created_at", "first_answered_at", "accepted_at")
    )
    to_first = [first - asked for asked, first, _acc in rows if first]
    to_accepted = [acc - asked for asked, _first, acc in rows if acc]
    eligible = [
        (asked, first)
        for asked, first, _acc in rows
        if asked <= now - timedelta(hours=24)
    ]
    within = sum(
        1 for asked, first in eligible if first and first - asked <= timedelta(hours=24)
    )
    figures = {
        **product_hidden_counts(product=product),
        "asked": len(rows),
        "median_first_answer_hours": _median_hours(to_first),
        "median_accepted_hours": _median_hours(to_accepted),
        "answered_within_day": within,
        "eligible_for_day": len(eligible),
        "share_within_day": (within / len(eligible)) if eligible else None,
        "window_days": SPEED_WINDOW_DAYS,
    }
    if use_cache:
        cache.set(key, figures, SPEED_CACHE_SECONDS)
    return figures


# --------------------------------------------------------------------------- ask page suggestions


def question_search_queryset():
    """Questions the site search may show: never hidden ones."""
    return Question.objects.filter(is_hidden=False)


def answer_search_queryset():
    """Answers the site search may show: neither they nor their question hidden."""
    return Answer.objects.filter(is_hidden=False, question__is_hidden=False)


def _search(queryset, query: str, limit: int):
    backend = get_search_backend()
    try:
        return list(backend.search(query, queryset, operator="or")[:limit])
    except Exception:  # noqa: BLE001 - suggestions are a nicety; a search outage must not break asking
        return []


SUGGEST_QUERY_MAX = 200


def _unique_titles(items: list) -> list:
    seen: set[str] = set()
    unique = []
    for item in items:
        key = " ".join(item.title.casefold().split())
        if key not in seen:
            seen.add(key)
            unique.append(item)
    return unique


def ask_suggestions(*, title: str, product=None, limit: int = 5) -> dict:
    """Return the closest existing questions (solved first) and knowledge-base articles."""
    query = " ".join((title or "").split())[:SUGGEST_QUERY_MAX]
    if len(query) < 4:
        return {"query": query, "questions": [], "articles": []}
    digest = hashlib.sha256(query.lower().encode()).hexdigest()[:32]
    # The version changes with every community write: a question hidden a moment ago
    # is never suggested from the cache.
    key = (
        f"community:suggest:{product.pk if product else 0}:{digest}:{figures_version()}"
    )
    cached = cache.get(key)
    if cached is not None:
        return cached
    questions = _search(question_search_queryset(), query, limit * 2)
    order = {
        Question.Status.SOLVED: 0,
        Question.Status.ANSWERED: 1,
        Question.Status.OPEN: 2,
        Question.Status.CLOSED: 3,
    }
    # Stable sort: solved first, then the asker's product; relevance order within.
    questions.sort(
        key=lambda q: (
            order.get(q.status, 9),
            0 if product and q.product_id == product.pk else 1,
        )
    )
    articles = _search(article_search_queryset(), query, 3)
    # Several questions may share a title (a repost, a duplicate closed later):
    # list each title once, the best placed one (solved first).
    questions = _unique_titles(questions)
    articles = _unique_titles(articles)
    result = {
        "query": query,
        "questions": [
            {
                "title": q.title,
                "url": q.get_absolute_url(),
                "status": q.status,
                "status_label": str(q.get_status_display()),
                "answers": q.answer_count,
                "me_too": q.me_too_count,
            }
            for q in questions[:limit]
        ],
        "articles": [
            {"title": a.title, "url": a.url, "summary": a.summary} for a in articles
        ],
    }
    cache.set(key, result, 60)
    return result


# --------------------------------------------------------------------------- history


@dataclass
class RevisionView:
    revision: PostRevision
    title_diff: list = field(default_factory=list)
    body_diff: list = field(default_factory=list)
    tags_added: list = field(default_factory=list)
    tags_removed: list = field(default_factory=list)


def _line_diff(old: str, new: str) -> list[tuple[str, str]]:
    """A line diff as (kind, text) pairs; kind is "add", "del" or "same"."""
    rows = []
    for line in difflib.ndiff(old.splitlines(), new.splitlines()):
        code, text = line[:2], line[2:]
        if code == "+ ":
            rows.append(("add", text))
        elif code == "- ":
            rows.append(("del", text))
        elif code == "  ":
            rows.append(("same", text))
    return rows


def revision_history(*, post) -> list[RevisionView]:
    """Every revision of a question or answer, newest first, each with its diff."""
    key = {"question": post} if isinstance(post, Question) else {"answer": post}
    revisions = list(
        PostRevision.objects.filter(**key)
        .select_related("editor__profile")
        .order_by("number")
    )
    views = []
    previous = None
    for revision in revisions:
        view = RevisionView(revision=revision)
        if previous is None:
            view.body_diff = [("same", line) for line in revision.body.splitlines()]
        else:
            if revision.title != previous.title:
                view.title_diff = [("del", previous.title), ("add", revision.title)]
            view.body_diff = _line_diff(previous.body, revision.body)
            old_tags = {t.strip() for t in previous.tags.split(",") if t.strip()}
            new_tags = {t.strip() for t in revision.tags.split(",") if t.strip()}
            view.tags_added = sorted(new_tags - old_tags)
            view.tags_removed = sorted(old_tags - new_tags)
        views.append(view)
        previous = revision
    views.reverse()
    return views


# --------------------------------------------------------------------------- notifications


def notification_list_for(*, user):
    return (
        Notification.objects.filter(recipient=user)
        .filter(Q(question__is_hidden=False) | Q(question__author=user))
        .select_related("question", "actor__profile", "suggested_edit")
        .order_by("-created_at", "-pk")
    )


UNREAD_CACHE_SECONDS = 300


def unread_cache_key(user_id: int) -> str:
    return f"community:unread:{user_id}"


def notification_unread_count(*, user) -> int:
    """How many notifications `user` has not read, from the cache when possible.

    The header shows it on every page a member opens, so it costs no query while
    cached; `community.services` drops the cached value whenever it changes.
    """
    key = unread_cache_key(user.pk)
    count = cache.get(key)
    if count is None:
        count = notification_list_for(user=user).filter(read_at__isnull=True).count()
        cache.set(key, count, UNREAD_CACHE_SECONDS)
    return count


def follow_list_for(*, user):
    return (
        Follow.objects.filter(user=user)
        .exclude(question__is_hidden=True)
        .select_related("question", "tag", "product")
        .order_by("-created_at")
    )


def follows_cache_key(user_id: int) -> str:
    return f"community:follows:{user_id}"


def followed_tags_and_products(*, user) -> dict:
    """The tag and product ids `user` follows, cached: product pages and tag lists
    show a Follow button on every view, and this keeps them free of a query."""
    key = follows_cache_key(user.pk)
    follows = cache.get(key)
    if follows is None:
        rows = Follow.objects.filter(user=user, question__isnull=True).values_list(
            "tag_id", "product_id"
        )
        follows = {
            "tags": {t for t, _p in rows if t},
            "products": {p for _t, p in rows if p},
        }
        cache.set(key, follows, UNREAD_CACHE_SECONDS)
    return follows


def tag_get(*, name: str):
    return Tag.objects.filter(name__iexact=name).first()


def tag_list_popular(*, limit: int = 30):
    """Tags used by visible questions, most used first."""
    return (
        Tag.objects.filter(community_questiontag_items__content_object__is_hidden=False)
        .annotate(n=Count("community_questiontag_items"))
        .order_by("-n", "name")[:limit]
    )


# --------------------------------------------------------------------------- staff reports


def moderation_queue():
    """Posts with open flags, most flagged first, each with its flags (one page's worth)."""
    open_flags = Flag.objects.filter(state=Flag.State.OPEN)
    return (
        open_flags.values("question_id", "answer_id", "comment_id")
        .annotate(flag_count=Count("pk"))
        .order_by("-flag_count", "question_id", "answer_id", "comment_id")
    )


def moderation_queue_items(rows) -> list[dict]:
    """Attach the posts and their open flags to rows of `moderation_queue()` (a page)."""
    rows = list(rows)
    ids = {"question": set(), "answer": set(), "comment": set()}
    for row in rows:
        for kind in ids:
            if row[f"{kind}_id"]:
                ids[kind].add(row[f"{kind}_id"])
    questions = Question.objects.select_related("author__profile").in_bulk(
        ids["question"]
    )
    answers = Answer.objects.select_related("author__profile", "question").in_bulk(
        ids["answer"]
    )
    comments = Comment.objects.select_related("author__profile").in_bulk(ids["comment"])
    flags = (
        Flag.objects.filter(state=Flag.State.OPEN)
        .filter(
            Q(question_id__in=ids["question"])
            | Q(answer_id__in=ids["answer"])
            | Q(comment_id__in=ids["comment"])
        )
        .select_related("flagger__profile")
    )
    by_target: dict = {}
    for flag in flags:
        by_target.setdefault(
            (flag.question_id, flag.answer_id, flag.comment_id), []
        ).append(flag)
    items = []
    for row in rows:
        target = (row["question_id"], row["answer_id"], row["comment_id"])
        if row["question_id"]:
            kind, post = "question", questions.get(row["question_id"])
        elif row["answer_id"]:
            kind, post = "answer", answers.get(row["answer_id"])
        else:
            kind, post = "comment", comments.get(row["comment_id"])
        if post is not None:
            items.append(
                {
                    "kind": kind,
                    "post": post,
                    "flags": by_target.get(target, []),
                    "count": row["flag_count"],
                }
            )
    return items


def moderation_log():
    return ModerationDecision.objects.select_related(
        "moderator__profile", "question", "answer", "member"
    ).order_by("-created_at", "-pk")


def question_list_unanswered_by_age():
    """Visible, open questions nobody has answered, oldest first: the staff to-do list."""
    return (
        Question.objects.visible()
        .filter(answer_count=0)
        .exclude(status=Question.Status.CLOSED)
        .select_related("author__profile", "product")
        .order_by("created_at", "pk")
    )


def deflection_summary(*, days: int = 30, now=None) -> dict:
    """How often the ask page's suggestions answered the question, over `days`."""
    now = now or timezone.now()
    counts = AskAttempt.objects.filter(
        created_at__gte=now - timedelta(days=days)
    ).aggregate(
        deflected=Count("pk", filter=Q(outcome=AskAttempt.Outcome.DEFLECTED)),
        posted=Count("pk", filter=Q(outcome=AskAttempt.Outcome.POSTED)),
    )
    total = counts["deflected"] + counts["posted"]
    return {
        **counts,
        "total": total,
        "share": (counts["deflected"] / total) if total else None,
        "days": days,
    }


def articles_to_write_next(*, days: int = 90, now=None):
    """Questions posted although the ask page's suggestions did not help, most asked first.

    "Most asked" counts the question itself, everyone who said "me too", and the
    duplicates merged into it. Questions whose asker was shown no knowledge-base
    article, or shown articles that did not help, both mean no article covers them.
    """
    now = now or timezone.now()
    return (
        Question.objects.visible()
        .filter(created_at__gte=now - timedelta(days=days))
        .filter(
            Q(ask_attempt__outcome=AskAttempt.Outcome.POSTED)
            | Q(ask_attempt__isnull=True)
        )
        .annotate(duplicate_count=Count("duplicates", distinct=True))
        .exclude(
            status=Question.Status.CLOSED, close_reason=Question.CloseReason.DUPLICATE
        )
        .select_related("product")
        .prefetch_related(_tags_prefetch())
        .order_by("-me_too_count", "-duplicate_count", "-created_at")
    )


def tag_demand_without_articles(
    *, days: int = 90, now=None, limit: int = 15
) -> list[dict]:
    """Tags of recent questions posted past unhelpful suggestions, most demanded first."""
    now = now or timezone.now()
    return list(
        QuestionTag.objects.filter(
            content_object__is_hidden=False,
            content_object__created_at__gte=now - timedelta(days=days),
        )
        .filter(
            Q(content_object__ask_attempt__outcome=AskAttempt.Outcome.POSTED)
            | Q(content_object__ask_attempt__isnull=True)
        )
        .values("tag__name")
        .annotate(questions=Count("content_object", distinct=True))
        .order_by("-questions", "tag__name")[:limit]
    )
