"""News: the public list, pages and images, and the editors' pages (list, write, preview, publish)."""

from django.contrib import messages
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from pep_portal.roles import editor_only, is_editor

from .forms import NewsPostForm
from .images import content_type
from .models import NewsPost

PER_PAGE = 20


def index(request):
    posts = NewsPost.objects.published()
    tag = request.GET.get("tag", "").strip()[:50]
    if tag:
        posts = posts.filter(tags__icontains=tag)
    page = Paginator(posts, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "communications/news/index.html", {"page": page, "tag": tag, "can_edit": is_editor(request.user)})


def post(request, slug):
    item = get_object_or_404(NewsPost.objects.published(), slug=slug)
    return render(request, "communications/news/post.html", {"post": item, "can_edit": is_editor(request.user)})


def image(request, slug):
    """The post's image, through the storage API; a draft's image only for editors."""
    posts = NewsPost.objects.all() if is_editor(request.user) else NewsPost.objects.published()
    item = get_object_or_404(posts.exclude(image=""), slug=slug)
    try:
        handle = default_storage.open(item.image.name, "rb")
    except OSError:
        raise Http404("The image is missing") from None
    response = FileResponse(handle, content_type=content_type(item.image.name))
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@editor_only
def manage(request):
    posts = NewsPost.objects.order_by("-updated_at", "-pk")
    return render(request, "communications/manage/news_list.html", {"posts": posts})


@editor_only
def edit(request, pk=None):
    item = get_object_or_404(NewsPost, pk=pk) if pk else None
    form = NewsPostForm(request.POST or None, request.FILES or None, instance=item)
    if request.method == "POST" and form.is_valid():
        saved = _save(form, request.user)
        messages.success(request, f"“{saved.title}” saved. Preview it before you publish.")
        return redirect("news:preview", pk=saved.pk)
    return render(request, "communications/manage/news_form.html", {"form": form, "post": item})


def _save(form, user):
    with transaction.atomic():
        saved = form.save(commit=False)
        saved.created_by = saved.created_by or user
        publish_at = form.publish_at()
        if publish_at is not None:
            saved.published_at = publish_at
        elif saved.status == NewsPost.Status.DRAFT:
            saved.published_at = None
        upload = form.cleaned_data.get("image")
        if form.cleaned_data.get("remove_image") or upload:
            if saved.image:
                saved.image.delete(save=False)
            saved.image_alt = saved.image_alt if upload else ""
        if upload:
            saved.image.save(f"image.{form.image_ext}", upload, save=False)
        saved.save()
    return saved


@editor_only
def preview(request, pk):
    item = get_object_or_404(NewsPost, pk=pk)
    return render(request, "communications/manage/news_preview.html", {"post": item, "preview": True})


@editor_only
def publish(request, pk):
    item = get_object_or_404(NewsPost, pk=pk)
    if request.method != "POST":
        return redirect("news:preview", pk=item.pk)  # publishing is a deliberate step from the preview
    if item.status != NewsPost.Status.PUBLISHED:
        item.status = NewsPost.Status.PUBLISHED
        item.published_at = item.published_at or timezone.now()
        item.save(update_fields=["status", "published_at", "updated_at"])
    when = "now public" if item.is_public else f"published and appears on {timezone.localtime(item.published_at):%-d %B %Y}"
    messages.success(request, f"“{item.title}” is {when}.")
    return redirect("news:manage")


@editor_only
@require_POST
def unpublish(request, pk):
    item = get_object_or_404(NewsPost, pk=pk)
    item.status = NewsPost.Status.DRAFT
    item.save(update_fields=["status", "updated_at"])  # a save, so listeners (the search index) hear of it
    messages.success(request, f"“{item.title}” is a draft again and no longer public.")
    return redirect("news:manage")
