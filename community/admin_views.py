"""Staff tools in the Wagtail admin: moderation queue, question management, reports.

Every decision goes through `community.services`, so it is checked, logged
with who and why, and behaves the same as anywhere else. Wagtail's generic
add/edit/delete views are not exposed for community models: nobody edits a
post or a log entry behind the services' back.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from . import permissions, selectors, services
from .forms import CloseForm, MergeForm, ReasonForm, TagsForm
from .models import Answer, Comment, ModerationDecision, Question


class ModeratorRequiredMixin:
    def dispatch(self, request, *args, **kwargs):
        if not permissions.can_moderate(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class _ModeratorMenuItem(MenuItem):
    def is_shown(self, request):
        return permissions.can_moderate(request.user)


def _admin_breadcrumbs(label):
    return [
        {"url": reverse("wagtailadmin_home"), "label": _("Home")},
        {"url": "", "label": label},
    ]


def _post(kind: str, pk: int):
    model = {"question": Question, "answer": Answer, "comment": Comment}.get(kind)
    if model is None:
        raise Http404
    return get_object_or_404(model, pk=pk)


class ModerationQueueView(
    ModeratorRequiredMixin, WagtailAdminTemplateMixin, TemplateView
):
    """Flagged posts, most flagged first: hide, dismiss the flags, or suspend the author."""

    template_name = "community/admin/moderation_queue.html"
    page_title = gettext_lazy("Moderation queue")
    header_icon = "warning"

    def get_breadcrumbs_items(self):
        return _admin_breadcrumbs(self.page_title)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        show = self.request.GET.get("show", "flagged")
        context["show"] = show
        if show == "hidden":
            page_obj = Paginator(
                Question.objects.filter(is_hidden=True)
                .select_related("author__profile")
                .order_by("-pk"),
                25,
            ).get_page(self.request.GET.get("page"))
            context["hidden_questions"] = page_obj
            context["hidden_answers"] = (
                Answer.objects.filter(is_hidden=True)
                .select_related("author__profile", "question")
                .order_by("-pk")[:50]
            )
            context["hidden_comments"] = (
                Comment.objects.filter(is_hidden=True)
                .select_related("author__profile")
                .order_by("-pk")[:50]
            )
            context["page_obj"] = page_obj
        else:
            page_obj = Paginator(selectors.moderation_queue(), 25).get_page(
                self.request.GET.get("page")
            )
            context["items"] = selectors.moderation_queue_items(page_obj.object_list)
            context["page_obj"] = page_obj
        context["reason_form"] = ReasonForm()
        return context

    def post(self, request, *args, **kwargs):
        post = _post(request.POST.get("kind", ""), _int(request.POST.get("pk")))
        action = request.POST.get("action", "")
        reason = request.POST.get("reason", "")
        try:
            if action == "hide":
                services.post_hide(post=post, by=request.user, reason=reason)
                messages.success(
                    request,
                    _("The post is hidden; its author still sees it, with a note."),
                )
            elif action == "restore":
                services.post_restore(post=post, by=request.user, reason=reason)
                messages.success(request, _("The post is restored."))
            elif action == "dismiss":
                services.flags_dismiss(post=post, by=request.user, reason=reason)
                messages.success(request, _("The flags are dismissed."))
            elif action == "suspend":
                services.member_suspend(
                    member=post.author, by=request.user, reason=reason
                )
                messages.success(request, _("The member is suspended."))
            else:
                raise ValidationError(_("Unknown action."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(request.get_full_path())


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


class QuestionManageView(
    ModeratorRequiredMixin, WagtailAdminTemplateMixin, TemplateView
):
    """One question: close, reopen, merge into another, change tags, hide or restore."""

    template_name = "community/admin/question_manage.html"
    header_icon = "help"
    index_url_name = None

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.question = get_object_or_404(
            Question.objects.select_related(
                "author__profile", "product", "duplicate_of"
            ),
            pk=kwargs["pk"],
        )

    def get_page_title(self):
        return _("Manage question")

    def get_page_subtitle(self):
        return self.question.title

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": _("Home")},
            {"url": reverse("community_questions:index"), "label": _("Questions")},
            {"url": "", "label": self.question.title[:60]},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        question = self.question
        forms = {
            "close": CloseForm(prefix="close"),
            "reopen": ReasonForm(prefix="reopen"),
            "merge": MergeForm(prefix="merge"),
            "tags": TagsForm(
                prefix="tags",
                initial={"tags": ", ".join(sorted(question.tags.names()))},
            ),
            "visibility": ReasonForm(prefix="visibility"),
        }
        forms.update(kwargs.get("bound_forms", {}))
        context.update(
            question=question,
            forms=forms,
            decisions=ModerationDecision.objects.filter(
                question=question
            ).select_related("moderator__profile")[:20],
            open_flags=question.flags.filter(state="open").select_related(
                "flagger__profile"
            ),
        )
        return context

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action", "")
        question = self.question
        form_classes = {
            "close": CloseForm,
            "reopen": ReasonForm,
            "merge": MergeForm,
            "tags": TagsForm,
            "visibility": ReasonForm,
        }
        if action not in form_classes:
            raise Http404
        form = form_classes[action](request.POST, prefix=action)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if action == "close":
                    services.question_close(
                        question=question,
                        by=request.user,
                        reason=data["reason"],
                        note=data["note"],
                        duplicate_of=data["duplicate_of"],
                    )
                    messages.success(request, _("The question is closed."))
                elif action == "reopen":
                    services.question_reopen(
                        question=question, by=request.user, reason=data["reason"]
                    )
                    messages.success(request, _("The question is reopened."))
                elif action == "merge":
                    services.question_merge(
                        duplicate=question,
                        original=data["original"],
                        by=request.user,
                        reason=data["reason"],
                    )
                    messages.success(
                        request, _("Merged: this question now points to the original.")
                    )
                elif action == "tags":
                    services.question_tags_set(
                        question=question,
                        by=request.user,
                        tags=data["tags"],
                        reason=data["reason"],
                    )
                    messages.success(request, _("The tags are saved."))
                elif question.is_hidden:
                    services.post_restore(
                        post=question, by=request.user, reason=data["reason"]
                    )
                    messages.success(request, _("The question is restored."))
                else:
                    services.post_hide(
                        post=question, by=request.user, reason=data["reason"]
                    )
                    messages.success(request, _("The question is hidden."))
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for field, errors in error.message_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, error)
            else:
                return redirect("community_questions:edit", pk=question.pk)
        context = self.get_context_data(bound_forms={action: form})
        return self.render_to_response(context, status=400)


class UnansweredReportView(
    ModeratorRequiredMixin, WagtailAdminTemplateMixin, TemplateView
):
    """Questions nobody has answered yet, oldest first, with their age."""

    template_name = "community/admin/unanswered.html"
    page_title = gettext_lazy("Unanswered questions by age")
    header_icon = "time"

    def get_breadcrumbs_items(self):
        return _admin_breadcrumbs(self.page_title)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page_obj"] = Paginator(
            selectors.question_list_unanswered_by_age(), 50
        ).get_page(self.request.GET.get("page"))
        return context


class ArticlesToWriteView(
    ModeratorRequiredMixin, WagtailAdminTemplateMixin, TemplateView
):
    """What the ask page could not answer: the knowledge-base articles to write next."""

    template_name = "community/admin/articles_next.html"
    page_title = gettext_lazy("Articles to write next")
    header_icon = "doc-full"

    def get_breadcrumbs_items(self):
        return _admin_breadcrumbs(self.page_title)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["deflection"] = selectors.deflection_summary()
        context["tags"] = selectors.tag_demand_without_articles()
        context["page_obj"] = Paginator(
            selectors.articles_to_write_next(), 30
        ).get_page(self.request.GET.get("page"))
        return context


class _CustomViewSet(ViewSet):
    """A one-view admin section, shown in the menu only to moderators."""

    view_class = None
    route_name = "index"

    def get_menu_item(self, order=None):
        return _ModeratorMenuItem(
            label=self.menu_label,
            url=self.menu_url,
            name=self.name,
            icon_name=self.icon,
            order=self.get_menu_item_order(order),
        )

    def get_urlpatterns(self):
        return [path("", self.view_class.as_view(), name=self.route_name)]


class ModerationViewSet(_CustomViewSet):
    name = "community_moderation"
    url_prefix = "community/moderation"
    icon = "warning"
    menu_label = gettext_lazy("Moderation queue")
    view_class = ModerationQueueView


class UnansweredViewSet(_CustomViewSet):
    name = "community_unanswered"
    url_prefix = "community/unanswered"
    icon = "time"
    menu_label = gettext_lazy("Unanswered by age")
    view_class = UnansweredReportView


class ArticlesNextViewSet(_CustomViewSet):
    name = "community_articles_next"
    url_prefix = "community/articles-to-write"
    icon = "doc-full"
    menu_label = gettext_lazy("Articles to write next")
    view_class = ArticlesToWriteView


class _ReadOnlyModelViewSet(ModelViewSet):
    """A listing (and optional inspect view) without Wagtail's generic write views."""

    copy_view_enabled = False
    add_to_reference_index = False

    def get_common_view_kwargs(self, **kwargs):
        view_kwargs = super().get_common_view_kwargs(**kwargs)
        view_kwargs.update(
            add_url_name=None,
            delete_url_name=None,
            copy_url_name=None,
            usage_url_name=None,
            history_url_name=None,
        )
        return view_kwargs

    def get_urlpatterns(self):
        urlpatterns = [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
        ]
        if self.inspect_view_enabled:
            urlpatterns.append(
                path("inspect/<int:pk>/", self.inspect_view, name="inspect")
            )
        return urlpatterns


class QuestionViewSet(_ReadOnlyModelViewSet):
    """Questions for staff: filter, search, then manage one (close, merge, tags, hide)."""

    model = Question
    name = "community_questions"
    url_prefix = "community/questions"
    icon = "help"
    menu_label = gettext_lazy("Questions")
    list_display = [
        "title",
        "status",
        "product",
        "answer_count",
        "me_too_count",
        "is_hidden",
        "created_at",
    ]
    list_filter = ["status", "is_hidden", "product"]
    search_fields = ["title", "body"]
    search_backend_name = None
    inspect_view_enabled = False

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("manage/<int:pk>/", QuestionManageView.as_view(), name="edit"),
        ]


class ModerationLogViewSet(_ReadOnlyModelViewSet):
    model = ModerationDecision
    name = "community_moderation_log"
    url_prefix = "community/moderation-log"
    icon = "list-ul"
    menu_label = gettext_lazy("Moderation log")
    list_display = ["created_at", "moderator", "action", "reason", "question", "member"]
    list_filter = ["action"]
    search_fields = ["reason"]
    search_backend_name = None

    def get_common_view_kwargs(self, **kwargs):
        view_kwargs = super().get_common_view_kwargs(**kwargs)
        view_kwargs["edit_url_name"] = None
        return view_kwargs


class CommunityAdminGroup(ViewSetGroup):
    menu_label = gettext_lazy("Community")
    menu_icon = "group"
    menu_order = 250
    items = (
        ModerationViewSet,
        QuestionViewSet,
        UnansweredViewSet,
        ArticlesNextViewSet,
        ModerationLogViewSet,
    )

    def __init__(self):
        from .admin_views_reputation import BadgeAwardsViewSet

        self.items = (*type(self).items, BadgeAwardsViewSet)
        super().__init__()
