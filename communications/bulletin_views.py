"""The bulletin: subscribing (double opt-in), unsubscribing (one click, RFC 8058), the public archive,
and the editors' pages (compose, preview as the subscriber sees it, send now or later, the results)."""

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.contrib import messages
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from pep_portal.roles import editor_only, is_editor
from pep_portal.views import ratelimited

from . import compose, emails, sending, subscriptions
from .forms import BulletinForm, SendForm, SubscribeForm
from .models import Bulletin, Delivery, Subscriber

# ------------------------------------------------------------------------------ public


def archive(request):
    issues = Bulletin.objects.filter(status=Bulletin.Status.SENT).order_by("-sent_at")
    return render(request, "communications/bulletin/archive.html", {"issues": issues, "can_edit": is_editor(request.user)})


def issue(request, pk):
    bulletin = get_object_or_404(Bulletin, pk=pk, status=Bulletin.Status.SENT)
    return render(request, "communications/bulletin/issue.html", emails.bulletin_context(bulletin))


def subscribe(request):
    form = SubscribeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not form.is_bot:  # a bot gets the same answer, and nothing is stored or sent
            try:
                subscriptions.request_subscription(form.cleaned_data["email"], get_adapter().get_client_ip(request))
            except subscriptions.RateLimited:
                return ratelimited(request)
        return redirect("bulletin:check_email")
    return render(request, "communications/bulletin/subscribe.html", {"form": form})


def check_email(request):
    return render(request, "communications/bulletin/check_email.html")


@never_cache  # the address carries a personal token
def confirm(request, token):
    """GET shows a button; only the POST confirms, so a mail scanner following links subscribes nobody."""
    subscriber = Subscriber.objects.filter(token=emails.subscriber_token_from(token) or "-").first()
    if subscriber is None:
        return render(request, "communications/bulletin/link_expired.html", status=404)
    if request.method == "POST":
        subscriptions.confirm(subscriber)
        return render(request, "communications/bulletin/confirmed.html")
    return render(request, "communications/bulletin/confirm.html")


@never_cache
@csrf_exempt  # RFC 8058: a mail program POSTs "List-Unsubscribe=One-Click" here, with no cookie or token
def unsubscribe(request, token):
    subscriber = get_object_or_404(Subscriber, token=token)
    if request.method == "POST":
        subscriptions.unsubscribe(subscriber)
        return render(request, "communications/bulletin/unsubscribed.html")
    return render(request, "communications/bulletin/unsubscribe.html", {"subscriber": subscriber})


# ------------------------------------------------------------------------------ editors


@editor_only
def manage(request):
    counts = dict(Subscriber.objects.values_list("status").annotate(n=Count("pk")))
    return render(
        request,
        "communications/manage/bulletin_list.html",
        {
            "bulletins": Bulletin.objects.order_by("-created_at", "-pk"),
            "active": counts.get(Subscriber.Status.ACTIVE, 0),
            "pending": counts.get(Subscriber.Status.PENDING, 0),
        },
    )


@editor_only
def edit(request, pk=None):
    bulletin = get_object_or_404(Bulletin, pk=pk) if pk else None
    if bulletin and not bulletin.is_editable:
        return redirect("bulletin:report", pk=bulletin.pk)
    initial = {} if bulletin else dict(zip(("subject", "body"), compose.draft(), strict=True))
    form = BulletinForm(request.POST or None, instance=bulletin, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        saved.created_by = saved.created_by or request.user
        saved.save()
        messages.success(request, "Bulletin saved. Check the preview, then send it.")
        return redirect("bulletin:preview", pk=saved.pk)
    return render(request, "communications/manage/bulletin_form.html", {"form": form, "bulletin": bulletin})


@editor_only
def preview(request, pk):
    return _preview(request, get_object_or_404(Bulletin, pk=pk), SendForm(initial={"when": "now"}))


def _preview(request, bulletin, send_form, status=200):
    context = emails.bulletin_context(bulletin)
    context.update(
        parts=emails.bulletin_parts(bulletin),
        send_form=send_form,
        active=Subscriber.objects.filter(status=Subscriber.Status.ACTIVE).count(),
        from_email=settings.DEFAULT_FROM_EMAIL,
    )
    return render(request, "communications/manage/bulletin_preview.html", context, status=status)


@editor_only
def preview_email(request, pk):
    """The HTML part exactly as a subscriber's mail program gets it (its own styles, nothing run)."""
    bulletin = get_object_or_404(Bulletin, pk=pk)
    html = emails.bulletin_parts(bulletin)["html"].replace(emails.UNSUBSCRIBE_SLOT, "#unsubscribe-link-in-each-email")
    response = HttpResponse(html)
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; sandbox"
    return response


@editor_only
@require_POST
def send(request, pk):
    bulletin = get_object_or_404(Bulletin, pk=pk)
    form = SendForm(request.POST)
    if not bulletin.is_editable:
        messages.info(request, "This bulletin has already been sent.")
        return redirect("bulletin:report", pk=bulletin.pk)
    if not form.is_valid():
        return _preview(request, bulletin, form, status=400)
    if form.cleaned_data["send_at"]:
        Bulletin.objects.filter(pk=bulletin.pk, status__in=[Bulletin.Status.DRAFT, Bulletin.Status.SCHEDULED]).update(
            status=Bulletin.Status.SCHEDULED, send_at=form.cleaned_data["send_at"]
        )
        messages.success(request, "The bulletin is scheduled. You can still edit it until then.")
        return redirect("bulletin:manage")
    sending.queue(bulletin.pk)
    messages.success(request, "The bulletin is on its way. Each subscriber's result appears below.")
    return redirect("bulletin:report", pk=bulletin.pk)


@editor_only
def report(request, pk):
    bulletin = get_object_or_404(Bulletin, pk=pk)
    states = dict(bulletin.deliveries.values_list("state").annotate(n=Count("pk")))
    problems = bulletin.deliveries.exclude(state__in=[Delivery.State.SENT, Delivery.State.PENDING]).exclude(
        state=Delivery.State.SENDING
    )
    return render(
        request,
        "communications/manage/bulletin_report.html",
        {
            "bulletin": bulletin,
            "states": [(label, states.get(value, 0)) for value, label in Delivery.State.choices],
            "problems": problems[:200],
            "retrying": bulletin.deliveries.filter(state=Delivery.State.PENDING).exclude(error="")[:50],
        },
    )


@editor_only
@require_POST
def resume(request, pk):
    """Try the deliveries waiting after a temporary failure now (without a broker nothing retries by itself)."""
    bulletin = get_object_or_404(Bulletin, pk=pk, status=Bulletin.Status.SENDING)
    sending.dispatch(bulletin.pk, bulletin.deliveries.filter(state=Delivery.State.PENDING))
    sending.finish_if_done(bulletin.pk)
    messages.success(request, "The waiting deliveries were tried again.")
    return redirect("bulletin:report", pk=bulletin.pk)
