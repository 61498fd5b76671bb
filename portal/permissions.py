"""Who may do what, one small predicate per rule."""


def is_staff_member(user) -> bool:
    """Staff moderate, publish and answer officially; customers never reach the admin."""
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and (user.is_staff or user.is_superuser)
    )


def can_edit_profile(user, profile) -> bool:
    return bool(user.is_authenticated and profile.user_id == user.pk)
