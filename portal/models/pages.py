"""Page types staff own in the Wagtail admin: home, products and the knowledge base."""

from django.core.paginator import Paginator
from django.db import models
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from ..blocks import ArticleBodyBlock
from ..cache import CachedPageMixin


class SearchableMixin:
    """What the site search needs from every searchable model (see portal.search)."""

    search_type = ""

    def get_search_snippet(self) -> str:
        raise NotImplementedError

    def search_product_slugs(self) -> list[str]:
        return []

    def search_tag_names(self) -> list[str]:
        return []

    def search_boost(self) -> float:
        """Multiply this item's relevance: what settles a question ranks first.

        Help articles and threads with an accepted or staff answer override it
        above 1, unanswered threads and reviews below, so for the same match
        the answer comes before the open question (issue 15).
        """
        return 1.0


class HomePage(CachedPageMixin, Page):
    """The landing page: what this community is, search, products and latest articles.

    Later apps add the satisfaction meter, recent questions and top reviews through
    the `candor_home_panels` hook, so this model imports none of them.
    """

    tagline = models.CharField(max_length=160, blank=True)
    intro = RichTextField(blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("tagline"), FieldPanel("intro")]
    subpage_types = ["portal.ProductIndexPage", "portal.KnowledgeBaseIndexPage"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        from .. import selectors

        context = super().get_context(request, *args, **kwargs)
        context["products"] = selectors.product_list_live(
            renditions=(selectors.PRODUCT_CARD_RENDITION,)
        )[:12]
        context["articles"] = selectors.article_list_latest()[:6]
        return context


class ProductIndexPage(CachedPageMixin, Page):
    """Lists every live product."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["portal.HomePage"]
    subpage_types = ["portal.ProductPage"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        from .. import selectors

        context = super().get_context(request, *args, **kwargs)
        context["products"] = selectors.product_list_live(
            renditions=(selectors.PRODUCT_CARD_RENDITION,)
        )
        return context


class ProductPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "portal.ProductPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class ProductPage(CachedPageMixin, SearchableMixin, Page):
    """One product; questions, reviews and support interactions may point at it."""

    summary = models.CharField(max_length=300)
    image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    description = RichTextField(
        blank=True, features=["bold", "italic", "link", "ol", "ul"]
    )
    tags = ClusterTaggableManager(through=ProductPageTag, blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("image"),
        FieldPanel("description"),
        FieldPanel("tags"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary", boost=2),
        index.SearchField("description"),
        index.RelatedFields("tags", [index.SearchField("name")]),
        index.FilterField("slug"),
        index.FilterField("search_product_slugs"),
        index.FilterField("search_tag_names"),
    ]
    parent_page_types = ["portal.ProductIndexPage"]
    subpage_types = []
    search_type = "product"

    def search_boost(self) -> float:
        return 1.5

    class Meta:
        verbose_name = _("product")

    def get_context(self, request, *args, **kwargs):
        from .. import selectors

        context = super().get_context(request, *args, **kwargs)
        context["articles"] = selectors.article_list_for_product(self)[:10]
        return context

    def get_search_snippet(self) -> str:
        return self.summary

    def search_product_slugs(self) -> list[str]:
        return [self.slug]

    def search_tag_names(self) -> list[str]:
        return [tag.name.lower() for tag in self.tags.all()]


class KnowledgeBaseIndexPage(CachedPageMixin, Page):
    """The knowledge base: every live article, newest first, filterable by tag."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["portal.HomePage"]
    subpage_types = ["portal.ArticlePage"]
    max_count = 1
    page_size = 12

    def get_context(self, request, *args, **kwargs):
        from .. import selectors

        context = super().get_context(request, *args, **kwargs)
        tag = request.GET.get("tag", "").strip()[:100]
        articles = selectors.article_list_latest(tag=tag or None)
        paginator = Paginator(articles, self.page_size)
        context["tag"] = tag
        context["page_obj"] = paginator.get_page(request.GET.get("page"))
        return context


class ArticlePageTag(TaggedItemBase):
    content_object = ParentalKey(
        "portal.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class ArticlePage(CachedPageMixin, SearchableMixin, RoutablePageMixin, Page):
    """A knowledge-base article staff write, preview, schedule and publish.

    Readers answer "Was this article helpful?" with a POST to the `helpful/` route.
    """

    summary = models.CharField(
        max_length=300, help_text=_("One or two sentences shown in lists and search.")
    )
    body = StreamField(ArticleBodyBlock())
    tags = ClusterTaggableManager(through=ArticlePageTag, blank=True)
    related_products = ParentalManyToManyField(
        "portal.ProductPage", blank=True, related_name="articles"
    )
    last_reviewed = models.DateField(
        null=True,
        blank=True,
        help_text=_("When staff last checked this article is still right."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("tags"),
                FieldPanel("related_products"),
                FieldPanel("last_reviewed"),
            ],
            heading=_("About this article"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary", boost=2),
        index.SearchField("body"),
        index.RelatedFields("tags", [index.SearchField("name")]),
        index.RelatedFields("related_products", [index.SearchField("title")]),
        index.FilterField("search_product_slugs"),
        index.FilterField("search_tag_names"),
    ]
    parent_page_types = ["portal.KnowledgeBaseIndexPage"]
    subpage_types = []
    search_type = "article"

    def search_boost(self) -> float:
        return 2.5

    class Meta:
        verbose_name = _("knowledge-base article")

    @path("")
    def article(self, request):
        return self.render(request)

    @path("helpful/")
    def helpful(self, request):
        """Record a "Was this helpful?" answer; only a POST writes."""
        from .. import ratelimit, services

        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        ratelimit.enforce(request, "article_feedback")
        answer = request.POST.get("helpful")
        if answer not in {"yes", "no"}:
            raise Http404
        if not request.session.session_key:
            request.session.save()
        services.article_feedback_record(
            article=self,
            user=request.user if request.user.is_authenticated else None,
            session_key=request.session.session_key,
            helpful=answer == "yes",
        )
        from django.contrib import messages

        messages.success(request, _("Thank you for your feedback."))
        return redirect(self.url + "#feedback")

    @path("helpful/missing/")
    def helpful_missing(self, request):
        """After a "No": the reader's optional note on what was missing."""
        from django.contrib import messages

        from .. import ratelimit, services
        from ..forms import ArticleMissingForm
        from .feedback import ArticleFeedback

        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        ratelimit.enforce(request, "article_feedback")
        reader = (
            {"user": request.user}
            if request.user.is_authenticated
            else {"user": None, "session_key": request.session.session_key or "-"}
        )
        feedback = ArticleFeedback.objects.filter(
            article=self, helpful=False, **reader
        ).first()
        if feedback is None:
            raise Http404
        form = ArticleMissingForm(request.POST)
        if not form.is_valid():
            response = self.render(request, context_overrides={"missing_form": form})
            response.status_code = 400
            return response
        services.article_feedback_missing_note(
            feedback=feedback, text=form.cleaned_data["missing"]
        )
        messages.success(request, _("Thank you: we will use your note to improve this article."))
        return redirect(self.url + "#feedback")

    def get_context(self, request, *args, **kwargs):
        from .. import selectors

        context = super().get_context(request, *args, **kwargs)
        context["feedback"] = selectors.article_feedback_summary(self, request)
        if "missing_form" not in context:
            from ..forms import ArticleMissingForm

            context["missing_form"] = ArticleMissingForm()
        context["related"] = self.related_products.live()
        return context

    def get_search_snippet(self) -> str:
        if self.summary:
            return self.summary
        return Truncator(strip_tags(str(self.body))).words(40)

    def search_product_slugs(self) -> list[str]:
        return [product.slug for product in self.related_products.all()]

    def search_tag_names(self) -> list[str]:
        return [tag.name.lower() for tag in self.tags.all()]
