"""Who may answer a survey: one small predicate per rule, used by services, views and templates."""

from portal.permissions import is_staff_member


def survey_refusal(user, interaction) -> str:
    """Return why `user` may not answer about `interaction`, or "" if they may.

    The signed link is the credential, so an anonymous link holder may answer.
    A signed-in visitor is refused if they are staff (staff never answer for a
    customer), if they handled the interaction, or if the survey is for another
    account.
    """
    if interaction.not_surveyed:
        return "This interaction is not surveyed."
    if user is None or not user.is_authenticated:
        return ""
    if is_staff_member(user):
        return "Staff members cannot answer satisfaction surveys, not even for a customer."
    if interaction.handled_by_id == user.pk:
        return "You handled this interaction, so you cannot rate it."
    if interaction.customer_id and interaction.customer_id != user.pk:
        return "This survey is for another account. Log out and open the link from your email to answer."
    return ""


def can_answer_survey(user, interaction) -> bool:
    return not survey_refusal(user, interaction)


def can_manage_satisfaction(user) -> bool:
    """Record interactions, follow up on "No" answers, apply exclusion rules."""
    return is_staff_member(user)
