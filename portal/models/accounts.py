"""Profiles: the public face of an account.

API tokens are Wagtail's own `wagtail.models.APIToken` (digest-only, revocable).
"""

from django.conf import settings
from django.db import models
from django.urls import reverse


class Profile(models.Model):
    """What a member shows the community: name, avatar, bio and reputation.

    `bio_html` is `bio` rendered by portal.markdown at save time, so pages never
    render Markdown and the rules can change by re-rendering the stored source.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    display_name = models.CharField(max_length=60)
    avatar = models.ImageField(upload_to="avatars/%Y/%m/", blank=True)
    bio = models.TextField(max_length=2000, blank=True)
    bio_html = models.TextField(blank=True, editable=False)
    reputation = models.IntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["-reputation"], name="profile_reputation_idx")]

    def __str__(self):
        return self.display_name

    def get_absolute_url(self):
        return reverse("portal:profile", kwargs={"username": self.user.username})
