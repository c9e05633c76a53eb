"""Every email a booker receives. Each carries the booking's cancel link; confirmations and
reminders carry the event as an iCalendar attachment (invite.ics)."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string

from . import calendar
from .models import BookingStatus

# Which email a booking in each state gets when it is (re)sent.
TEMPLATE_FOR_STATUS = {
    BookingStatus.PENDING: "confirm",
    BookingStatus.CONFIRMED: "booked",
    BookingStatus.WAITING: "waiting",
    BookingStatus.OFFERED: "offer",
}
WITH_INVITATION = {"booked", "reminder"}


def _send(booking, template):
    context = {
        "booking": booking,
        "event": booking.event,
        "partnership_name": settings.PARTNERSHIP_NAME,
        "event_url": calendar.absolute(booking.event.get_absolute_url()),
        "confirm_url": calendar.absolute(booking.confirm_url()),
        "cancel_url": calendar.absolute(booking.cancel_url()),
        "offer_expires_at": booking.offer_expires_at,
    }
    subject = render_to_string(f"events/email/{template}_subject.txt", context).strip()
    body = render_to_string(f"events/email/{template}.txt", context)
    message = EmailMessage(f"[{settings.PARTNERSHIP_NAME}] {subject}", body, to=[booking.email])
    if template in WITH_INVITATION:
        message.attach("invite.ics", calendar.calendar([booking.event], booking.event.title), "text/calendar")
    message.send()


def send_for_status(booking):
    _send(booking, TEMPLATE_FOR_STATUS[booking.status])


def send_reminder(booking):
    _send(booking, "reminder")


def send_offer_lapsed(booking):
    _send(booking, "offer_lapsed")
