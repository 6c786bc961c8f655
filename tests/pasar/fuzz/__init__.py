"""Garbage posted to every form of the site (split by section: public, dashboard)."""
