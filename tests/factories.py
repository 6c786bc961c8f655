"""factory_boy factories shared by every app's tests."""

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from posdaya.models import Membership, Posdaya

PASSWORD = "rahasia-uji-123"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@contoh.id")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class PosdayaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Posdaya

    name = factory.Sequence(lambda n: f"POSDAYA Uji {n}")
    slug = factory.Sequence(lambda n: f"uji-{n}")
    code = factory.Sequence(
        lambda n: "".join(chr(65 + (n // 26**i) % 26) for i in (2, 1, 0))
    )
    rw = "07"
    address = "Jl. Uji No. 1, Kel. Bahagia"
    profile = "POSDAYA untuk pengujian."
    whatsapp = "6281234567890"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    posdaya = factory.SubFactory(PosdayaFactory)
    role = Membership.Role.PENGELOLA


def make_koordinator(**kwargs):
    user = UserFactory(**kwargs)
    Membership.objects.create(user=user, role=Membership.Role.KOORDINATOR)
    return user


class WasteCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "banksampah.WasteCategory"
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Sampah {n}")
    slug = factory.Sequence(lambda n: f"sampah-{n}")
    group = "plastik"
    unit = "kg"


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "catalog.Category"
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Kategori {n}")
    slug = factory.Sequence(lambda n: f"kategori-{n}")


class ProductFactory(factory.django.DjangoModelFactory):
    """A published product in stock; pass status/stock/posdaya to vary.

    The stock goes in through the stock service, as a "Stok awal" movement
    (`catalog.stock.adjust`), so the product's ledger adds up from the start.
    """

    class Meta:
        model = "catalog.Product"

    posdaya = factory.SubFactory(PosdayaFactory)
    category = factory.SubFactory(CategoryFactory)
    name = factory.Sequence(lambda n: f"Tas Plastik {n}")
    slug = factory.Sequence(lambda n: f"tas-plastik-{n}")
    description = "Tas anyaman dari bungkus kopi."
    price = 25000
    stock = 10
    status = "published"
    published_at = factory.LazyFunction(timezone.now)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from catalog import stock

        quantity = kwargs.pop("stock", 0)
        product = super()._create(model_class, *args, **kwargs)
        if quantity:
            stock.adjust(
                product=product, quantity=quantity, reason="Stok awal", by=None
            )
        return product


class DeliveryZoneFactory(factory.django.DjangoModelFactory):
    """An active zone serving local delivery and couriers."""

    class Meta:
        model = "orders.DeliveryZone"
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Zona {n}")
    fee = 10000
    # As a migrated zone: the flat fee for the first kg, further kg free.
    courier_first_kg_fee = 10000
    courier_extra_kg_fee = 0
    for_local = True
    for_courier = True
    is_active = True


class WastePriceFactory(factory.django.DjangoModelFactory):
    """A dated price of a waste category (default: in force since 2024)."""

    class Meta:
        model = "banksampah.WastePrice"

    category = factory.SubFactory(WasteCategoryFactory)
    valid_from = factory.LazyFunction(lambda: __import__("datetime").date(2024, 1, 1))
    buy_price = 3000
    sell_price = 4000


class MemberFactory(factory.django.DjangoModelFactory):
    """A nasabah, registered through the service so numbering stays right."""

    class Meta:
        model = "banksampah.Member"

    posdaya = factory.SubFactory(PosdayaFactory)
    name = factory.Sequence(lambda n: f"Ibu Nasabah {n}")
    whatsapp = "6281311112222"
    address = "Jl. Uji No. 2"
    rt = "01"
    rw = "07"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from banksampah.services import claim_member, register_member

        is_active = kwargs.pop("is_active", True)
        user = kwargs.pop("user", None)
        member = register_member(with_claim_code=user is not None, **kwargs)
        if user is not None:  # linked the only way there is: the claim code
            member = claim_member(user=user, code=member.claim_code.code)
        if not is_active:
            model_class.objects.filter(pk=member.pk).update(is_active=False)
            member.is_active = False
        return member


# ---- catalog ----


class ProductImageFactory(factory.django.DjangoModelFactory):
    """A photo row with tiny image files (no re-encoding: fast for big lists).

    Real uploads go through `catalog.services.add_product_image`.
    """

    class Meta:
        model = "catalog.ProductImage"

    product = factory.SubFactory(ProductFactory)
    original = factory.django.ImageField(width=40, height=40, format="WEBP")
    small = factory.django.ImageField(width=40, height=40, format="WEBP")
    large = factory.django.ImageField(width=40, height=40, format="WEBP")
    small_width = 400
    small_height = 400
    large_width = 1200
    large_height = 1200
    alt_text = factory.LazyAttribute(lambda image: image.product.name)
    position = factory.Sequence(lambda n: n)


class ProductMaterialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "catalog.ProductMaterial"

    product = factory.SubFactory(ProductFactory)
    waste_category = factory.SubFactory(WasteCategoryFactory)
    kg_per_unit = "0.150"
