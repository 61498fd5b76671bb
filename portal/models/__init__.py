"""Portal models: Wagtail page types, profiles, article feedback, search gaps, branding."""

from .accounts import Profile
from .customer import CustomerNote, DataExport, SupportVisit
from .feedback import ArticleFeedback
from .pages import (
    ArticlePage,
    ArticlePageTag,
    HomePage,
    KnowledgeBaseIndexPage,
    ProductIndexPage,
    ProductPage,
    ProductPageTag,
)
from .search import SearchGap
from .settings import Branding

__all__ = [
    "ArticleFeedback",
    "ArticlePage",
    "ArticlePageTag",
    "Branding",
    "CustomerNote",
    "DataExport",
    "HomePage",
    "KnowledgeBaseIndexPage",
    "ProductIndexPage",
    "ProductPage",
    "ProductPageTag",
    "Profile",
    "SearchGap",
    "SupportVisit",
]
