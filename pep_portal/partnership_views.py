"""Partnership settings (admins) and the public contact page drawn from them."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render

from .forms import PartnershipForm
from .models import Partnership
from .partnership import current
from .roles import admin_only


def settings_instance():
    """The saved row, or an unsaved one holding the environment's seed values."""
    row = Partnership.objects.filter(id=Partnership.SINGLETON_ID).first()
    if row is not None:
        return row
    seed = current()
    return Partnership(name=seed.name, la_codes=", ".join(seed.la_codes),
                       neighbour_la_codes=", ".join(seed.neighbour_la_codes))


@admin_only
def settings_page(request):
    instance = settings_instance()
    before = set(current().la_codes)
    form = PartnershipForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            row = form.save(commit=False)
            row.updated_by = request.user
            row.save()
        messages.success(request, settings_saved_message(before, set(current().la_codes)))
        return redirect("setup" if request.POST.get("then") == "setup" else "partnership_settings")
    return render(request, "pep_portal/settings.html", {
        "form": form, "saved": instance.pk is not None, "row": instance,
        "then": request.GET.get("then") or request.POST.get("then", ""),
    })


def settings_saved_message(before, after):
    from schools.models import School

    if before == after or not School.objects.exists():
        return "Partnership settings saved."
    # The register import keeps only the partnership's LAs' schools, so new codes need a new import.
    return ("Partnership settings saved. The local authority codes changed: import the GIAS register again "
            "to bring in their schools.")


def contact(request):
    return render(request, "pages/contact.html", {"partnership": current()})
