"""Catalog views: `public` for shoppers, `dashboard` for the POSDAYA staff."""
