"""Installable site: the service worker and the page it shows offline.

The service worker is answered at /sw.js so that its scope is the whole site
(a script under /static/ could only control /static/). It caches nothing that
goes stale: navigations always go to the network, and only when the network
fails does it show the offline page, which carries no price, stock or
personal data. The only files it keeps are that page and its own
content-hashed styles and logo.

URLs (pasar/urls.py):
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("offline/", pwa.offline, name="offline"),
"""

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_safe


@require_safe
def service_worker(request):
    """The service worker script, rendered so it names the hashed static files."""
    response = HttpResponse(
        render_to_string("pasar/sw.js"), content_type="text/javascript; charset=utf-8"
    )
    # Ask the server on every check, so a new release's worker is found at once.
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response


@require_safe
def offline(request):
    """The page shown instead of the browser's error when there is no network."""
    response = render(request, "pasar/offline.html")
    response["Cache-Control"] = "no-cache"
    return response
