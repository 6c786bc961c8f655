"""How many reviews one client may post: counted in the shared cache.

The cache is the one every worker and server shares (Redis or the database
cache), so the limit holds across processes.
"""

from django.core.cache import cache

from pasar.clientip import client_ip

# Posts (accepted or not) per client address: room for a large order reviewed
# line by line, too few to flood a product page.
REVIEW_POSTS = 30
WINDOW_SECONDS = 600


def allow_review_post(request) -> bool:
    """Count one review post from this client; tell whether it is within the limit."""
    key = f"reviews:posts:{client_ip(request)}"
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, WINDOW_SECONDS)
        count = 1
    return count <= REVIEW_POSTS
