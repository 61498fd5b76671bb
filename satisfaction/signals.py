"""Signals other apps connect to; they carry plain values, never this app's models."""

from django.dispatch import Signal

# Sent after the answer's transaction commits, with keyword arguments:
# interaction_id, source, source_ref, channel, satisfied (bool), customer (User or None),
# product_id (int or None), answered_at (datetime).
survey_answered = Signal()
