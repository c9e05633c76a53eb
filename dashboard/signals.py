"""Signals other apps receive from the dashboard, so the dashboard never imports them."""

from django.dispatch import Signal

# Sent after a rating run has finished and become the current run, with `run`. A receiver's work is a
# separate step: it must catch its own failures, since the run is already visible.
rating_run_finished = Signal()
