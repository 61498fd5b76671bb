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
    # Pages an account panel makes on first view (the community's preferences).
    from community import services as community_services

    for member in people.values():
        community_services.notification_preference_get(user=member)
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


def community_world(people: dict, values: dict) -> dict:
    """Ana asks; Ben answers; a comment; Ana's notification about Ben's answer;
    Ben's suggested edit to Ana's question."""
    from community import services
    from community.models import Notification
    from tests.factories.community import make_answer, make_question

    question = make_question(people["customer"], tags=("wifi",))
    answer = make_answer(question, people["other_customer"])
    services.comment_add(
        author=people["other_customer"], question=question, body="Which model is it?"
    )
    notification = (
        Notification.objects.filter(recipient=people["customer"]).order_by("pk").first()
    )
    from community.suggested_edits.services import suggested_edit_submit

    suggestion = suggested_edit_submit(
        post=question,
        by=people["other_customer"],
        title=question.title,
        body=question.body + " It started after the last update.",
        reason="Says when it started",
    )
    return {
        "question_id": question.pk,
        "question_slug": question.slug or "q",
        "answer_id": answer.pk,
        "notification_id": notification.pk if notification else 999999,
        "suggestion_id": suggestion.pk,
        "unsubscribe_token": services.unsubscribe_token(user=people["customer"]),
    }


def reviews_world(people: dict, values: dict) -> dict:
    """Ana reviewed the product; Ben owns nothing."""
    from portal.models import ProductPage
    from tests.factories.reviews import write_review

    product = ProductPage.objects.get(slug=values["product_slug"])
    review = write_review(product, people["customer"], rating=4)
    return {
        "product_id": product.pk,
        "review_id": review.pk,
        "customer_username": people["customer"].username,
    }


def satisfaction_world(people: dict, values: dict) -> dict:
    """An interaction with Ana, not answered yet, with its survey link."""
    from satisfaction.contact import services as contact_services
    from satisfaction.contact import tokens as contact_tokens
    from satisfaction.tokens import survey_token_make
    from tests.factories.satisfaction import record

    interaction = record(customer=people["customer"])
    contact = contact_services.contact_request_submit(
        customer=people["customer"], channel="email", message="A person, please"
    )
    return {
        "interaction_id": interaction.pk,
        "survey_token": survey_token_make(interaction.invitation),
        "contact_id": contact.pk,
        "contact_reply_token": contact_tokens.contact_token_make(
            contact, contact_tokens.REPLY
        ),
        "contact_confirm_token": contact_tokens.contact_token_make(
            contact, contact_tokens.CONFIRM
        ),
    }


def api_world(people: dict, values: dict) -> dict:
    """An API token for each signed-in role, for the corpus's API writes."""
    from wagtail.users.models import UserProfile

    for person in people.values():
        UserProfile.get_for_user(
            person
        )  # made on a staff member's first page otherwise
    return {
        "api_keys": {
            role: APIToken.create_token(user=person, name="corpus")[1]
            for role, person in people.items()
        }
    }


def customer_world(people: dict, values: dict) -> dict:
    """Ana's ready data export (its signed link is hers alone) and her id for the API."""
    from portal import services_customer

    export = services_customer.data_export_request(user=people["customer"])
    services_customer.data_export_build(export_id=export.pk)
    export.refresh_from_db()
    return {
        "export_token": services_customer.data_export_token(export),
        "customer_id": people["customer"].pk,
    }


WORLD_BUILDERS = [
    community_world,
    reviews_world,
    satisfaction_world,
    customer_world,
    api_world,
]


def build_world(people: dict) -> dict:
    values = portal_world(people)
    for builder in WORLD_BUILDERS:
        values.update(builder(people, values))
    return values


def make_people() -> dict:
    """The three accounts every security test uses: the owner, another customer, staff."""
    from tests.factories.users import StaffFactory, UserFactory

    return {
        "customer": UserFactory(username="ana", profile__display_name="Ana Souza"),
        "other_customer": UserFactory(username="ben", profile__display_name="Ben O"),
        "staff": StaffFactory(username="sam", profile__display_name="Sam Rivera"),
    }


def row_counts() -> dict:
    """{table: rows} for every table: what a refused request must leave unchanged."""
    from django.db import connection

    tables = sorted(connection.introspection.table_names())
    quote = connection.ops.quote_name
    sql = " UNION ALL ".join(
        f"SELECT '{table}', COUNT(*) FROM {quote(table)}" for table in tables
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(cursor.fetchall())
