"""The Atom feed of published news (never a draft, never a post before its publish date)."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed

from governance.markdown import render_markdown

from .models import NewsPost


class NewsFeed(Feed):
    feed_type = Atom1Feed
    link = "/news/"

    def title(self):
        return f"{settings.PARTNERSHIP_NAME}: news"

    def subtitle(self):
        return f"News from the {settings.PARTNERSHIP_NAME}."

    def items(self):
        return NewsPost.objects.published().order_by("-published_at", "-pk")[:30]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return f"<p>{item.summary}</p>" + render_markdown(item.body)

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return max(item.updated_at, item.published_at)

    def item_categories(self, item):
        return item.tag_list


news_atom = NewsFeed()
