"""This app's part of the public home page (see pep_portal.views.home)."""


def context(request):
    return {}
