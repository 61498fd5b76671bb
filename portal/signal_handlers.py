"""Portal receivers; register() is called from PortalConfig.ready()."""

from django.db.models.signals import post_migrate


def _ensure_staff_group(sender, **kwargs):
    # post_migrate is sent once per app; permissions exist only after the last one.
    from django.apps import apps

    # Only apps with a models module get the signal, so wait for the last of those.
    if (
        sender
        is not [
            config
            for config in apps.get_app_configs()
            if config.models_module is not None
        ][-1]
    ):
        return
    from .roles import staff_group_ensure

    staff_group_ensure()


def _site_changed(sender, **kwargs):
    """Page tree, branding or site changes can show on every page: drop them all."""
    from .cache import SITE, invalidate

    invalidate(SITE)


def _page_deleted(sender, instance, **kwargs):
    from wagtail.models import Page

    if isinstance(instance, Page):
        _site_changed(sender)


def _user_changed(sender, instance=None, user=None, **kwargs):
    """A member's cached pages (portal.cache) show their name, role and session."""
    from .cache import invalidate

    member = user or instance
    if member is not None and member.pk:
        invalidate(f"user:{member.pk}")


def register():
    from django.db.models.signals import post_delete, post_save
    from wagtail.contrib.settings.models import BaseSiteSetting
    from wagtail.models import Site
    from wagtail.signals import page_published, page_unpublished, post_page_move

    post_migrate.connect(_ensure_staff_group, dispatch_uid="portal_staff_group")
    # The anonymous page cache (portal.cache): every change staff make in the
    # admin that public pages show. Apps invalidate their own scopes in services.
    page_published.connect(_site_changed, dispatch_uid="portal_cache_published")
    page_unpublished.connect(_site_changed, dispatch_uid="portal_cache_unpublished")
    post_page_move.connect(_site_changed, dispatch_uid="portal_cache_moved")
    post_delete.connect(_page_deleted, dispatch_uid="portal_cache_page_deleted")
    post_save.connect(_site_changed, sender=Site, dispatch_uid="portal_cache_site")
    from django.contrib.auth import get_user_model
    from django.contrib.auth.signals import user_logged_out

    post_save.connect(
        _user_changed, sender=get_user_model(), dispatch_uid="portal_cache_user"
    )
    user_logged_out.connect(_user_changed, dispatch_uid="portal_cache_logout")
    from wagtail.models import APIToken

    def _token_changed(sender, instance, **kwargs):
        # A revoked token's cached API answers must stop at once.
        _user_changed(sender, user=instance.user)

    post_save.connect(
        _token_changed, sender=APIToken, weak=False, dispatch_uid="portal_cache_token"
    )

    def _setting_saved(sender, created=False, **kwargs):
        # A setting is created with its defaults on first read, which shows nothing new.
        if issubclass(sender, BaseSiteSetting) and not created:
            _site_changed(sender)

    post_save.connect(_setting_saved, weak=False, dispatch_uid="portal_cache_setting")
