"""Demo reviews: buyers of completed demo orders rate some of what they bought.

Written through the review services (so the products' stored ratings are
right); runs once, when there is no review yet.
"""

import random

from django.db import transaction

from orders.models import OrderLine, SubOrder
from posdaya.models import Membership

from .models import Review
from .services import post_review, reply_to_review

SEED = 13
MAX_REVIEWS = 120
TEXTS = {
    5: [
        "Rapi sekali, jahitannya kuat. Terima kasih ibu-ibu POSDAYA!",
        "Bagus dan unik, teman-teman kantor pada tanya belinya di mana.",
        "Sesuai foto, dikemas rapi. Pasti pesan lagi.",
    ],
    4: [
        "Bagus, hanya warnanya sedikit lebih gelap dari foto.",
        "Kuat dan ringan, dipakai ke pasar tiap hari.",
    ],
    3: ["Lumayan, ada jahitan yang kurang rapi di sudut."],
    2: ["Ukurannya lebih kecil dari yang saya kira."],
}
REPLY = "Terima kasih atas ulasannya, Kak! Masukannya kami sampaikan ke perajin."


def seed() -> None:
    """Review about a third of the completed order lines (only when none exist)."""
    if Review.objects.exists():
        return
    rng = random.Random(SEED)
    lines = list(
        OrderLine.objects.filter(suborder__status=SubOrder.Status.COMPLETED)
        .select_related("suborder__order")
        .order_by("pk")
    )
    pengelola = {
        m.posdaya_id: m.user
        for m in Membership.objects.filter(role=Membership.Role.PENGELOLA)
        .select_related("user")
        .order_by("pk")
    }
    chosen = [line for line in lines if rng.random() < 0.35][:MAX_REVIEWS]
    with transaction.atomic():
        for line in chosen:
            rating = rng.choices([5, 4, 3, 2], weights=[55, 30, 10, 5])[0]
            order = line.suborder.order
            review = post_review(
                order=order,
                line_id=line.pk,
                rating=rating,
                text=rng.choice(TEXTS[rating]),
                by=order.customer,
            )
            staff = pengelola.get(line.suborder.posdaya_id)
            if staff is not None and rng.random() < 0.3:
                reply_to_review(review=review, text=REPLY, by=staff)
