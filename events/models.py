"""Events the partnership runs (conference, workshops, network meetings, training) and their bookings.

A booking is personal data: only editors see it, and it is deleted a year after the event
(events.bookings.delete_old_bookings). Its states:

    pending   -> the booker has not yet followed the email link (holds no place)
    confirmed -> holds a place
    waiting   -> confirmed their email while the event was full; in the queue by `queued_at`
    offered   -> a freed place is held for them until they accept it or the offer lapses
    cancelled -> by the booker (or a lapsed offer); kept until the retention deletion
"""

import datetime
import secrets

from django.db import models
from django.urls import reverse
from django.utils import timezone


class EventKind(models.TextChoices):
    CONFERENCE = "conference", "Conference"
    WORKSHOP = "workshop", "Workshop"
    NETWORK = "network", "Network meeting"
    TRAINING = "training", "Training"


class EventQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_published=True)

    def upcoming(self):
        return self.public().filter(starts_at__gte=timezone.now()).order_by("starts_at")

    def past(self):
        return self.public().filter(starts_at__lt=timezone.now()).order_by("-starts_at")


class Event(models.Model):
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=EventKind.choices, default=EventKind.WORKSHOP)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    place = models.CharField(max_length=200, blank=True, help_text="Venue and address, if it meets in person.")
    online_url = models.URLField(blank=True, help_text="The online link, if it meets online.")
    summary = models.CharField(max_length=300, blank=True, help_text="One or two sentences for lists.")
    description = models.TextField(blank=True, help_text="In Markdown.")
    capacity = models.PositiveIntegerField(help_text="How many places there are.")
    booking_deadline = models.DateTimeField(help_text="Bookings close at this date and time.")
    is_published = models.BooleanField("published", default=False, help_text="Drafts are seen only by editors.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("events:detail", kwargs={"pk": self.pk})

    @property
    def location_text(self):
        if self.place and self.online_url:
            return f"{self.place} and online"
        return self.place or ("Online" if self.online_url else "To be confirmed")

    @property
    def booking_open(self):
        return self.is_published and timezone.now() < self.booking_deadline and timezone.now() < self.starts_at

    def places_taken(self):
        return self.bookings.filter(status__in=HOLDS_A_PLACE).count()

    def places_left(self):
        return max(0, self.capacity - self.places_taken())


class BookingStatus(models.TextChoices):
    PENDING = "pending", "Waiting for email confirmation"
    CONFIRMED = "confirmed", "Booked"
    WAITING = "waiting", "On the waiting list"
    OFFERED = "offered", "Offered a freed place"
    CANCELLED = "cancelled", "Cancelled"


HOLDS_A_PLACE = (BookingStatus.CONFIRMED, BookingStatus.OFFERED)
ACTIVE = (BookingStatus.PENDING, BookingStatus.CONFIRMED, BookingStatus.WAITING, BookingStatus.OFFERED)
# An offered place is held this long for the booker before it passes to the next in line.
OFFER_HOURS = 48


def new_token():
    return secrets.token_urlsafe(32)


class Booking(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="bookings")
    name = models.CharField(max_length=150)
    email = models.EmailField()
    organisation = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=20, choices=BookingStatus.choices, default=BookingStatus.PENDING)
    # The secret in every link of every email: it confirms, accepts an offer or cancels.
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    queued_at = models.DateTimeField(null=True, blank=True, help_text="When they joined the waiting list.")
    offered_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    attended = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["event", "status"]), models.Index(fields=["event", "email"])]

    def __str__(self):
        return f"{self.name} <{self.email}>: {self.event} ({self.get_status_display()})"

    def confirm_url(self):
        return reverse("events:confirm", kwargs={"token": self.token})

    def cancel_url(self):
        return reverse("events:cancel", kwargs={"token": self.token})

    @property
    def offer_expires_at(self):
        """Until when an offered place is held for this booker (None when no place was offered)."""
        return self.offered_at + datetime.timedelta(hours=OFFER_HOURS) if self.offered_at else None
