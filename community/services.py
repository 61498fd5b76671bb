"""Every community write with rules or side effects: one function per business action.

Views, the Wagtail admin, the API, commands and tests all call these, so a rule
holds whichever door a request comes through. Each function checks permissions
(PermissionDenied) and input (ValidationError) before writing anything, writes
inside one transaction, and sends what others see (emails, search index
updates) only after commit. Counters are updated with F() expressions in the
same transaction as the rows they count, so concurrent requests never lose an
increment.
"""

import re
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from taggit.models import Tag

from portal.emails import email_send_on_commit
from portal.markdown import render_markdown
from portal.permissions import is_staff_member
from portal.search.analytics import log_asked_after_search
from satisfaction.services import Channel, interaction_record

from . import permissions, signals
from .caching import content_changed, scores_changed
from .models import (
    BODY_MAX,
    COMMENT_MAX,
    TAG_MAX_LENGTH,
    TAGS_MAX,
    TITLE_MAX,
    TITLE_MIN,
    Answer,
    AskAttempt,
    Comment,
    Flag,
    Follow,
    MeToo,
    ModerationDecision,
    Notification,
    NotificationPreference,
    PostRevision,
    Question,
    Vote,
)

QUESTION_BODY_MIN = 20
ANSWER_BODY_MIN = 10
COMMENT_MIN = 2
TAG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9+#.\- ]*$")
UNSUBSCRIBE_SALT = "community.unsubscribe"
INTERACTION_SOURCE = "community.answer"
# A digest carries what happened since the last one, never older news than this.
DIGEST_MAX_AGE_DAYS = 7


# --------------------------------------------------------------------------- input


def _clean_title(title: str) -> str:
    title = " ".join((title or "").split())
    if len(title) < TITLE_MIN:
        raise ValidationError(
            {
                "title": _("Write a title of at least %(n)d characters.")
                % {"n": TITLE_MIN}
            }
        )
    if len(title) > TITLE_MAX:
        raise ValidationError(
            {"title": _("Keep the title under %(n)d characters.") % {"n": TITLE_MAX}}
        )
    return title


def _clean_body(
    body: str, *, minimum: int, maximum: int = BODY_MAX, field: str = "body"
) -> tuple[str, str]:
    """Return the Markdown source and its sanitised HTML, or raise ValidationError.

    Length is checked before rendering (a cheap guard against pathological input),
    and again on the rendered text, so a body of only markup counts as empty.
    """
    body = (body or "").strip()
    if len(body) > maximum:
        raise ValidationError(
            {
                field: _("Keep it under %(n)s characters (this has %(len)s).")
                % {"n": f"{maximum:,}", "len": f"{len(body):,}"}
            }
        )
    if len(body) < minimum:
        raise ValidationError(
            {field: _("Write at least %(n)d characters.") % {"n": minimum}}
        )
    html = render_markdown(body)
    if not re.sub(r"<[^>]+>|\s|&nbsp;", "", html):
        raise ValidationError({field: _("Write some text, not only markup.")})
    return body, html


def clean_tag_names(tags: Iterable[str] | str) -> list[str]:
    """Normalise tag names (lower case, single spaces) and enforce the tag rules."""
    if isinstance(tags, str):
        tags = tags.split(",")
    names: list[str] = []
    for raw in tags:
        name = " ".join(str(raw).split()).lower()
        if not name:
            continue
        if len(name) > TAG_MAX_LENGTH:
            raise ValidationError(
                {
                    "tags": _("Each tag must be at most %(n)d characters.")
                    % {"n": TAG_MAX_LENGTH}
                }
            )
        if not TAG_PATTERN.match(name):
            raise ValidationError(
                {"tags": _("Tags use letters, digits, spaces and + # . - only.")}
            )
        if name not in names:
            names.append(name)
    if len(names) > TAGS_MAX:
        raise ValidationError({"tags": _("Use at most %(n)d tags.") % {"n": TAGS_MAX}})
    return names


def _require_member(user) -> None:
    if not permissions.is_member(user):
        raise PermissionDenied(_("Log in to do this."))


def _reindex_on_commit(*objects) -> None:
    """Refresh search entries after commit, once related rows (tags) are saved too."""
    from modelsearch.tasks import insert_or_update_object_task

    keys = [(o._meta.app_label, o._meta.model_name, str(o.pk)) for o in objects]
    transaction.on_commit(
        lambda: [insert_or_update_object_task.enqueue(*key) for key in keys]
    )


def _unindex_on_commit(*objects) -> None:
    """Take hidden posts out of the search index (they are not indexed while hidden)."""
    from modelsearch.index import remove_object

    objects = list(objects)
    transaction.on_commit(lambda: [remove_object(obj) for obj in objects])


def _revision_add(*, post, editor, note: str = "") -> PostRevision:
    target = {"question": post} if isinstance(post, Question) else {"answer": post}
    last = (
        PostRevision.objects.filter(**target)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
        or 0
    )
    revision = PostRevision(
        **target,
        number=last + 1,
        editor=editor,
        title=getattr(post, "title", "") if isinstance(post, Question) else "",
        body=post.body,
        tags=", ".join(sorted(post.tags.names())) if isinstance(post, Question) else "",
        note=note[:200],
    )
    revision.save()
    return revision


def _question_status(question: Question) -> str:
    """The status a question should have from its answers, acceptance and closing."""
    if question.closed_at:
        return Question.Status.CLOSED
    if question.accepted_answer_id:
        return Question.Status.SOLVED
    if question.answer_count > 0:
        return Question.Status.ANSWERED
    return Question.Status.OPEN


def _question_refresh_status(question: Question) -> None:
    question.refresh_from_db(
        fields=["answer_count", "accepted_answer", "closed_at", "status"]
    )
    status = _question_status(question)
    if status != question.status:
        question.status = status
        question.save(update_fields=["status"])


def _lock_question(question: Question) -> Question:
    """Re-read `question` under a row lock, so concurrent status changes serialise."""
    return Question.objects.select_for_update().get(pk=question.pk)


# --------------------------------------------------------------------------- asking


@transaction.atomic
def question_ask(
    *,
    author,
    title: str,
    body: str,
    tags: Iterable[str] = (),
    product=None,
    questions_suggested: int = 0,
    articles_suggested: int = 0,
    searched: str = "",
) -> Question:
    """Post a question; the asker follows it, and tag and product followers are told.

    `questions_suggested`/`articles_suggested` say what the ask page suggested
    before the member chose to post anyway, which feeds the deflection figures.
    `searched` is what the member searched for before asking (the search page's
    link): counted for staff's "Search gaps" report, in this transaction, so only
    a posted question counts; the question keeps no trace of it.
    """
    _require_member(author)
    title = _clean_title(title)
    body, body_html = _clean_body(body, minimum=QUESTION_BODY_MIN)
    tag_names = clean_tag_names(tags)
    now = timezone.now()
    question = Question(
        author=author,
        title=title,
        slug=Question.make_slug(title),
        body=body,
        body_html=body_html,
        product=product,
        created_at=now,
        last_activity_at=now,
        suggestions_shown=min(questions_suggested + articles_suggested, 32767),
    )
    question.full_clean()
    question.save()
    if tag_names:
        question.tags.set(tag_names)
    _revision_add(post=question, editor=author)
    Follow.objects.get_or_create(user=author, question=question)
    if questions_suggested or articles_suggested:
        AskAttempt.objects.create(
            user=author,
            title=title,
            outcome=AskAttempt.Outcome.POSTED,
            question=question,
            product=product,
            questions_suggested=questions_suggested,
            articles_suggested=articles_suggested,
        )
    if searched:
        log_asked_after_search(searched)
    _notify_new_question(question)
    _reindex_on_commit(question)
    content_changed()
    signals.question_asked.send(sender=Question, question=question)
    return question


def ask_deflection_record(
    *,
    user,
    title: str,
    product=None,
    helpful_url: str = "",
    questions_suggested: int = 0,
    articles_suggested: int = 0,
) -> AskAttempt:
    """Count an ask that ended because a suggestion answered it ("This answered my question")."""
    title = " ".join((title or "").split())[:TITLE_MAX]
    if not title:
        raise ValidationError({"title": _("There is no question to count.")})
    attempt = AskAttempt(
        user=user if user and user.is_authenticated else None,
        title=title,
        outcome=AskAttempt.Outcome.DEFLECTED,
        product=product,
        helpful_url=helpful_url[:300] if helpful_url.startswith("/") else "",
        questions_suggested=questions_suggested,
        articles_suggested=articles_suggested,
    )
    attempt.full_clean()
    attempt.save()
    return attempt


@transaction.atomic
def question_edit(
    *,
    question: Question,
    by,
    title: str,
    body: str,
    tags: Iterable[str] | None = None,
    product=...,
    note: str = "",
    editor=None,
) -> Question:
    """Change a question's title, body, tags or product, keeping a public revision.

    `editor` names the revision's author when it is not `by` (an approved
    suggested edit is kept under the member who suggested it).
    """
    if not permissions.can_edit_post(by, question):
        raise PermissionDenied(permissions.edit_refusal(by))
    title = _clean_title(title)
    body, body_html = _clean_body(body, minimum=QUESTION_BODY_MIN)
    tag_names = clean_tag_names(tags) if tags is not None else None
    question = _lock_question(question)
    changed = (
        title != question.title
        or body != question.body
        or (
            tag_names is not None and sorted(tag_names) != sorted(question.tags.names())
        )
        or (
            product is not ...
            and (product.pk if product else None) != question.product_id
        )
    )
    if not changed:
        return question
    question.title = title
    question.slug = Question.make_slug(title)
    question.body = body
    question.body_html = body_html
    if product is not ...:
        question.product = product
    question.edited_at = timezone.now()
    question.full_clean()
    question.save()
    if tag_names is not None:
        question.tags.set(tag_names)
    _revision_add(post=question, editor=editor or by, note=note)
    _reindex_on_commit(question, *question.answers.all())
    content_changed()
    return question


@transaction.atomic
def question_tags_set(
    *, question: Question, by, tags: Iterable[str], reason: str
) -> Question:
    """Staff change a question's tags from the admin; logged, and kept as a revision."""
    _require_moderator(by)
    reason = _clean_reason(reason)
    tag_names = clean_tag_names(tags)
    question = _lock_question(question)
    question.tags.set(tag_names)
    question.edited_at = timezone.now()
    question.save(update_fields=["edited_at"])
    _revision_add(post=question, editor=by, note=_("Tags changed by staff"))
    ModerationDecision.objects.create(
        moderator=by,
        action=ModerationDecision.Action.RETAG,
        reason=reason,
        question=question,
    )
    content_changed()
    _reindex_on_commit(question, *question.answers.all())
    return question


# --------------------------------------------------------------------------- answering


@transaction.atomic
def answer_post(*, question: Question, author, body: str) -> Answer:
    """Answer a question: one answer per person (they edit it instead).

    A staff member's answer is marked "Staff" and records a support interaction
    for the asker (unless the asker answered their own question), so the asker
    is asked whether they are satisfied.
    """
    _require_member(author)
    body, body_html = _clean_body(body, minimum=ANSWER_BODY_MIN)
    question = _lock_question(question)
    if question.is_hidden:
        raise ValidationError(_("This question is hidden and takes no answers."))
    if question.is_closed:
        raise ValidationError(_("This question is closed and takes no new answers."))
    if Answer.objects.filter(question=question, author=author).exists():
        raise ValidationError(
            _("You have already answered this question; edit your answer instead.")
        )
    now = timezone.now()
    answer = Answer(
        question=question,
        author=author,
        body=body,
        body_html=body_html,
        is_staff_answer=is_staff_member(author),
        created_at=now,
    )
    answer.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            answer.save()
    except IntegrityError as error:
        raise ValidationError(
            _("You have already answered this question; edit your answer instead.")
        ) from error
    _revision_add(post=answer, editor=author)
    updates = {"answer_count": F("answer_count") + 1, "last_activity_at": now}
    if question.first_answered_at is None and author.pk != question.author_id:
        updates["first_answered_at"] = now
    Question.objects.filter(pk=question.pk).update(**updates)
    _question_refresh_status(question)
    Follow.objects.get_or_create(user=author, question=question)
    if answer.is_staff_answer and author.pk != question.author_id:
        interaction_record(
            channel=Channel.COMMUNITY_STAFF_ANSWER,
            source=INTERACTION_SOURCE,
            source_ref=str(answer.pk),
            customer=question.author,
            product=question.product,
            handled_by=author,
            occurred_at=now,
            summary=question.title,
        )
    _notify_followers(
        question, kind=Notification.Kind.NEW_ANSWER, actor=author, answer=answer
    )
    content_changed(by=author.pk)
    signals.answer_posted.send(sender=Answer, answer=answer)
    return answer


@transaction.atomic
def answer_edit(*, answer: Answer, by, body: str, note: str = "", editor=None) -> Answer:
    """Change an answer, keeping a public revision (kept under `editor` when given)."""
    if not permissions.can_edit_post(by, answer):
        raise PermissionDenied(permissions.edit_refusal(by))
    body, body_html = _clean_body(body, minimum=ANSWER_BODY_MIN)
    answer = Answer.objects.select_for_update().get(pk=answer.pk)
    if body == answer.body:
        return answer
    answer.body = body
    answer.body_html = body_html
    answer.edited_at = timezone.now()
    answer.full_clean(validate_constraints=False)
    answer.save()
    _revision_add(post=answer, editor=editor or by, note=note)
    content_changed()
    return answer


# --------------------------------------------------------------------------- accepting


def _record_accepted_interaction(answer: Answer, question: Question) -> None:
    """Ask the asker whether the accepted answer satisfied them (not for their own answer).

    The same source reference as a staff answer's, so an accepted staff answer
    surveys the asker once: satisfaction ignores the second record.
    """
    if answer.author_id == question.author_id:
        return
    interaction_record(
        channel=Channel.COMMUNITY_ACCEPTED_ANSWER,
        source=INTERACTION_SOURCE,
        source_ref=str(answer.pk),
        customer=question.author,
        product=question.product,
        handled_by=answer.author if answer.is_staff_answer else None,
        occurred_at=question.accepted_at,
        summary=question.title,
    )


@transaction.atomic
def answer_accept(*, answer: Answer, by) -> Question:
    """Accept `answer` as the one that solved the question (replacing any earlier choice).

    Only the asker, or staff on the asker's behalf (the asker is then told), may
    accept; closed and hidden questions and hidden answers cannot be accepted.
    """
    question = _lock_question(answer.question)
    answer = Answer.objects.select_related("author").get(pk=answer.pk)
    if not permissions.can_accept_answer(by, question):
        if question.is_closed:
            raise ValidationError(_("This question is closed."))
        raise PermissionDenied(
            _("Only the person who asked, or staff, can accept an answer.")
        )
    if answer.question_id != question.pk:
        raise ValidationError(_("That answer belongs to another question."))
    if answer.is_hidden:
        raise ValidationError(_("A hidden answer cannot be accepted."))
    previous_id = question.accepted_answer_id
    if previous_id == answer.pk:
        return question
    question.accepted_answer = answer
    question.accepted_at = timezone.now()
    question.status = Question.Status.SOLVED
    question.last_activity_at = question.accepted_at
    question.save(
        update_fields=["accepted_answer", "accepted_at", "status", "last_activity_at"]
    )
    _record_accepted_interaction(answer, question)
    _notify_followers(
        question,
        kind=Notification.Kind.ACCEPTED,
        actor=by,
        answer=answer,
        extra=[answer.author_id],
    )
    if by.pk != question.author_id:
        _notify(
            recipients=[question.author_id],
            kind=Notification.Kind.ACCEPTED_FOR_YOU,
            actor=by,
            question=question,
            answer=answer,
        )
    previous = Answer.objects.filter(pk=previous_id).first() if previous_id else None
    content_changed()
    signals.answer_accepted.send(
        sender=Answer, answer=answer, by=by, previous_answer=previous
    )
    return question


@transaction.atomic
def answer_unaccept(*, question: Question, by) -> Question:
    """Withdraw the acceptance; the question goes back to "answered"."""
    question = _lock_question(question)
    if not permissions.can_accept_answer(by, question):
        raise PermissionDenied(
            _("Only the person who asked, or staff, can change the accepted answer.")
        )
    answer = question.accepted_answer
    if answer is None:
        return question
    question.accepted_answer = None
    question.accepted_at = None
    question.status = _question_status(question)
    question.save(update_fields=["accepted_answer", "accepted_at", "status"])
    content_changed()
    signals.answer_unaccepted.send(sender=Answer, answer=answer, by=by)
    return question


@transaction.atomic
def answer_mark_official(*, answer: Answer, by, official: bool = True) -> Question:
    """Staff mark (or unmark) one answer as the official answer, shown beside the accepted one."""
    question = _lock_question(answer.question)
    if not permissions.can_mark_official(by, question):
        raise PermissionDenied(_("Only staff can mark the official answer."))
    if answer.question_id != question.pk:
        raise ValidationError(_("That answer belongs to another question."))
    if official and answer.is_hidden:
        raise ValidationError(_("A hidden answer cannot be the official answer."))
    if official and question.official_answer_id == answer.pk:
        return question  # already official: nothing changes, nobody is told twice
    if official:
        question.official_answer = answer
    elif question.official_answer_id == answer.pk:
        question.official_answer = None
    else:
        return question
    question.save(update_fields=["official_answer"])
    content_changed()
    if official:
        # The asker (and whoever follows the question) hears of it, as of an
        # acceptance: email or digest by their preference, and in-site.
        _notify_followers(
            question,
            kind=Notification.Kind.OFFICIAL_ANSWER,
            actor=by,
            answer=answer,
            extra=[question.author_id],
        )
        signals.answer_marked_official.send(sender=Answer, answer=answer, by=by)
    return question


# --------------------------------------------------------------------------- votes and me-too


def _target_of(*, question: Question | None, answer: Answer | None):
    if (question is None) == (answer is None):
        raise ValueError("Vote on exactly one of question or answer.")
    return question if question is not None else answer


def vote_cast(
    *, user, value: int, question: Question | None = None, answer: Answer | None = None
) -> Vote | None:
    """Vote a post up (+1) or down (-1), change the vote, or withdraw it (0).

    One row per person per post (a database constraint). The post's score moves
    by the difference with an F() update in the same transaction, so any number
    of concurrent voters leave an exact score; a lost insert race is retried as
    a change.
    """
    if value not in (-1, 0, 1):
        raise ValidationError({"value": _("A vote is +1, -1 or 0 (withdraw).")})
    _require_member(user)
    target = _target_of(question=question, answer=answer)
    target = (
        type(target)
        .objects.select_related(*(["question"] if answer is not None else []))
        .get(pk=target.pk)
    )
    hidden = target.is_hidden or (
        isinstance(target, Answer) and target.question.is_hidden
    )
    if hidden:
        raise ValidationError(_("This post is hidden and cannot be voted on."))
    if not permissions.can_vote(user, target):
        raise PermissionDenied(_("You cannot vote on your own post."))
    if value == -1 and not permissions.can_vote_down(user):
        raise PermissionDenied(_privilege_refusal("vote_down"))
    for attempt in range(3):
        try:
            with transaction.atomic():
                return _vote_write(user=user, target=target, value=value)
        except IntegrityError:
            if attempt == 2:
                raise
    return None  # pragma: no cover


def _vote_write(*, user, target, value: int) -> Vote | None:
    key = {"question": target} if isinstance(target, Question) else {"answer": target}
    model = type(target)
    vote = Vote.objects.select_for_update().filter(user=user, **key).first()
    previous = vote.value if vote else 0
    if value == previous:
        return vote
    if vote and value == 0:
        vote.delete()
        vote = None
    elif vote:
        vote.value = value
        vote.updated_at = timezone.now()
        vote.save(update_fields=["value", "updated_at"])
    else:
        vote = Vote.objects.create(user=user, value=value, **key)
    model.objects.filter(pk=target.pk).update(score=F("score") + (value - previous))
    scores_changed(voter_id=user.pk)
    signals.vote_cast.send(
        sender=Vote,
        vote=vote,
        voter=user,
        question=key.get("question"),
        answer=key.get("answer"),
        value=value,
        previous_value=previous,
    )
    return vote


def me_too_add(*, question: Question, user) -> bool:
    """Say "I have this question too"; the member then follows the question. Returns
    False if they had already said so (the count never moves twice)."""
    _require_member(user)
    question = Question.objects.get(pk=question.pk)
    if question.author_id == user.pk:
        raise PermissionDenied(_("This is your own question."))
    if question.is_hidden:
        raise ValidationError(_("This question is hidden."))
    if question.is_closed:
        raise ValidationError(_("This question is closed."))
    try:
        with transaction.atomic():
            MeToo.objects.create(question=question, user=user)
            Question.objects.filter(pk=question.pk).update(
                me_too_count=F("me_too_count") + 1
            )
            Follow.objects.get_or_create(user=user, question=question)
            content_changed(by=user.pk)
            signals.me_too_added.send(sender=MeToo, question=question, user=user)
    except IntegrityError:
        return False
    return True


@transaction.atomic
def me_too_remove(*, question: Question, user) -> bool:
    """Withdraw a "me too"; returns False if there was none."""
    deleted, _rows = MeToo.objects.filter(question=question, user=user).delete()
    if deleted:
        Question.objects.filter(pk=question.pk).update(
            me_too_count=F("me_too_count") - 1
        )
        content_changed(by=user.pk)
    return bool(deleted)


# --------------------------------------------------------------------------- comments


@transaction.atomic
def comment_add(
    *, author, body: str, question: Question | None = None, answer: Answer | None = None
) -> Comment:
    """Comment briefly on a question or an answer; followers are told."""
    _require_member(author)
    target = _target_of(question=question, answer=answer)
    # Fresh state: a question closed or hidden a moment ago takes no comment.
    target = type(target).objects.get(pk=target.pk)
    parent = (
        target
        if isinstance(target, Question)
        else Question.objects.get(pk=target.question_id)
    )
    if parent.is_hidden or target.is_hidden:
        raise ValidationError(_("This post is hidden and takes no comments."))
    if parent.is_closed:
        raise ValidationError(_("This question is closed and takes no comments."))
    body, body_html = _clean_body(body, minimum=COMMENT_MIN, maximum=COMMENT_MAX)
    comment = Comment(
        author=author,
        body=body,
        body_html=body_html,
        **{"question" if question else "answer": target},
    )
    comment.full_clean()
    comment.save()
    Question.objects.filter(pk=parent.pk).update(last_activity_at=comment.created_at)
    content_changed(by=author.pk)
    extra = [target.author_id] if answer is not None else []
    _notify_followers(
        parent,
        kind=Notification.Kind.NEW_COMMENT,
        actor=author,
        answer=target if answer else None,
        comment=comment,
        extra=extra,
    )
    return comment


# --------------------------------------------------------------------------- follows


def follow_set(
    *,
    user,
    following: bool,
    question: Question | None = None,
    tag: Tag | None = None,
    product=None,
) -> bool:
    """Follow or unfollow a question, a tag or a product; returns the new state."""
    _require_member(user)
    targets = {
        k: v
        for k, v in {"question": question, "tag": tag, "product": product}.items()
        if v is not None
    }
    if len(targets) != 1:
        raise ValueError("Follow exactly one of question, tag or product.")
    if following:
        try:
            with transaction.atomic():
                Follow.objects.get_or_create(user=user, **targets)
        except IntegrityError:
            pass
    else:
        Follow.objects.filter(user=user, **targets).delete()
    if question is None:
        from .selectors import follows_cache_key

        key = follows_cache_key(user.pk)
        cache.delete(key)
        transaction.on_commit(lambda: cache.delete(key))
    return following


# --------------------------------------------------------------------------- flags and moderation


def _clean_reason(reason: str) -> str:
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": _("Say why: the decision is logged.")})
    return reason[:500]


def _require_moderator(user) -> None:
    if not permissions.can_moderate(user):
        raise PermissionDenied(_("Only moderators can do this."))


def _post_kwargs(post) -> dict:
    if isinstance(post, Question):
        return {"question": post}
    if isinstance(post, Answer):
        return {"answer": post}
    if isinstance(post, Comment):
        return {"comment": post}
    raise ValueError("Not a community post.")


def post_flag_check(*, user, post) -> None:
    """Raise PermissionDenied saying why `user` may not flag `post`, if they may not."""
    _require_member(user)
    if not permissions.can_flag(user, post):
        if post.author_id == user.pk:
            raise PermissionDenied(_("You cannot flag your own post."))
        raise PermissionDenied(_privilege_refusal("flag"))


def post_flag(*, user, post, reason: str, note: str = "") -> Flag:
    """Report a post to moderators; one flag per member per post."""
    post_flag_check(user=user, post=post)
    if reason not in Flag.Reason.values:
        raise ValidationError({"reason": _("Choose a reason.")})
    note = " ".join((note or "").split())
    if reason == Flag.Reason.STAFF and not note:
        raise ValidationError({"note": _("Tell staff what needs their attention.")})
    flag = Flag(flagger=user, reason=reason, note=note, **_post_kwargs(post))
    flag.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            flag.save()
    except IntegrityError as error:
        raise ValidationError(
            _("You have already flagged this post; moderators will look at it.")
        ) from error
    return flag


def _resolve_flags(post, state: str) -> None:
    Flag.objects.filter(state=Flag.State.OPEN, **_post_kwargs(post)).update(
        state=state, resolved_at=timezone.now()
    )


@transaction.atomic
def post_hide(*, post, by, reason: str) -> ModerationDecision:
    """Hide a post (never delete it): it vanishes from lists and search, stays visible
    to its author with a note, and is counted publicly per product."""
    _require_moderator(by)
    reason = _clean_reason(reason)
    model = type(post)
    post = model.objects.select_for_update().get(pk=post.pk)
    if not post.is_hidden:
        post.is_hidden = True
        post.save(update_fields=["is_hidden"])
        if isinstance(post, Answer):
            _answer_withdraw_from_question(post)
            _unindex_on_commit(post)
        if isinstance(post, Question):
            _unindex_on_commit(post, *post.answers.all())
        signals.post_hidden.send(sender=model, by=by, **_post_kwargs(post))
        content_changed()
    _resolve_flags(post, Flag.State.UPHELD)
    return ModerationDecision.objects.create(
        moderator=by,
        action=ModerationDecision.Action.HIDE,
        reason=reason,
        member_id=post.author_id,
        **_post_kwargs(post),
    )


def _answer_withdraw_from_question(answer: Answer) -> None:
    """A hidden answer stops counting, and cannot stay accepted or official."""
    question = _lock_question(answer.question)
    question.answer_count = max(0, question.answer_count - 1)
    fields = ["answer_count", "status"]
    if question.accepted_answer_id == answer.pk:
        question.accepted_answer = None
        question.accepted_at = None
        fields += ["accepted_answer", "accepted_at"]
    if question.official_answer_id == answer.pk:
        question.official_answer = None
        fields.append("official_answer")
    question.status = _question_status(question)
    question.save(update_fields=fields)


@transaction.atomic
def post_restore(*, post, by, reason: str) -> ModerationDecision:
    """Bring a hidden post back."""
    _require_moderator(by)
    reason = _clean_reason(reason)
    model = type(post)
    post = model.objects.select_for_update().get(pk=post.pk)
    if post.is_hidden:
        post.is_hidden = False
        post.save(update_fields=["is_hidden"])
        if isinstance(post, Answer):
            Question.objects.filter(pk=post.question_id).update(
                answer_count=F("answer_count") + 1
            )
            _question_refresh_status(post.question)
        if isinstance(post, Answer):
            _reindex_on_commit(post)
        if isinstance(post, Question):
            _reindex_on_commit(post, *post.answers.all())
        signals.post_restored.send(sender=model, by=by, **_post_kwargs(post))
        content_changed()
    return ModerationDecision.objects.create(
        moderator=by,
        action=ModerationDecision.Action.RESTORE,
        reason=reason,
        member_id=post.author_id,
        **_post_kwargs(post),
    )


@transaction.atomic
def flags_dismiss(*, post, by, reason: str) -> ModerationDecision:
    """Decide a flagged post is fine: its open flags are dismissed."""
    _require_moderator(by)
    reason = _clean_reason(reason)
    _resolve_flags(post, Flag.State.DISMISSED)
    return ModerationDecision.objects.create(
        moderator=by,
        action=ModerationDecision.Action.DISMISS,
        reason=reason,
        member_id=post.author_id,
        **_post_kwargs(post),
    )


@transaction.atomic
def member_suspend(
    *, member, by, reason: str, suspended: bool = True
) -> ModerationDecision:
    """Suspend (or reinstate) a member: a suspended account cannot log in or use its tokens.

    Deactivating the account is what ends existing sessions: Django's auth
    backend refuses inactive users on every request.
    """
    _require_moderator(by)
    reason = _clean_reason(reason)
    if member.pk == by.pk:
        raise ValidationError(_("You cannot suspend yourself."))
    if suspended and (member.is_superuser or is_staff_member(member)):
        raise ValidationError(
            _("Staff accounts are managed in Users, not suspended here.")
        )
    User = get_user_model()
    User.objects.filter(pk=member.pk).update(is_active=not suspended)
    member.is_active = not suspended
    content_changed()
    action = (
        ModerationDecision.Action.SUSPEND
        if suspended
        else ModerationDecision.Action.REINSTATE
    )
    return ModerationDecision.objects.create(
        moderator=by, action=action, reason=reason, member=member
    )


@transaction.atomic
def question_close(
    *,
    question: Question,
    by,
    reason: str,
    note: str = "",
    duplicate_of: Question | None = None,
) -> Question:
    """Close a question (it takes no new answers, comments, me-toos or acceptance)."""
    _require_moderator(by)
    if reason not in Question.CloseReason.values:
        raise ValidationError({"reason": _("Choose why the question is closed.")})
    note = " ".join((note or "").split())[:500]
    if reason == Question.CloseReason.DUPLICATE:
        if duplicate_of is None:
            raise ValidationError(
                {"duplicate_of": _("Say which question this duplicates.")}
            )
        if duplicate_of.pk == question.pk:
            raise ValidationError(
                {"duplicate_of": _("A question cannot duplicate itself.")}
            )
        if duplicate_of.is_hidden:
            raise ValidationError(
                {"duplicate_of": _("The original question is hidden.")}
            )
        if duplicate_of.duplicate_of_id == question.pk:
            raise ValidationError(
                {"duplicate_of": _("That question is already a duplicate of this one.")}
            )
    elif duplicate_of is not None:
        raise ValidationError(
            {"duplicate_of": _("Only a duplicate links to an original.")}
        )
    question = _lock_question(question)
    question.close_reason = reason
    question.close_note = note
    question.duplicate_of = duplicate_of
    question.closed_at = timezone.now()
    question.closed_by = by
    question.status = Question.Status.CLOSED
    question.full_clean()
    question.save()
    content_changed()
    ModerationDecision.objects.create(
        moderator=by,
        action=ModerationDecision.Action.CLOSE,
        reason=f"{question.get_close_reason_display()}{': ' + note if note else ''}",
        question=question,
    )
    return question


@transaction.atomic
def question_reopen(*, question: Question, by, reason: str) -> Question:
    """Reopen a closed question; its status follows its answers again."""
    _require_moderator(by)
    reason = _clean_reason(reason)
    question = _lock_question(question)
    if not question.is_closed:
        raise ValidationError(_("This question is not closed."))
    question.close_reason = ""
    question.close_note = ""
    question.duplicate_of = None
    question.closed_at = None
    question.closed_by = None
    question.status = _question_status(question)
    question.save()
    ModerationDecision.objects.create(
        moderator=by,
        action=ModerationDecision.Action.REOPEN,
        reason=reason,
        question=question,
    )
    content_changed()
    return question


@transaction.atomic
def question_merge(
    *, duplicate: Question, original: Question, by, reason: str = ""
) -> Question:
    """Close `duplicate` as a duplicate of `original` and move its me-toos and followers there.

    Answers stay where they were written (one answer per person per question
    could not hold if they moved); the duplicate links to the original.
    """
    reason = " ".join((reason or "").split())
    question_close(
        question=duplicate,
        by=by,
        reason=Question.CloseReason.DUPLICATE,
        note=reason,
        duplicate_of=original,
    )
    movers = (
        MeToo.objects.filter(question=duplicate)
        .exclude(user_id=original.author_id)
        .values_list("user_id", flat=True)
    )
    already = set(
        MeToo.objects.filter(question=original).values_list("user_id", flat=True)
    )
    new = [
        MeToo(question=original, user_id=uid) for uid in movers if uid not in already
    ]
    # The asker of the duplicate has the question too.
    if duplicate.author_id != original.author_id and duplicate.author_id not in already:
        new.append(MeToo(question=original, user_id=duplicate.author_id))
    new = list({m.user_id: m for m in new}.values())
    MeToo.objects.bulk_create(new, ignore_conflicts=True)
    Question.objects.filter(pk=original.pk).update(
        me_too_count=MeToo.objects.filter(question=original).count()
    )
    followers = set(
        Follow.objects.filter(question=duplicate).values_list("user_id", flat=True)
    )
    followers -= set(
        Follow.objects.filter(question=original).values_list("user_id", flat=True)
    )
    Follow.objects.bulk_create(
        [Follow(user_id=uid, question=original) for uid in followers],
        ignore_conflicts=True,
    )
    ModerationDecision.objects.create(
        moderator=by,
        action=ModerationDecision.Action.MERGE,
        reason=reason or _("Merged as a duplicate"),
        question=duplicate,
    )
    return duplicate


# --------------------------------------------------------------------------- notifications


def notification_preference_get(*, user) -> NotificationPreference:
    preference, _created = NotificationPreference.objects.get_or_create(user=user)
    return preference


def notification_preference_set(*, user, email_mode: str) -> NotificationPreference:
    """Choose one email per notification, a daily digest, or no email."""
    if email_mode not in NotificationPreference.EmailMode.values:
        raise ValidationError({"email_mode": _("Choose how to be emailed.")})
    preference = notification_preference_get(user=user)
    preference.email_mode = email_mode
    preference.save(update_fields=["email_mode"])
    return preference


def unsubscribe_token(*, user, question: Question | None = None) -> str:
    """A signed token for the one-click unsubscribe link in emails (no expiry)."""
    return signing.dumps(
        {"u": user.pk, "q": question.pk if question else None},
        salt=UNSUBSCRIBE_SALT,
        compress=True,
    )


def unsubscribe_token_read(token: str) -> tuple:
    """Return (user, question or None) for a token, or raise ValidationError."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature as error:
        raise ValidationError(_("This unsubscribe link is not valid.")) from error
    user = get_user_model().objects.filter(pk=data.get("u")).first()
    if user is None:
        raise ValidationError(_("This unsubscribe link is not valid."))
    question = Question.objects.filter(pk=data["q"]).first() if data.get("q") else None
    return user, question


@transaction.atomic
def unsubscribe(*, token: str) -> str:
    """Act on an unsubscribe link (always a POST): stop one question's emails or all emails."""
    user, question = unsubscribe_token_read(token)
    if question is not None:
        Follow.objects.filter(user=user, question=question).delete()
        return _("You will get no more notifications about “%(title)s”.") % {
            "title": question.title
        }
    notification_preference_set(
        user=user, email_mode=NotificationPreference.EmailMode.NONE
    )
    return _(
        "You will get no more community emails. You can turn them back on in your account."
    )


def notifications_mark_read(
    *, user, notification_ids: Iterable[int] | None = None
) -> int:
    """Mark some (or all) of a member's notifications read; returns how many changed."""
    rows = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        rows = rows.filter(pk__in=list(notification_ids))
    changed = rows.update(read_at=timezone.now())
    _forget_unread_counts([user.pk])
    return changed


def _forget_unread_counts(user_ids) -> None:
    """Drop cached unread counts (the header's badge) once the change is committed."""
    from .selectors import unread_cache_key

    keys = [unread_cache_key(uid) for uid in user_ids]
    # Now for this request, and again after commit in case a concurrent
    # request cached the old count in between.
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


def _followers_of(question: Question) -> set[int]:
    return set(
        Follow.objects.filter(question=question).values_list("user_id", flat=True)
    )


def _notify_followers(
    question: Question, *, kind: str, actor, answer=None, comment=None, extra=()
) -> None:
    recipients = _followers_of(question) | {uid for uid in extra if uid}
    recipients.discard(actor.pk)
    _notify(
        recipients=recipients,
        kind=kind,
        actor=actor,
        question=question,
        answer=answer,
        comment=comment,
    )


def _notify_new_question(question: Question) -> None:
    tag_ids = list(question.tagged_items.values_list("tag_id", flat=True))
    followers = (
        Follow.objects.filter(tag_id__in=tag_ids) if tag_ids else Follow.objects.none()
    )
    if question.product_id:
        followers = followers | Follow.objects.filter(product_id=question.product_id)
    recipients = set(followers.values_list("user_id", flat=True))
    recipients.discard(question.author_id)
    _notify(
        recipients=recipients,
        kind=Notification.Kind.NEW_QUESTION,
        actor=question.author,
        question=question,
    )


EMAIL_SUBJECTS = {
    Notification.Kind.NEW_ANSWER: "New answer: {title}",
    Notification.Kind.ACCEPTED: "An answer was accepted: {title}",
    Notification.Kind.ACCEPTED_FOR_YOU: "Staff accepted an answer to your question: {title}",
    Notification.Kind.NEW_COMMENT: "New comment: {title}",
    Notification.Kind.NEW_QUESTION: "New question: {title}",
    Notification.Kind.OFFICIAL_ANSWER: "Official answer from staff: {title}",
    Notification.Kind.KNOWN_PROBLEM: "Status update on a problem you share: {title}",
    Notification.Kind.SUGGESTED_EDIT: "An edit was suggested to your post: {title}",
    Notification.Kind.SUGGESTED_EDIT_APPROVED: "Your suggested edit was approved: {title}",
    Notification.Kind.SUGGESTED_EDIT_REJECTED: "Your suggested edit was rejected: {title}",
}


def _notify(
    *,
    recipients: Iterable[int],
    kind: str,
    actor,
    question: Question,
    answer=None,
    comment=None,
    suggested_edit=None,
    email_context: dict | None = None,
) -> list[Notification]:
    """Create in-site notifications and email those who want one email per event.

    `email_context` adds what only the email shows (a suggested edit's reason,
    say), for the `community/email/notification.txt` branch of `kind`.

    Members on the daily digest get theirs from `notification_digests_send`;
    members who chose no email only see the in-site list. Inactive (suspended)
    members get nothing.
    """
    User = get_user_model()
    users = list(
        User.objects.filter(pk__in=set(recipients), is_active=True).only("pk", "email")
    )
    if not users:
        return []
    modes = dict(
        NotificationPreference.objects.filter(user__in=users).values_list(
            "user_id", "email_mode"
        )
    )
    now = timezone.now()
    notifications = [
        Notification(
            recipient=user,
            kind=kind,
            actor=actor,
            question=question,
            answer=answer,
            comment=comment,
            suggested_edit=suggested_edit,
            created_at=now,
            emailed_at=now
            if modes.get(user.pk, NotificationPreference.EmailMode.EACH) == "each"
            else None,
        )
        for user in users
    ]
    Notification.objects.bulk_create(notifications)
    _forget_unread_counts([user.pk for user in users])
    subject = EMAIL_SUBJECTS[kind].format(title=question.title[:120])
    for notification, user in zip(notifications, users, strict=True):
        if notification.emailed_at is None or not user.email:
            continue
        email_send_on_commit(
            to=[user.email],
            subject=subject,
            template="community/email/notification.txt",
            context={
                "notification": notification,
                "question": question,
                "answer": answer,
                "comment": comment,
                "actor_name": _display_name(actor),
                "link": notification.get_absolute_url(),
                "unsubscribe_question": _unsubscribe_path(user, question),
                "unsubscribe_all": _unsubscribe_path(user, None),
                **(email_context or {}),
            },
            headers=_one_click_unsubscribe_headers(user),
        )
    return notifications


def _display_name(user) -> str:
    if user is None:
        return ""
    profile = getattr(user, "profile", None)
    return getattr(profile, "display_name", "") or user.get_username()


def _one_click_unsubscribe_headers(user) -> dict[str, str]:
    """RFC 8058: mail clients show "Unsubscribe" and POST to the link themselves."""
    url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + _unsubscribe_path(user, None)
    return {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def _unsubscribe_path(user, question) -> str:
    from django.urls import reverse

    return reverse(
        "community:unsubscribe",
        kwargs={"token": unsubscribe_token(user=user, question=question)},
    )


def notification_digests_send(*, now=None) -> int:
    """Send each daily-digest member one email with what they have not been emailed yet.

    Safe to run more often than daily and from several workers: each member's
    rows are claimed under a lock and marked emailed in the same transaction, and
    a member is sent at most one digest per 20 hours.
    """
    now = now or timezone.now()
    sent = 0
    pending_users = (
        Notification.objects.filter(
            emailed_at__isnull=True,
            recipient__community_preference__email_mode=NotificationPreference.EmailMode.DAILY,
            recipient__is_active=True,
        )
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    for user_id in list(pending_users):
        with transaction.atomic():
            preference = NotificationPreference.objects.select_for_update().get(
                user_id=user_id
            )
            if (
                preference.last_digest_at
                and now - preference.last_digest_at < timedelta(hours=20)
            ):
                continue
            rows = list(
                Notification.objects.filter(
                    recipient_id=user_id,
                    emailed_at__isnull=True,
                    created_at__lte=now,
                    created_at__gte=now - timedelta(days=DIGEST_MAX_AGE_DAYS),
                )
                .filter(Q(question__is_hidden=False) | Q(question__author_id=user_id))
                .select_related("question", "actor__profile", "recipient", "suggested_edit")
                .order_by("created_at")[:200]
            )
            if not rows:
                continue
            Notification.objects.filter(pk__in=[n.pk for n in rows]).update(
                emailed_at=now
            )
            preference.last_digest_at = now
            preference.save(update_fields=["last_digest_at"])
            user = rows[0].recipient
            email_send_on_commit(
                to=[user.email],
                subject=ngettext(
                    "Your daily community digest: %(n)d update",
                    "Your daily community digest: %(n)d updates",
                    len(rows),
                )
                % {"n": len(rows)},
                template="community/email/digest.txt",
                context={
                    "notifications": rows,
                    "unsubscribe_all": _unsubscribe_path(user, None),
                    "site_name": settings.WAGTAIL_SITE_NAME,
                },
                headers=_one_click_unsubscribe_headers(user),
            )
            sent += 1
    return sent


# --------------------------------------------------------------------------- privileges


def _privilege_refusal(name: str) -> str:
    return _(
        "%(privilege)s needs %(n)d reputation; see how reputation works on /community/reputation/."
    ) % {
        "privilege": permissions.PRIVILEGES[name],
        "n": settings.CANDOR_REPUTATION_PRIVILEGES[name],
    }


@transaction.atomic
def question_retag(*, question: Question, by, tags: Iterable[str] | str) -> Question:
    """Change only a question's tags: members with the retag privilege tidy others' questions.

    Kept as a public revision like any edit, and re-indexed for search.
    """
    if not permissions.can_retag(by, question):
        raise PermissionDenied(_privilege_refusal("retag"))
    tag_names = clean_tag_names(tags)
    question = _lock_question(question)
    if sorted(tag_names) == sorted(question.tags.names()):
        return question
    question.tags.set(tag_names)
    question.edited_at = timezone.now()
    question.save(update_fields=["edited_at"])
    _revision_add(post=question, editor=by, note=_("Retagged"))
    _reindex_on_commit(question, *question.answers.all())
    return question


# --------------------------------------------------------------------------- counters


def _counted(model, key: str, value: str | None = None, **filters):
    """A subquery: how many `model` rows have `key` = the outer post (or the sum of their `value`)."""
    rows = (
        model.objects.filter(**{key: OuterRef("pk")}, **filters).order_by().values(key)
    )
    total = Sum(value) if value else Count("pk")
    return Coalesce(Subquery(rows.annotate(n=total).values("n")), Value(0))


def _counter_checks():
    """(model, field, what the rows say) for each counter kept beside its rows."""
    return [
        (Question, "score", _counted(Vote, "question", "value")),
        (Question, "me_too_count", _counted(MeToo, "question")),
        (Question, "answer_count", _counted(Answer, "question", is_hidden=False)),
        (Answer, "score", _counted(Vote, "answer", "value")),
    ]


def post_counters_rebuild(*, fix: bool = True) -> list[str]:
    """Recount every post's score, me-toos and visible answers from their rows; return (and fix) differences.

    The counters move with F() updates beside the rows they count; this is the
    check that they never drifted (after a crash, a fault test, a load run).
    Each fix locks the post and recounts it in the same transaction, so a vote
    committed meanwhile is counted exactly once.
    """
    differences = []
    for model, field, expected in _counter_checks():
        drifted = (
            model.objects.annotate(expected=expected)
            .exclude(**{field: F("expected")})
            .values_list("pk", field, "expected")
        )
        for pk, stored, want in drifted.iterator():
            differences.append(
                f"{model._meta.model_name} {pk} {field}: stored {stored}, rows say {want}"
            )
            if fix:
                with transaction.atomic():
                    post = model.objects.select_for_update().filter(pk=pk)
                    (want,) = post.annotate(expected=expected).values_list(
                        "expected", flat=True
                    )
                    post.update(**{field: want})
    if fix and differences:
        content_changed()
    return differences
