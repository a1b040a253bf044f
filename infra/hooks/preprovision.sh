#!/bin/sh
# azd preprovision hook (posix sh).
#
# The Bicep template makes the deploying principal the Microsoft Entra administrator of the
# PostgreSQL server. ARM needs that principal's NAME (the PostgreSQL role it logs in as), which
# azd does not provide, so this hook stores it in the azd environment when it is not set yet:
#   AZURE_PRINCIPAL_NAME  UPN of a user, display name of a service principal
#   AZURE_PRINCIPAL_TYPE  User | ServicePrincipal
# It looks up AZURE_PRINCIPAL_ID (set by azd) with the az CLI, falling back to the account
# az is signed in with. azd and az must be signed in as the SAME principal, because the
# postprovision hook connects to PostgreSQL with an az CLI token.
# Override by hand: azd env set AZURE_PRINCIPAL_NAME someone@contoso.com
set -eu

if [ -n "${AZURE_PRINCIPAL_NAME:-}" ]; then
  echo "preprovision: AZURE_PRINCIPAL_NAME already set (${AZURE_PRINCIPAL_NAME})"
  exit 0
fi

command -v az >/dev/null 2>&1 || { echo "preprovision: the az CLI is required (https://aka.ms/azure-cli)" >&2; exit 1; }

name=""
type=""
if [ -n "${AZURE_PRINCIPAL_ID:-}" ]; then
  if name="$(az ad user show --id "$AZURE_PRINCIPAL_ID" --query userPrincipalName -o tsv 2>/dev/null)" && [ -n "$name" ]; then
    type=User
  elif name="$(az ad sp show --id "$AZURE_PRINCIPAL_ID" --query displayName -o tsv 2>/dev/null)" && [ -n "$name" ]; then
    type=ServicePrincipal
  else
    name=""
  fi
fi

if [ -z "$name" ]; then
  account_type="$(az account show --query user.type -o tsv)"
  if [ "$account_type" = "user" ]; then
    name="$(az ad signed-in-user show --query userPrincipalName -o tsv)"
    type=User
  else
    app_id="$(az account show --query user.name -o tsv)"
    name="$(az ad sp show --id "$app_id" --query displayName -o tsv)"
    type=ServicePrincipal
  fi
fi

if [ -z "$name" ]; then
  echo "preprovision: could not determine the principal name; run: azd env set AZURE_PRINCIPAL_NAME <upn-or-display-name>" >&2
  exit 1
fi

azd env set AZURE_PRINCIPAL_NAME "$name"
[ -n "${AZURE_PRINCIPAL_TYPE:-}" ] || azd env set AZURE_PRINCIPAL_TYPE "$type"
echo "preprovision: PostgreSQL Entra administrator will be $name ($type)"
