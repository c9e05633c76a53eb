"""Event pages: the public list, page, booking and its email links, the feed; the editors' pages."""

from django.contrib import messages
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from pep_portal.roles import editor_only, is_editor
from pep_portal.views import ratelimited
from schools.exports import csv_response

from . import abuse, bookings
from .calendar import calendar
from .forms import BookingForm, EventForm
from .models import HOLDS_A_PLACE, Booking, BookingStatus, Event

CHECK_EMAIL = (
    "Check your email. We have sent a message to the address you gave; follow its link to confirm "
    "your booking. Nothing is booked until you do."
)


def _with_places_left(queryset):
    held = Count("bookings", filter=Q(bookings__status__in=HOLDS_A_PLACE))
    events = list(queryset.annotate(places_taken_n=held))
    for event in events:
        event.places_left_n = max(0, event.capacity - event.places_taken_n)
    return events


def event_list(request):
    return render(request, "events/list.html", {
        "upcoming": _with_places_left(Event.objects.upcoming()),
        "past": Event.objects.past()[:20],
    })


def _visible_event(request, pk):
    queryset = Event.objects.all() if is_editor(request.user) else Event.objects.public()
    return get_object_or_404(queryset, pk=pk)


@require_http_methods(["GET", "POST"])
def event_detail(request, pk):
    event = _visible_event(request, pk)
    form = BookingForm(request.POST or None)
    if request.method == "POST" and event.booking_open:
        if not abuse.address_allowed(request):
            return ratelimited(request)
        if form.is_valid():
            _book(event, form)
            messages.success(request, CHECK_EMAIL)
            return redirect(event)
    return render(request, "events/detail.html", {
        "event": event, "form": form, "places_left": event.places_left(), "is_editor": is_editor(request.user),
        "has_started": event.starts_at <= timezone.now(),
    }, status=400 if form.errors else 200)


def _book(event, form):
    """Same outcome for a robot, a repeat and a new booker: the page says "check your email"."""
    data = form.cleaned_data
    if form.is_robot or not abuse.email_allowed(data["email"]):
        return
    try:
        bookings.request_booking(event, name=data["name"], email=data["email"], organisation=data["organisation"])
    except bookings.BookingClosed:  # the deadline passed while the form was being sent: nothing to book
        pass


@require_http_methods(["GET", "POST"])
def confirm(request, token):
    booking = get_object_or_404(Booking.objects.select_related("event"), token=token)
    closed = False
    if request.method == "POST":
        try:
            booking = bookings.confirm(token)
        except bookings.BookingClosed:
            closed = True
    return render(request, "events/confirm.html", {
        "booking": booking, "event": booking.event, "closed": closed, "posted": request.method == "POST",
        "offer_expires_at": booking.offer_expires_at,
    })


@require_http_methods(["GET", "POST"])
def cancel(request, token):
    booking = get_object_or_404(Booking.objects.select_related("event"), token=token)
    if request.method == "POST":
        booking, _ = bookings.cancel(token)
    return render(request, "events/cancel.html", {"booking": booking, "event": booking.event})


def events_ics(request):
    body = calendar(Event.objects.upcoming(), "Events")
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="events.ics"'
    return response


# ---------------------------------------------------------------- editors


def _counted(queryset):
    return queryset.annotate(
        confirmed_n=Count("bookings", filter=Q(bookings__status=BookingStatus.CONFIRMED)),
        waiting_n=Count("bookings", filter=Q(bookings__status__in=(BookingStatus.WAITING, BookingStatus.OFFERED))),
    )


@editor_only
def manage_index(request):
    return render(request, "events/manage/index.html", {"events": _counted(Event.objects.order_by("-starts_at"))})


@editor_only
@require_http_methods(["GET", "POST"])
def event_edit(request, pk=None):
    event = get_object_or_404(Event, pk=pk) if pk else None
    form = EventForm(request.POST or None, instance=event)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            event = form.save()
        messages.success(request, f"“{event.title}” saved.")
        return redirect("events:bookings", pk=event.pk)
    return render(request, "events/manage/event_form.html", {"form": form, "event": event},
                  status=400 if form.errors else 200)


@editor_only
@require_http_methods(["GET", "POST"])
def booking_list(request, pk):
    event = get_object_or_404(Event, pk=pk)
    rows = list(event.bookings.exclude(status=BookingStatus.PENDING).order_by("status", "created_at", "pk"))
    if request.method == "POST":
        present = {int(v) for v in request.POST.getlist("attended") if v.isdigit()}
        _mark_attendance(event, present)
        messages.success(request, "Attendance saved.")
        return redirect("events:bookings", pk=event.pk)
    return render(request, "events/manage/bookings.html", {
        "event": event, "bookings": rows, "pending": event.bookings.filter(status=BookingStatus.PENDING).count(),
    })


def _mark_attendance(event, present):
    """Only this event's confirmed bookings can be marked, whatever ids are posted."""
    with transaction.atomic():
        confirmed = event.bookings.filter(status=BookingStatus.CONFIRMED)
        confirmed.filter(pk__in=present).update(attended=True)
        confirmed.exclude(pk__in=present).update(attended=False)


CSV_HEADER = ["Name", "Email", "Organisation", "Status", "Booked", "Confirmed", "Attended"]


@editor_only
def booking_csv(request, pk):
    event = get_object_or_404(Event, pk=pk)
    rows = (
        [b.name, b.email, b.organisation, b.get_status_display(), b.created_at.strftime("%Y-%m-%d %H:%M"),
         b.confirmed_at.strftime("%Y-%m-%d %H:%M") if b.confirmed_at else "",
         {True: "Yes", False: "No", None: ""}[b.attended]]
        for b in event.bookings.exclude(status=BookingStatus.PENDING).order_by("status", "created_at", "pk").iterator()
    )
    return csv_response(f"event-{event.pk}-bookings.csv", CSV_HEADER, rows)
