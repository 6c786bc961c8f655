"""Demo data: the 16 POSDAYA and one demo account per role.

Idempotent: rows are found by natural key and created only when missing.
"""

from django.contrib.auth import get_user_model
from django.db import transaction

from .models import Membership, Posdaya

# Printed on start; demo data is refused in production (PASAR_DEMO_DATA_ALLOWED).
DEMO_PASSWORD = "demo12345"  # noqa: S105  # nosec B105

# (slug, name, code, RW, street). Bahagia and Flamboyan are named in the paper;
# the other fourteen names are ours.
POSDAYA_ROWS = [
    ("bahagia", "POSDAYA Bahagia", "BHG", "07", "Komplek Pondok Ungu Permai"),
    ("flamboyan", "POSDAYA Flamboyan", "FLM", "12", "Jl. Flamboyan Raya"),
    ("melati", "POSDAYA Melati", "MLT", "01", "Jl. Melati I"),
    ("mawar", "POSDAYA Mawar", "MWR", "03", "Jl. Mawar Indah"),
    ("anggrek", "POSDAYA Anggrek", "ANG", "05", "Gg. Anggrek"),
    ("kenanga", "POSDAYA Kenanga", "KNG", "09", "Jl. Kenanga Raya"),
    ("cempaka", "POSDAYA Cempaka", "CMP", "11", "Jl. Cempaka Putih"),
    ("dahlia", "POSDAYA Dahlia", "DHL", "14", "Perum Babelan Indah Blok D"),
    ("teratai", "POSDAYA Teratai", "TRT", "16", "Jl. Teratai"),
    ("seroja", "POSDAYA Seroja", "SRJ", "19", "Gg. Seroja II"),
    ("kamboja", "POSDAYA Kamboja", "KMB", "22", "Jl. Kamboja"),
    ("sakura", "POSDAYA Sakura", "SKR", "25", "Perum Villa Bahagia"),
    ("bougenville", "POSDAYA Bougenville", "BGV", "28", "Jl. Bougenville"),
    ("tulip", "POSDAYA Tulip", "TLP", "31", "Gg. Tulip"),
    ("lavender", "POSDAYA Lavender", "LVD", "35", "Perum Harapan Bahagia"),
    ("edelweis", "POSDAYA Edelweis", "EDW", "40", "Jl. Edelweis Raya"),
]

PROFILE = (
    "{name} di RW {rw} dikelola ibu-ibu kader yang mengolah sampah rumah tangga "
    "menjadi kerajinan dan kompos. Bank sampah kami buka setiap Sabtu dan Minggu "
    "pagi untuk warga sekitar."
)


def seed() -> list[str]:
    """Create the POSDAYA and the demo accounts; return the account lines."""
    User = get_user_model()
    accounts = []

    def account(username, role_text, **extra):
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"email": f"{username}@demo.pasarbahagia.id", **extra},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        accounts.append(f"{username:<28} {role_text}")
        return user

    with transaction.atomic():
        branches = []
        for index, (slug, name, code, rw, street) in enumerate(POSDAYA_ROWS):
            posdaya, _ = Posdaya.objects.get_or_create(
                slug=slug,
                defaults={
                    "name": name,
                    "code": code,
                    "rw": rw,
                    "address": f"{street}, RW {rw}, Kel. Bahagia, Babelan, Bekasi",
                    "profile": PROFILE.format(name=name, rw=rw),
                    "whatsapp": f"62812880{index:05d}",
                },
            )
            branches.append(posdaya)

        koordinator = account("koordinator", "koordinator (POSDAYA Induk)")
        Membership.objects.get_or_create(
            user=koordinator, posdaya=None, role=Membership.Role.KOORDINATOR
        )
        for posdaya in branches:
            for role in (Membership.Role.PENGELOLA, Membership.Role.PETUGAS):
                user = account(f"{role}-{posdaya.slug}", f"{role} · {posdaya.name}")
                Membership.objects.get_or_create(user=user, posdaya=posdaya, role=role)
        account("nasabah-demo", "nasabah · POSDAYA Bahagia")
        account("pembeli-demo", "pembeli")
    return accounts
