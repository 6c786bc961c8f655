"""The Bootstrap Icons a craft category may show.

The site serves a subset of the icon font (`make icons`): the icons its
templates use plus these, the ones offered to the koordinator on the category
form. A name outside the served subset would render as nothing, so the form
accepts only names the served stylesheet defines. The 13 default categories
(`catalog.services.DEFAULT_CATEGORIES`) use the first 13.

Plain Python with no imports: `tools/build_icons.py` reads it without Django.
"""

CATEGORY_ICONS = (
    # the default categories
    "bag",
    "wallet2",
    "box2",
    "pencil",
    "person-walking",
    "wind",
    "gift",
    "grid-3x3",
    "flower1",
    "flower2",
    "lightbulb",
    "star",
    "tree",
    # more for crafts and household goods
    "backpack",
    "bag-heart",
    "balloon",
    "basket",
    "basket2",
    "basket3",
    "book",
    "bookmark",
    "box",
    "box-seam",
    "brush",
    "bucket",
    "cake2",
    "cup",
    "cup-hot",
    "droplet",
    "easel",
    "feather",
    "flag",
    "flower3",
    "gem",
    "grid-3x2",
    "handbag",
    "heart",
    "house",
    "house-heart",
    "journal",
    "key",
    "lamp",
    "leaf",
    "moon",
    "palette",
    "puzzle",
    "recycle",
    "scissors",
    "sun",
    "tag",
    "trophy",
    "umbrella",
    "watch",
)
