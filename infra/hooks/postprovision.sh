#!/bin/sh
# azd postprovision hook (posix sh): prepares the Entra-only PostgreSQL database.
#
# What it does, as the deploying principal (the server's Microsoft Entra administrator):
#   1. gets an Entra access token for Azure Database for PostgreSQL:
#        az account get-access-token --resource-type oss-rdbms
#      and uses it as the psql password (PGPASSWORD) - no stored password exists anywhere;
#   2. in database `postgres`, creates the PostgreSQL role of the function app's user-assigned
#      managed identity (role name = identity name) unless it exists:
#        SELECT * FROM pgaadauth_create_principal('<identity name>', false, false);
#   3. runs the schema migration as the administrator:
#        ConnectionStrings__Acms="Host=<fqdn>;Database=acms;Username=<admin>;Password=<token>;Ssl Mode=Require" \
#          dotnet run --project Acms.Cli -- db migrate
#   4. grants the identity's role CONNECT/TEMP on the database, USAGE on schema public, DML
#      (SELECT/INSERT/UPDATE/DELETE) on all tables and USAGE/SELECT/UPDATE on all sequences, plus
#      default privileges for tables/sequences the administrator creates later (the app itself
#      runs with Database__MigrateOnStart=false, so it needs no DDL rights).
# Every step is idempotent; re-running `azd provision` re-runs the migration (already applied
# migrations are skipped by the CLI).
#
# Requirements on the machine running azd: az CLI signed in as the same principal as azd
# (AZURE_PRINCIPAL_NAME), psql (PostgreSQL client), the .NET 10 SDK, and network access to the
# server: its firewall must allow your IP, e.g. before `azd up`:
#   azd env set POSTGRES_CLIENT_IP_START "$(curl -s https://api.ipify.org)"
# Inputs (azd environment, set from the Bicep outputs): POSTGRES_HOST, POSTGRES_DATABASE,
# POSTGRES_ADMIN_NAME, AZURE_MANAGED_IDENTITY_NAME. Set ACMS_SKIP_DB_SETUP=true to skip this hook.
set -eu

if [ "${ACMS_SKIP_DB_SETUP:-false}" = "true" ]; then
  echo "postprovision: ACMS_SKIP_DB_SETUP=true, skipping database setup"
  exit 0
fi

repo_root="$(cd "$(dirname "$0")/../.." && pwd)"

missing=""
for v in POSTGRES_HOST POSTGRES_DATABASE POSTGRES_ADMIN_NAME AZURE_MANAGED_IDENTITY_NAME; do
  eval "val=\${$v:-}"
  [ -n "$val" ] || missing="$missing $v"
done
if [ -n "$missing" ]; then
  echo "postprovision: missing azd environment values:$missing (did provisioning succeed?)" >&2
  exit 1
fi
for tool in az psql dotnet; do
  command -v "$tool" >/dev/null 2>&1 || { echo "postprovision: '$tool' is required on PATH" >&2; exit 1; }
done

echo "postprovision: requesting an Entra token for PostgreSQL (az account get-access-token --resource-type oss-rdbms)"
token="$(az account get-access-token --resource-type oss-rdbms --query accessToken -o tsv)"

export PGHOST="$POSTGRES_HOST"
export PGUSER="$POSTGRES_ADMIN_NAME"
export PGPASSWORD="$token"
export PGSSLMODE=require
export PGCONNECT_TIMEOUT=15

# A freshly created Entra administrator can take a minute or two to be accepted.
attempt=1
until psql -d postgres -X -q -t -c 'SELECT 1' >/dev/null 2>&1; do
  if [ "$attempt" -ge 12 ]; then
    echo "postprovision: cannot connect to $PGHOST as $PGUSER." >&2
    echo "  - Is your IP allowed? azd env set POSTGRES_CLIENT_IP_START <your-ip> && azd provision" >&2
    echo "    (or: az postgres flexible-server firewall-rule create -g \"\$AZURE_RESOURCE_GROUP\" -n \"\$POSTGRES_SERVER_NAME\" -r AllowMe --start-ip-address <ip>)" >&2
    echo "  - Is az signed in as $PGUSER (the server's Entra administrator)? az account show" >&2
    psql -d postgres -X -q -t -c 'SELECT 1' || true
    exit 1
  fi
  echo "postprovision: waiting for the server to accept $PGUSER (attempt $attempt/12)"
  attempt=$((attempt + 1))
  sleep 15
done

echo "postprovision: ensuring PostgreSQL role for managed identity $AZURE_MANAGED_IDENTITY_NAME"
psql -d postgres -X -q -v ON_ERROR_STOP=1 -v mi="$AZURE_MANAGED_IDENTITY_NAME" <<'SQL'
SELECT NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'mi') AS create_role \gset
\if :create_role
  SELECT * FROM pgaadauth_create_principal(:'mi', false, false);
\else
  \echo role already exists
\endif
SQL

echo "postprovision: migrating database $POSTGRES_DATABASE (dotnet run --project Acms.Cli -- db migrate)"
(
  cd "$repo_root"
  ConnectionStrings__Acms="Host=$POSTGRES_HOST;Database=$POSTGRES_DATABASE;Username=$POSTGRES_ADMIN_NAME;Password=$token;Ssl Mode=Require" \
    dotnet run --project Acms.Cli -- db migrate
)

echo "postprovision: granting $AZURE_MANAGED_IDENTITY_NAME data access on $POSTGRES_DATABASE"
psql -d "$POSTGRES_DATABASE" -X -q -v ON_ERROR_STOP=1 -v mi="$AZURE_MANAGED_IDENTITY_NAME" -v db="$POSTGRES_DATABASE" <<'SQL'
GRANT CONNECT, TEMPORARY ON DATABASE :"db" TO :"mi";
GRANT USAGE ON SCHEMA public TO :"mi";
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO :"mi";
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO :"mi";
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO :"mi";
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO :"mi";
SQL

echo "postprovision: database ready"
