"""Users with profiles, as sign-up would make them."""

from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from portal import services
from portal.roles import user_make_staff

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"member-{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    # An established member: a new member's first-day limits (portal.ratelimit)
    # apply only where a test asks for them with date_joined=timezone.now().
    date_joined = factory.LazyFunction(lambda: timezone.now() - timedelta(days=30))
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def profile(self, create, extracted, **kwargs):
        if create:
            self.save()
            services.profile_create(
                user=self,
                display_name=kwargs.get("display_name") or self.username.title(),
            )


class StaffFactory(UserFactory):
    username = factory.Sequence(lambda n: f"staff-{n}")

    @factory.post_generation
    def staff(self, create, extracted, **kwargs):
        if create:
            user_make_staff(self)
