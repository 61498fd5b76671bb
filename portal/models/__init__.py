"""Portal models: Wagtail page types, profiles, article feedback and branding."""

from .accounts import Profile
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
from .settings import Branding

__all__ = [
    "ArticleFeedback",
    "ArticlePage",
    "ArticlePageTag",
    "Branding",
    "HomePage",
    "KnowledgeBaseIndexPage",
    "ProductIndexPage",
    "ProductPage",
    "ProductPageTag",
    "Profile",
]
