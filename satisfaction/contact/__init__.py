"""Contact and callback requests: "Talk to a person" from any page, handled by staff.

A sub-package of `satisfaction` (same app label) because closing a request is a
support interaction: it goes through `satisfaction.services.interaction_record`
and gets the one-question survey like every other channel. See README.md.
"""
