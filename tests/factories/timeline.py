"""A customer with one of everything on their timeline, made through the services."""

from badgify.models import Award, Badge

from community import services as community_services
from reviews import services as review_services
from satisfaction.models import Channel
from tests.factories import satisfaction as sat
from tests.factories.community import make_answer, make_question
from tests.factories.reviews import processed_photo, write_review
from tests.factories.users import UserFactory


def make_history(*, customer, staff, product, photo=False) -> dict:
    """Questions, answers, a follow, a badge, a replied review and support contacts."""
    other = UserFactory(profile__display_name="Other Person")
    question = make_question(
        customer, title="Why does my Router X lose Wi-Fi at night?", product=product
    )
    staff_answer = make_answer(
        question, staff, body="Turn off the night mode in settings."
    )
    peer_answer = make_answer(question, other, body="Mine did that until I updated it.")
    theirs = make_question(
        other, title="Which channel is best for Router X in a flat?", product=product
    )
    my_answer = make_answer(
        theirs, customer, body="Channel 36 works best for me in a flat."
    )
    community_services.answer_accept(answer=my_answer, by=other)
    community_services.follow_set(user=customer, following=True, product=product)
    badge, _ = Badge.objects.get_or_create(
        slug="test-helper", defaults={"name": "Test Helper"}
    )
    award, _ = Award.objects.get_or_create(user=customer, badge=badge)
    review = write_review(
        product,
        customer,
        rating=2,
        title="Drops the connection every night",
        body="Disconnects at 2 am.",
        photos=[processed_photo()] if photo else (),
    )
    reply = review_services.review_reply(
        review=review, by=staff, body="Sorry! Night mode is the cause."
    )
    phone = sat.record(
        customer=customer,
        channel=Channel.PHONE,
        product=product,
        summary="Phone call about setup",
    )
    sat.answer(phone, satisfied=False, comment="Nobody called me back", by=customer)
    return {
        "question": question,
        "staff_answer": staff_answer,
        "peer_answer": peer_answer,
        "my_answer": my_answer,
        "award": award,
        "review": review,
        "reply": reply,
        "phone": phone,
        "other": other,
        "theirs": theirs,
    }
