#!/bin/sh
# Run once by the postgres image on a fresh data volume (docker-entrypoint-initdb.d),
# as the cluster's superuser. Two roles, neither a superuser:
#   pasar      owns the database and its tables; migrations run as it
#   pasar_app  the site's role; `manage.py grant_app_role --role pasar_app`
#              (run after each migrate) gives it exactly what the site needs
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
     -v owner_password="$PASAR_DB_OWNER_PASSWORD" \
     -v app_password="$PASAR_DB_APP_PASSWORD" <<'SQL'
CREATE ROLE pasar LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'owner_password';
CREATE ROLE pasar_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'app_password';
CREATE DATABASE pasar OWNER pasar;
REVOKE ALL ON DATABASE pasar FROM PUBLIC;
\connect pasar
-- PostgreSQL 15+ already keeps PUBLIC from creating in schema public; say so anyway.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
ALTER SCHEMA public OWNER TO pasar;
SQL
