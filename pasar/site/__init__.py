"""The project's wiring and cross-app reading.

The shared base (`pasar/`: base models, money, phone, audit, uploads, exports,
charts, page cache) is imported by every app and imports none of them. This
package sits on top of all the apps: the URLconf, the home and impact pages,
the sitemaps, the induk reports (which read orders, bank sampah and catalog
together) and `seed_demo`. Imports run one way: shared base → posdaya →
banksampah → catalog → orders → here.
"""
