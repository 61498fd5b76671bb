"""The objects the permission matrix and the bad-input corpus need, per app.

`build_world()` returns the values for the ``{placeholders}`` in the matrix
paths. The customer ("ana") owns every per-member object; "ben" is the other
customer who must be refused (404, never 200: no IDOR); "sam" is staff. Each
app adds a function to WORLD_BUILDERS once its URLs exist.
"""

from django.contrib.auth.tokens import default_token_generator
from django.core.files.base import ContentFile
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from wagtail.documents import get_document_model
from wagtail.models import (
    APIToken,
    Collection,
    CollectionViewRestriction,
    PageViewRestriction,
)

from portal.models import Branding
from tests.factories.portal import make_article, make_product, make_site_tree


def portal_world(people: dict) -> dict:
    home, products, kb = make_site_tree()
    Branding.for_site(home.get_site())  # made on first read otherwise
    product = make_product(products, "Router X", tags=["wifi"])
    article = make_article(kb, "Set up Router X", products=[product])
    private = make_article(kb, "Members only guide", slug="members-only")
    restriction = PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.LOGIN
    )
    secret = make_article(kb, "Password guide", slug="password-guide")
    password_restriction = PageViewRestriction.objects.create(
        page=secret, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
    )
    draft = make_article(kb, "Draft guide", slug="draft-guide")
    draft.unpublish()
    Document = get_document_model()
    document = Document(title="Manual")
    document.file.save("manual.txt", ContentFile(b"manual"), save=False)
    document.save()
    collection = Collection.get_first_root_node().add_child(name="Private docs")
    doc_restriction = CollectionViewRestriction.objects.create(
        collection=collection,
        restriction_type=CollectionViewRestriction.PASSWORD,
        password="s3cret",
    )
    token, _key = APIToken.create_token(user=people["customer"], name="sync")
    customer = people["customer"]
    del restriction
    return {
        "product_slug": product.slug,
        "product_url": product.url,
        "article_url": article.url,
        "article_id": article.pk,
        "private_url": private.url,
        "password_restriction_id": password_restriction.pk,
        "password_page_id": secret.pk,
        "draft_url": "/help/draft-guide/",
        "document_id": document.pk,
        "document_name": "manual.txt",
        "document_restriction_id": doc_restriction.pk,
        "token_pk": token.pk,
        "username": customer.username,
        "uidb64": urlsafe_base64_encode(force_bytes(customer.pk)),
        "reset_token": default_token_generator.make_token(customer),
    }


WORLD_BUILDERS = [portal_world]


def build_world(people: dict) -> dict:
    values = {}
    for builder in WORLD_BUILDERS:
        values.update(builder(people))
    return values
