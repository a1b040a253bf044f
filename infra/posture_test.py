#!/usr/bin/env python3
"""Security-posture test for the compiled ACMS Jobs ARM template (standard library only).

Reads the ARM JSON that `bicep build infra/main.bicep` produces (nested module
deployments included) and asserts:

  * storage accounts: allowSharedKeyAccess false, allowBlobPublicAccess false, TLS1_2;
  * PostgreSQL flexible servers: authConfig.passwordAuth Disabled, activeDirectoryAuth Enabled;
  * function apps: httpsOnly true, ftpsState Disabled, minTlsVersion >= 1.2, a user-assigned
    identity, identity-based deployment storage;
  * Application Insights: DisableLocalAuth true;
  * no app setting value (the literal strings in the template, including the module
    parameters they are fed from) contains AccountKey=, Password=, SharedAccessSignature, pwd=;
  * no list*() key-fetching function (listKeys, listAccountSas, ...) anywhere in the template;
  * schedule parameters default to six-field NCRONTAB expressions;
  * alerts: a log alert on failed runs, and the health alert: an enabled standard availability
    test of the anonymous /api/health (linked to Application Insights, expecting 200) and an
    enabled log alert on "Health: job {Job} is unhealthy" traces and that test's failed results;
  * every %Setting% used by a timerTrigger in the Functions build output functions.metadata
    is one of the function app's app setting names. A missing or timer-less
    functions.metadata is a FAILURE, never a silent pass;
  * sign-in (authsettingsV2, Microsoft Entra ID): evaluated with the client id parameter empty
    it is off, and given it is on with requireAuthentication true and unauthenticated callers
    answered 401; the provider uses the client id / tenant parameters; no WEBSITE_AUTH_ENABLED
    app setting (the platform sets it); and per route of functions.metadata: function-key routes
    are excluded from sign-in (automation keeps its keys), signed-in/ routes are not, and every
    other anonymous route is a public no-data route (health, dashboard page and assets).

Usage:
  posture_test.py [--template infra/main.json.compiled] [--metadata PATH]
  posture_test.py --self-test [--template ...]

--self-test runs the checks on the real template with infra/testdata/functions.metadata
(all must pass), then on mutated copies (shared keys on, password auth on, a Password=
setting, a dropped schedule setting, a missing metadata file, ...) and asserts each
mutation is caught. Both modes end with a line "N passed, M failed" and exit 1 on any failure.
"""

from __future__ import annotations

import argparse
import copy
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_TEMPLATE = REPO_ROOT / "infra" / "main.json.compiled"
DEFAULT_METADATA = REPO_ROOT / "Acms.Functions" / "bin" / "Release" / "net10.0" / "functions.metadata"
SAMPLE_METADATA = REPO_ROOT / "infra" / "testdata" / "functions.metadata"
PARAMETERS_FILE = REPO_ROOT / "infra" / "main.parameters.json"
AZURE_YAML = REPO_ROOT / "azure.yaml"

FORBIDDEN_IN_SETTINGS = ("AccountKey=", "Password=", "SharedAccessSignature", "pwd=")
PARAM_REF = re.compile(r"parameters\('([^']+)'\)")
LIST_FUNCTION = re.compile(r"(?<![\w.])list\w*\(", re.IGNORECASE)
SETTING_REF = re.compile(r"%([^%]+)%")


class ConfigError(Exception):
    """The inputs cannot be checked at all (unreadable template, ...)."""


@dataclass
class Result:
    name: str
    ok: bool
    detail: str = ""


@dataclass
class Found:
    resource: dict[str, Any]
    template: dict[str, Any]  # the (possibly nested) template that declares the resource
    deployment: dict[str, Any] | None  # the Microsoft.Resources/deployments wrapping it
    path: str

    @property
    def label(self) -> str:
        return f"{self.path}:{self.resource.get('type')}"


# --------------------------------------------------------------------------- template walk

def _resources_of(template: dict[str, Any]) -> list[dict[str, Any]]:
    res = template.get("resources", [])
    # languageVersion 2.0 templates keep resources in an object keyed by symbolic name.
    return list(res.values()) if isinstance(res, dict) else list(res)


def iter_resources(template: dict[str, Any], path: str = "main",
                   deployment: dict[str, Any] | None = None) -> Iterator[Found]:
    for r in _resources_of(template):
        if not isinstance(r, dict):
            continue
        yield Found(r, template, deployment, path)
        if str(r.get("type", "")).lower() == "microsoft.resources/deployments":
            inner = r.get("properties", {}).get("template")
            if isinstance(inner, dict):
                yield from iter_resources(inner, f"{path}/{r.get('name')}", r)


def of_type(template: dict[str, Any], rtype: str) -> list[Found]:
    return [f for f in iter_resources(template) if str(f.resource.get("type", "")).lower() == rtype.lower()]


def iter_strings(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for k, v in node.items():
            yield from iter_strings(k)
            yield from iter_strings(v)
    elif isinstance(node, list):
        for v in node:
            yield from iter_strings(v)


def function_apps(template: dict[str, Any]) -> list[Found]:
    return [f for f in of_type(template, "Microsoft.Web/sites")
            if "functionapp" in str(f.resource.get("kind", "")).lower()]


def app_settings(site: Found) -> tuple[list[tuple[str, Any]], list[str]]:
    """(name, value) pairs of a site's app settings, plus problems that hide names."""
    settings: list[tuple[str, Any]] = []
    problems: list[str] = []
    raw = site.resource.get("properties", {}).get("siteConfig", {}).get("appSettings")
    if isinstance(raw, list):
        for item in raw:
            if isinstance(item, dict) and isinstance(item.get("name"), str) and not item["name"].startswith("["):
                settings.append((item["name"], item.get("value")))
            else:
                problems.append(f"app setting entry without a literal name: {item!r}")
    elif raw is not None:
        problems.append(f"siteConfig.appSettings is not a literal array: {raw!r}")
    # Settings may also live in a Microsoft.Web/sites/config 'appsettings' resource.
    for r in _resources_of(site.template):
        if (isinstance(r, dict) and str(r.get("type", "")).lower() == "microsoft.web/sites/config"
                and "appsettings" in str(r.get("name", "")).lower()):
            props = r.get("properties")
            if isinstance(props, dict):
                settings.extend((k, v) for k, v in props.items())
            else:
                problems.append(f"sites/config appsettings properties are not a literal object: {props!r}")
    return settings, problems


def expand_value(value: Any, site: Found) -> list[str]:
    """The literal strings a setting value is made of, following parameters('x') one level
    out to the module call (deployment parameter value) and the parameter's default."""
    strings = list(iter_strings(value))
    params_in = site.deployment.get("properties", {}).get("parameters", {}) if site.deployment else {}
    declared = site.template.get("parameters", {})
    for s in list(strings):
        for pname in PARAM_REF.findall(s):
            passed = params_in.get(pname, {})
            if isinstance(passed, dict) and "value" in passed:
                strings.extend(iter_strings(passed["value"]))
            decl = declared.get(pname, {})
            if isinstance(decl, dict) and "defaultValue" in decl:
                strings.extend(iter_strings(decl["defaultValue"]))
    return strings


# --------------------------------------------------------------------------- checks

def _expect(results: list[Result], name: str, actual: Any, expected: Any) -> None:
    ok = actual == expected
    results.append(Result(name, ok, "" if ok else f"expected {expected!r}, found {actual!r}"))


def check_storage(template: dict[str, Any]) -> list[Result]:
    found = of_type(template, "Microsoft.Storage/storageAccounts")
    if not found:
        return [Result("storage account present", False, "no Microsoft.Storage/storageAccounts in template")]
    results: list[Result] = []
    for f in found:
        p = f.resource.get("properties", {})
        _expect(results, f"{f.label} allowSharedKeyAccess is false", p.get("allowSharedKeyAccess"), False)
        _expect(results, f"{f.label} allowBlobPublicAccess is false", p.get("allowBlobPublicAccess"), False)
        _expect(results, f"{f.label} minimumTlsVersion is TLS1_2", p.get("minimumTlsVersion"), "TLS1_2")
    return results


def check_postgres(template: dict[str, Any]) -> list[Result]:
    found = of_type(template, "Microsoft.DBforPostgreSQL/flexibleServers")
    if not found:
        return [Result("PostgreSQL flexible server present", False, "no Microsoft.DBforPostgreSQL/flexibleServers in template")]
    results: list[Result] = []
    for f in found:
        auth = f.resource.get("properties", {}).get("authConfig", {})
        _expect(results, f"{f.label} authConfig.passwordAuth is Disabled", auth.get("passwordAuth"), "Disabled")
        _expect(results, f"{f.label} authConfig.activeDirectoryAuth is Enabled", auth.get("activeDirectoryAuth"), "Enabled")
        admin_login = f.resource.get("properties", {}).get("administratorLoginPassword")
        results.append(Result(f"{f.label} has no administratorLoginPassword", admin_login is None,
                              "" if admin_login is None else "a password is set"))
    return results


def check_app_insights(template: dict[str, Any]) -> list[Result]:
    found = of_type(template, "Microsoft.Insights/components")
    if not found:
        return [Result("Application Insights present", False, "no Microsoft.Insights/components in template")]
    results: list[Result] = []
    for f in found:
        _expect(results, f"{f.label} DisableLocalAuth is true", f.resource.get("properties", {}).get("DisableLocalAuth"), True)
    return results


def check_function_apps(template: dict[str, Any]) -> list[Result]:
    sites = function_apps(template)
    if not sites:
        return [Result("function app present", False, "no Microsoft.Web/sites of kind functionapp in template")]
    results: list[Result] = []
    for f in sites:
        p = f.resource.get("properties", {})
        sc = p.get("siteConfig", {})
        _expect(results, f"{f.label} httpsOnly is true", p.get("httpsOnly"), True)
        _expect(results, f"{f.label} ftpsState is Disabled", sc.get("ftpsState"), "Disabled")
        tls = sc.get("minTlsVersion")
        results.append(Result(f"{f.label} minTlsVersion is 1.2 or higher", tls in ("1.2", "1.3"),
                              "" if tls in ("1.2", "1.3") else f"found {tls!r}"))
        id_type = str(f.resource.get("identity", {}).get("type", ""))
        results.append(Result(f"{f.label} has a user-assigned identity", "UserAssigned" in id_type,
                              "" if "UserAssigned" in id_type else f"identity.type is {id_type!r}"))
        dep_auth = p.get("functionAppConfig", {}).get("deployment", {}).get("storage", {}).get("authentication", {}).get("type")
        _expect(results, f"{f.label} deployment storage uses UserAssignedIdentity", dep_auth, "UserAssignedIdentity")

        settings, problems = app_settings(f)
        results.append(Result(f"{f.label} app settings are literal and readable", not problems and bool(settings),
                              "; ".join(problems) if problems else ("" if settings else "no app settings found")))
        offenders = []
        for name, value in settings:
            for s in expand_value(value, f):
                hits = [tok for tok in FORBIDDEN_IN_SETTINGS if tok.lower() in s.lower()]
                if hits:
                    offenders.append(f"{name} contains {', '.join(hits)}")
        results.append(Result(f"{f.label} no app setting value holds a key, SAS or password",
                              not offenders, "; ".join(sorted(set(offenders)))))
    return results


def _resolve(value: Any, found: Found) -> str:
    """A property value with [variables('x')] replaced by the declaring template's variable."""
    if isinstance(value, str):
        m = re.fullmatch(r"\[variables\('([^']+)'\)\]", value)
        if m:
            return str(found.template.get("variables", {}).get(m.group(1), value))
        return value
    return json.dumps(value)


def check_alerts(template: dict[str, Any]) -> list[Result]:
    """The failure alert, plus the health alert: an enabled standard availability test of the anonymous
    /api/health and an enabled log alert on late jobs ("Health: job {Job} is unhealthy") and failed probes."""
    results: list[Result] = []
    rules = [(f, _resolve(f.resource.get("properties", {}).get("criteria", {}).get("allOf", [{}])[0].get("query", ""), f))
             for f in of_type(template, "Microsoft.Insights/scheduledQueryRules")]
    failure = [f for f, q in rules if "Job {Job} run {RunId} failed" in q]
    results.append(Result("a log alert fires on failed job runs", bool(failure), "" if failure else "no scheduled query rule matches 'Job {Job} run {RunId} failed'"))

    late = [f for f, q in rules if "Health: job {Job} is unhealthy" in q and "availabilityResults" in q]
    results.append(Result("a log alert fires on late jobs and failed health probes", bool(late),
                          "" if late else "no scheduled query rule matches 'Health: job {Job} is unhealthy' and availabilityResults"))
    for f in late:
        _expect(results, f"{f.label} (late jobs) is enabled", f.resource.get("properties", {}).get("enabled"), True)

    tests = [f for f in of_type(template, "Microsoft.Insights/webtests")
             if "/api/health" in str(f.resource.get("properties", {}).get("Request", {}).get("RequestUrl", ""))
             and "details" not in str(f.resource.get("properties", {}).get("Request", {}).get("RequestUrl", ""))]
    results.append(Result("an availability test probes the anonymous /api/health", bool(tests),
                          "" if tests else "no Microsoft.Insights/webtests with Request.RequestUrl ending in /api/health"))
    for f in tests:
        p = f.resource.get("properties", {})
        _expect(results, f"{f.label} is enabled", p.get("Enabled"), True)
        _expect(results, f"{f.label} is a standard test", p.get("Kind"), "standard")
        _expect(results, f"{f.label} expects HTTP 200", p.get("ValidationRules", {}).get("ExpectedHttpStatusCode"), 200)
        linked = any(str(k).startswith("hidden-link:") or "hidden-link:" in str(k) for k in _tag_keys(f.resource))
        results.append(Result(f"{f.label} is linked to Application Insights (hidden-link tag)", linked, "" if linked else "no hidden-link tag"))
        names = [q for _, q in rules if "availabilityResults" in q]
        test_name = _resolve(p.get("Name"), f)
        named = any(f'"{test_name}"' in q for q in names)
        results.append(Result(f"{f.label} name {test_name!r} is the one the alert queries", named,
                              "" if named else "the alert's availabilityResults filter names another test"))
    return results


def _tag_keys(resource: dict[str, Any]) -> list[str]:
    tags = resource.get("tags", {})
    if isinstance(tags, dict):
        return list(tags)
    # union(parameters('tags'), createObject(format('hidden-link:{0}', ...), 'Resource')) stays an expression.
    return [str(tags)]


def check_no_list_functions(template: dict[str, Any]) -> list[Result]:
    hits = sorted({s for s in iter_strings(template) if s.startswith("[") and LIST_FUNCTION.search(s)})
    return [Result("no list*() key/SAS function anywhere in the template", not hits, "; ".join(h[:120] for h in hits))]


def check_schedule_defaults(template: dict[str, Any]) -> list[Result]:
    results: list[Result] = []
    params = {k: v for k, v in template.get("parameters", {}).items() if k.lower().endswith("schedule")}
    if not params:
        return [Result("schedule parameters present", False, "no top-level *Schedule parameters")]
    for name, decl in sorted(params.items()):
        default = decl.get("defaultValue") if isinstance(decl, dict) else None
        ok = isinstance(default, str) and len(default.split()) == 6
        results.append(Result(f"parameter {name} defaults to a six-field NCRONTAB", ok, "" if ok else f"default is {default!r}"))
    return results


def check_timer_settings(template: dict[str, Any], metadata_path: Path) -> list[Result]:
    if not metadata_path.is_file():
        return [Result("functions.metadata exists", False,
                       f"{metadata_path} not found: build the function app first "
                       f"(dotnet build Acms.Functions -c Release) or pass --metadata PATH")]
    try:
        functions = json.loads(metadata_path.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError) as exc:
        return [Result("functions.metadata is valid JSON", False, f"{metadata_path}: {exc}")]
    if not isinstance(functions, list):
        return [Result("functions.metadata is a JSON array", False, f"{metadata_path}: top level is {type(functions).__name__}")]

    timers: list[tuple[str, str]] = []  # (function name, schedule)
    for fn in functions:
        if not isinstance(fn, dict):
            continue
        for b in fn.get("bindings", []) or []:
            if isinstance(b, dict) and str(b.get("type", "")).lower() == "timertrigger":
                timers.append((str(fn.get("name")), str(b.get("schedule", ""))))
    results = [Result(f"functions.metadata ({metadata_path}) declares timer triggers", bool(timers),
                      "" if timers else "no timerTrigger binding found")]

    names: set[str] = set()
    sites = function_apps(template)
    for site in sites:
        names.update(n for n, _ in app_settings(site)[0])
    if not sites:
        results.append(Result("function app present for timer settings", False, "no function app in template"))
    for fn_name, schedule in timers:
        refs = SETTING_REF.findall(schedule)
        if not refs:
            # A literal schedule works but cannot be changed through app settings.
            results.append(Result(f"timer {fn_name} schedule comes from an app setting", False,
                                  f"schedule {schedule!r} is hard-coded; use %SettingName%"))
        for ref in refs:
            ok = ref in names
            results.append(Result(f"timer {fn_name} setting %{ref}% is an app setting", ok,
                                  "" if ok else f"{ref} is not among the function app settings"))
    return results


def check_azd_wiring(template: dict[str, Any], parameters_path: Path, azure_yaml: Path) -> list[Result]:
    """main.parameters.json matches the template's parameters; azure.yaml's service is the one
    the function app's azd-service-name tag names (variables.serviceName in main.bicep)."""
    results: list[Result] = []
    declared = template.get("parameters", {})
    try:
        given = json.loads(parameters_path.read_text(encoding="utf-8")).get("parameters", {})
    except (OSError, ValueError) as exc:
        return [Result("main.parameters.json is readable", False, f"{parameters_path}: {exc}")]
    unknown = sorted(set(given) - set(declared))
    results.append(Result("main.parameters.json names only template parameters", not unknown,
                          "" if not unknown else f"unknown: {', '.join(unknown)}"))
    required = sorted(k for k, v in declared.items() if isinstance(v, dict) and "defaultValue" not in v)
    absent = [k for k in required if k not in given]
    results.append(Result("main.parameters.json supplies every required parameter", not absent,
                          "" if not absent else f"missing: {', '.join(absent)}"))

    try:
        text = azure_yaml.read_text(encoding="utf-8")
    except OSError as exc:
        return results + [Result("azure.yaml is readable", False, str(exc))]
    m = re.search(r"^services:[ \t]*\n(?:[ \t]*#.*\n)*([ \t]+)([A-Za-z0-9_-]+):[ \t]*\n((?:\1[ \t]+.*\n?)*)", text, re.MULTILINE)
    service = m.group(2) if m else None
    body = m.group(3) if m else ""
    expected = template.get("variables", {}).get("serviceName")
    results.append(Result("azure.yaml service matches the azd-service-name tag", service is not None and service == expected,
                          "" if service == expected else f"azure.yaml service {service!r}, template serviceName {expected!r}"))
    host = re.search(r"^\s+host:\s*(\S+)", body, re.MULTILINE)
    results.append(Result("azure.yaml service has host: function", bool(host) and host.group(1) == "function",
                          "" if host and host.group(1) == "function" else f"host is {host.group(1) if host else None!r}"))
    return results


# --------------------------------------------------------------------------- sign-in (Easy Auth)

AUTH_PARAM = "authClientId"
TENANT_PARAM = "authTenantId"
SIGNED_IN_PREFIX = "signed-in/"
# The catch-all "{*rest}" only answers 404/405 problem documents for what no other route matches: no data.
PUBLIC_ROUTES = {"health", "dashboard", "dashboard/assets/{*path}", "{*rest}"}
EXPR_PARAM = re.compile(r"^\[parameters\('([^']+)'\)\]$")
EXPR_VARIABLE = re.compile(r"^\[variables\('([^']+)'\)\]$")
EXPR_GIVEN = re.compile(r"^\[not\(empty\(parameters\('([^']+)'\)\)\)\]$")


class NotUnderstood(Exception):
    """An expression outside the few forms evaluate() knows: the check fails rather than guess."""


def evaluate(value: Any, template: dict[str, Any], params: dict[str, Any]) -> Any:
    """Evaluates the ARM expressions the sign-in settings may use: literals, parameters('p'),
    variables('v') and not(empty(parameters('p'))), with the given parameter values."""
    if not isinstance(value, str) or not value.startswith("["):
        return value
    for pattern, fn in ((EXPR_PARAM, lambda n: params.get(n, "")),
                        (EXPR_GIVEN, lambda n: params.get(n, "") not in ("", None)),
                        (EXPR_VARIABLE, lambda n: evaluate(template.get("variables", {}).get(n), template, params))):
        m = pattern.match(value)
        if m:
            return fn(m.group(1))
    raise NotUnderstood(value)


def auth_settings(site: Found) -> list[dict[str, Any]]:
    return [r for r in _resources_of(site.template)
            if isinstance(r, dict) and str(r.get("type", "")).lower() == "microsoft.web/sites/config"
            and "authsettingsv2" in str(r.get("name", "")).lower()]


def route_path(route: str) -> str:
    """/api/<route> with every {parameter} replaced by a sample segment."""
    return "/api/" + re.sub(r"\{\*[^}]+\}", "x/y", re.sub(r"\{[^*}][^}]*\}", "x", route))


def excluded(path: str, excluded_paths: list[str]) -> bool:
    for p in excluded_paths:
        if p.endswith("/*"):
            if path.lower().startswith(p[:-1].lower()):
                return True
        elif path.lower() == p.lower():
            return True
    return False


def http_routes(metadata_path: Path) -> list[tuple[str, str, str]]:
    """(function, route, authLevel) of every httpTrigger in functions.metadata; [] when unreadable."""
    try:
        functions = json.loads(metadata_path.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError):
        return []
    found = []
    for fn in functions if isinstance(functions, list) else []:
        for b in (fn.get("bindings", []) if isinstance(fn, dict) else []) or []:
            if isinstance(b, dict) and str(b.get("type", "")).lower() == "httptrigger":
                found.append((str(fn.get("name")), str(b.get("route") or fn.get("name")), str(b.get("authLevel", "function")).lower()))
    return found


def _verdict(name: str, ok: bool, detail: str = "") -> Result:
    return Result(name, ok, "" if ok else detail)


def check_sign_in(template: dict[str, Any], metadata_path: Path) -> list[Result]:
    results: list[Result] = []
    sites = function_apps(template)
    for site in sites:
        names = [n for n, _ in app_settings(site)[0]]
        results.append(_verdict(f"{site.label} has no WEBSITE_AUTH_ENABLED app setting (the platform sets it)",
                              "WEBSITE_AUTH_ENABLED" not in names, "" if "WEBSITE_AUTH_ENABLED" not in names else "set by the template"))
        found = auth_settings(site)
        results.append(_verdict(f"{site.label} declares authsettingsV2", len(found) == 1, f"found {len(found)}"))
        if len(found) != 1:
            continue
        props = found[0].get("properties", {})
        gv = props.get("globalValidation", {})
        aad = props.get("identityProviders", {}).get("azureActiveDirectory", {})
        declared = site.template.get("parameters", {})
        results.append(_verdict(f"{site.label} sign-in parameters {AUTH_PARAM}/{TENANT_PARAM} exist",
                              AUTH_PARAM in declared and TENANT_PARAM in declared, ""))
        for given, label in (("", "without a client id"), ("00000000-0000-0000-0000-0000000000aa", "with a client id")):
            params = {AUTH_PARAM: given, TENANT_PARAM: "tenant"}
            try:
                on = (evaluate(props.get("platform", {}).get("enabled"), site.template, params),
                      evaluate(aad.get("enabled"), site.template, params))
                require = evaluate(gv.get("requireAuthentication"), site.template, params)
                action = evaluate(gv.get("unauthenticatedClientAction"), site.template, params)
            except NotUnderstood as exc:
                results.append(_verdict(f"{site.label} sign-in {label}: settings are evaluable", False, f"expression not understood: {exc}"))
                continue
            want_on = bool(given)
            results.append(_verdict(f"{site.label} sign-in {label} is {'on' if want_on else 'off'}", on == (want_on, want_on),
                                  "" if on == (want_on, want_on) else f"platform/provider enabled = {on}"))
            if want_on:
                results.append(_verdict(f"{site.label} sign-in {label}: requireAuthentication is true", require is True, f"found {require!r}"))
                results.append(_verdict(f"{site.label} sign-in {label}: unauthenticated callers get 401", action == "Return401", f"found {action!r}"))
        reg = aad.get("registration", {})
        results.append(_verdict(f"{site.label} Entra provider uses the {AUTH_PARAM} parameter",
                              reg.get("clientId") == f"[parameters('{AUTH_PARAM}')]", f"clientId {reg.get('clientId')!r}"))
        results.append(_verdict(f"{site.label} Entra issuer uses the {TENANT_PARAM} parameter",
                              f"parameters('{TENANT_PARAM}')" in str(reg.get("openIdIssuer", "")), f"openIdIssuer {reg.get('openIdIssuer')!r}"))

        paths = gv.get("excludedPaths", [])
        routes = http_routes(metadata_path)
        results.append(_verdict(f"functions.metadata ({metadata_path}) declares HTTP routes", bool(routes), ""))
        for fn, route, level in routes:
            path = route_path(route)
            is_excluded = excluded(path, paths if isinstance(paths, list) else [])
            if level in ("function", "admin", "system"):
                results.append(_verdict(f"key route {fn} ({path}) is excluded from sign-in, so its key keeps working", is_excluded, f"excludedPaths {paths}"))
            elif route.lower().startswith(SIGNED_IN_PREFIX):
                results.append(_verdict(f"sign-in route {fn} ({path}) is not excluded from sign-in", not is_excluded, f"excludedPaths {paths}"))
            else:
                results.append(_verdict(f"anonymous route {fn} ({path}) is a public no-data route", route in PUBLIC_ROUTES,
                                      "" if route in PUBLIC_ROUTES else f"{route!r} would serve an unauthenticated caller; make it a key or signed-in/ route"))
    return results


def run_checks(template: dict[str, Any], metadata_path: Path,
               parameters_path: Path = PARAMETERS_FILE, azure_yaml: Path = AZURE_YAML) -> list[Result]:
    results: list[Result] = []
    for check in (check_storage, check_postgres, check_app_insights, check_function_apps,
                  check_no_list_functions, check_schedule_defaults, check_alerts):
        results.extend(check(template))
    results.extend(check_azd_wiring(template, parameters_path, azure_yaml))
    results.extend(check_timer_settings(template, metadata_path))
    results.extend(check_sign_in(template, metadata_path))
    return results


def report(results: list[Result], quiet: bool = False) -> int:
    failed = [r for r in results if not r.ok]
    if not quiet:
        for r in results:
            print(f"  {'PASS' if r.ok else 'FAIL'}  {r.name}" + (f"  -- {r.detail}" if r.detail else ""))
    return len(failed)


# --------------------------------------------------------------------------- self-test

def _first(template: dict[str, Any], rtype: str) -> dict[str, Any]:
    found = of_type(template, rtype)
    if not found:
        raise ConfigError(f"self-test: template has no {rtype}")
    return found[0].resource


def _site(template: dict[str, Any]) -> dict[str, Any]:
    sites = function_apps(template)
    if not sites:
        raise ConfigError("self-test: template has no function app")
    return sites[0].resource


def _add_setting(t: dict[str, Any], name: str, value: str) -> None:
    _site(t)["properties"]["siteConfig"]["appSettings"].append({"name": name, "value": value})


def _drop_setting(t: dict[str, Any], name: str) -> None:
    sc = _site(t)["properties"]["siteConfig"]
    sc["appSettings"] = [s for s in sc["appSettings"] if s.get("name") != name]


def _deployment_param(t: dict[str, Any], name: str, value: str) -> None:
    site = function_apps(t)[0]
    if site.deployment is None:
        raise ConfigError("self-test: function app is not inside a module deployment")
    site.deployment["properties"]["parameters"][name] = {"value": value}


def _auth(t: dict[str, Any]) -> dict[str, Any]:
    found = auth_settings(function_apps(t)[0])
    if not found:
        raise ConfigError("self-test: template has no authsettingsV2")
    return found[0]


def _drop_auth(t: dict[str, Any]) -> None:
    site = function_apps(t)[0]
    res = site.template["resources"]
    if isinstance(res, dict):
        for k in [k for k, r in res.items() if "authsettingsv2" in str(r.get("name", "")).lower()]:
            del res[k]
    else:
        site.template["resources"] = [r for r in res if "authsettingsv2" not in str(r.get("name", "")).lower()]


def _set(path: list[str], value: Any, getter: Callable[[dict[str, Any]], dict[str, Any]]) -> Callable[[dict[str, Any]], None]:
    def mutate(t: dict[str, Any]) -> None:
        node = getter(t)
        for key in path[:-1]:
            node = node.setdefault(key, {})
        node[path[-1]] = value
    return mutate


def self_test(template: dict[str, Any], tmp_dir: Path) -> int:
    storage = lambda t: _first(t, "Microsoft.Storage/storageAccounts")  # noqa: E731
    postgres = lambda t: _first(t, "Microsoft.DBforPostgreSQL/flexibleServers")  # noqa: E731
    appi = lambda t: _first(t, "Microsoft.Insights/components")  # noqa: E731
    webtest = lambda t: _first(t, "Microsoft.Insights/webtests")  # noqa: E731

    def late_rule(t: dict[str, Any]) -> dict[str, Any]:
        for f in of_type(t, "Microsoft.Insights/scheduledQueryRules"):
            if "late" in str(f.resource.get("name", "")):
                return f.resource
        raise ConfigError("self-test: template has no late-job alert")

    missing_meta = tmp_dir / "does-not-exist" / "functions.metadata"
    bad_ref_meta = tmp_dir / "bad-ref.functions.metadata"
    meta = json.loads(SAMPLE_METADATA.read_text(encoding="utf-8"))
    meta[0]["bindings"][0]["schedule"] = "%NoSuchSchedule%"
    bad_ref_meta.write_text(json.dumps(meta), encoding="utf-8")
    open_route_meta = tmp_dir / "open-route.functions.metadata"
    open_meta = json.loads(SAMPLE_METADATA.read_text(encoding="utf-8"))
    for f in open_meta:
        for b in f["bindings"]:
            if b.get("type") == "httpTrigger" and b.get("authLevel") == "Function":
                b["authLevel"] = "Anonymous"
    open_route_meta.write_text(json.dumps(open_meta), encoding="utf-8")
    no_timer_meta = tmp_dir / "no-timer.functions.metadata"
    no_timer_meta.write_text(json.dumps([f for f in meta if not f["name"].endswith("Timer")]), encoding="utf-8")

    # (description, template mutation or None, metadata path, substring of the check that must fail)
    cases: list[tuple[str, Callable[[dict[str, Any]], None] | None, Path, str]] = [
        ("storage shared keys on", _set(["properties", "allowSharedKeyAccess"], True, storage), SAMPLE_METADATA, "allowSharedKeyAccess"),
        ("storage shared-key setting absent", lambda t: storage(t)["properties"].pop("allowSharedKeyAccess"), SAMPLE_METADATA, "allowSharedKeyAccess"),
        ("blob public access on", _set(["properties", "allowBlobPublicAccess"], True, storage), SAMPLE_METADATA, "allowBlobPublicAccess"),
        ("storage TLS 1.0", _set(["properties", "minimumTlsVersion"], "TLS1_0", storage), SAMPLE_METADATA, "minimumTlsVersion"),
        ("PostgreSQL password auth on", _set(["properties", "authConfig", "passwordAuth"], "Enabled", postgres), SAMPLE_METADATA, "passwordAuth"),
        ("PostgreSQL Entra auth off", _set(["properties", "authConfig", "activeDirectoryAuth"], "Disabled", postgres), SAMPLE_METADATA, "activeDirectoryAuth"),
        ("PostgreSQL admin password", _set(["properties", "administratorLoginPassword"], "[parameters('pw')]", postgres), SAMPLE_METADATA, "administratorLoginPassword"),
        ("App Insights local auth on", _set(["properties", "DisableLocalAuth"], False, appi), SAMPLE_METADATA, "DisableLocalAuth"),
        ("function app http allowed", _set(["properties", "httpsOnly"], False, _site), SAMPLE_METADATA, "httpsOnly"),
        ("function app FTPS allowed", _set(["properties", "siteConfig", "ftpsState"], "FtpsOnly", _site), SAMPLE_METADATA, "ftpsState"),
        ("function app TLS 1.0", _set(["properties", "siteConfig", "minTlsVersion"], "1.0", _site), SAMPLE_METADATA, "minTlsVersion"),
        ("function app system identity only", _set(["identity"], {"type": "SystemAssigned"}, _site), SAMPLE_METADATA, "user-assigned identity"),
        ("deployment storage by connection string",
         _set(["properties", "functionAppConfig", "deployment", "storage", "authentication", "type"], "StorageAccountConnectionString", _site),
         SAMPLE_METADATA, "deployment storage"),
        ("Password= in a setting", lambda t: _add_setting(t, "Legacy__Db", "Host=x;Username=u;Password=hunter2"), SAMPLE_METADATA, "no app setting value"),
        ("AccountKey= in a setting", lambda t: _add_setting(t, "AzureWebJobsStorage", "DefaultEndpointsProtocol=https;AccountName=a;AccountKey=abc"), SAMPLE_METADATA, "no app setting value"),
        ("SAS in a setting", lambda t: _add_setting(t, "Blob", "BlobEndpoint=https://a;SharedAccessSignature=sv=1"), SAMPLE_METADATA, "no app setting value"),
        ("pwd= in a setting", lambda t: _add_setting(t, "Other", "server=x;uid=u;PWD=p"), SAMPLE_METADATA, "no app setting value"),
        ("listKeys() in a setting", lambda t: _add_setting(t, "Key", "[listKeys(resourceId('Microsoft.Storage/storageAccounts', 'x'), '2023-01-01').keys[0].value]"),
         SAMPLE_METADATA, "list*()"),
        ("Password= passed in through a module parameter",
         lambda t: _deployment_param(t, "postgresFqdn", "db.example;Password=hunter2"), SAMPLE_METADATA, "no app setting value"),
        ("schedule setting dropped", lambda t: _drop_setting(t, "DecaySchedule"), SAMPLE_METADATA, "%DecaySchedule%"),
        ("app settings not literal", _set(["properties", "siteConfig", "appSettings"], "[variables('settings')]", _site), SAMPLE_METADATA, "literal and readable"),
        ("schedule default not NCRONTAB-6", lambda t: t["parameters"]["decaySchedule"].__setitem__("defaultValue", "0 3 * * *"), SAMPLE_METADATA, "decaySchedule"),
        ("azd service name differs from the tag", lambda t: t["variables"].__setitem__("serviceName", "api"), SAMPLE_METADATA, "azd-service-name"),
        ("required parameter not in main.parameters.json", lambda t: t["parameters"].__setitem__("newRequired", {"type": "string"}),
         SAMPLE_METADATA, "every required parameter"),
        ("sign-in does not require authentication", _set(["properties", "globalValidation", "requireAuthentication"], False, _auth), SAMPLE_METADATA, "requireAuthentication"),
        ("sign-in lets unauthenticated callers through", _set(["properties", "globalValidation", "unauthenticatedClientAction"], "AllowAnonymous", _auth),
         SAMPLE_METADATA, "get 401"),
        ("sign-in never on", _set(["properties", "platform", "enabled"], False, _auth), SAMPLE_METADATA, "with a client id is on"),
        ("sign-in on without a client id", _set(["properties", "platform", "enabled"], True, _auth), SAMPLE_METADATA, "without a client id is off"),
        ("sign-in routes excluded too", _set(["properties", "globalValidation", "excludedPaths"], ["/api/*"], _auth), SAMPLE_METADATA, "is not excluded from sign-in"),
        ("key routes not excluded", _set(["properties", "globalValidation", "excludedPaths"], ["/api/health"], _auth), SAMPLE_METADATA, "its key keeps working"),
        ("Entra provider with a fixed client id", _set(["properties", "identityProviders", "azureActiveDirectory", "registration", "clientId"], "abc", _auth),
         SAMPLE_METADATA, "uses the authClientId parameter"),
        ("authsettingsV2 missing", _drop_auth, SAMPLE_METADATA, "declares authsettingsV2"),
        ("WEBSITE_AUTH_ENABLED as an app setting", lambda t: _add_setting(t, "WEBSITE_AUTH_ENABLED", "True"), SAMPLE_METADATA, "no WEBSITE_AUTH_ENABLED"),
        ("a key route made anonymous", None, open_route_meta, "public no-data route"),
        ("late-job alert disabled", _set(["properties", "enabled"], False, late_rule), SAMPLE_METADATA, "(late jobs) is enabled"),
        ("late-job alert queries something else", _set(["properties", "criteria", "allOf"], [{"query": "requests | take 1"}], late_rule),
         SAMPLE_METADATA, "late jobs and failed health probes"),
        ("health test disabled", _set(["properties", "Enabled"], False, webtest), SAMPLE_METADATA, "is enabled"),
        ("health test probes the keyed details", _set(["properties", "Request", "RequestUrl"], "https://x/api/health/details", webtest),
         SAMPLE_METADATA, "probes the anonymous /api/health"),
        ("health test accepts any status", _set(["properties", "ValidationRules", "ExpectedHttpStatusCode"], 0, webtest), SAMPLE_METADATA, "expects HTTP 200"),
        ("health test renamed away from the alert", _set(["properties", "Name"], "other", webtest), SAMPLE_METADATA, "is the one the alert queries"),
        ("functions.metadata missing", None, missing_meta, "functions.metadata exists"),
        ("timer references unknown setting", None, bad_ref_meta, "%NoSuchSchedule%"),
        ("functions.metadata without timers", None, no_timer_meta, "declares timer triggers"),
    ]

    passed = failed = 0

    def verdict(ok: bool, text: str) -> None:
        nonlocal passed, failed
        passed += ok
        failed += not ok
        print(f"  {'PASS' if ok else 'FAIL'}  {text}")

    print("self-test: unmodified template + infra/testdata/functions.metadata must pass every check")
    baseline = run_checks(template, SAMPLE_METADATA)
    bad = [r for r in baseline if not r.ok]
    verdict(not bad, f"baseline: {len(baseline)} checks, {len(bad)} failed" + "".join(f"\n        {r.name}: {r.detail}" for r in bad))

    print("self-test: each mutation must be caught")
    for desc, mutate, meta_path, must_fail in cases:
        t = copy.deepcopy(template)
        try:
            if mutate is not None:
                mutate(t)
            results = run_checks(t, meta_path)
        except (ConfigError, KeyError, IndexError, TypeError) as exc:
            verdict(False, f"{desc}: could not apply mutation ({exc!r})")
            continue
        caught = [r for r in results if not r.ok and must_fail in r.name]
        verdict(bool(caught), f"{desc}: caught by " + (caught[0].name if caught else f"NOTHING (expected a failing check containing {must_fail!r})"))

    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


# --------------------------------------------------------------------------- main

def load_template(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise ConfigError(f"compiled template {path} not found: run `bash infra/check.sh` "
                          f"(or bicep build infra/main.bicep --outfile {path})")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise ConfigError(f"{path} is not valid JSON: {exc}") from exc
    if not isinstance(data, dict) or "resources" not in data:
        raise ConfigError(f"{path} does not look like an ARM template")
    return data


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--template", type=Path, default=DEFAULT_TEMPLATE, help=f"compiled ARM JSON (default {DEFAULT_TEMPLATE.relative_to(REPO_ROOT)})")
    ap.add_argument("--metadata", type=Path, default=DEFAULT_METADATA, help=f"functions.metadata (default {DEFAULT_METADATA.relative_to(REPO_ROOT)})")
    ap.add_argument("--self-test", action="store_true", help="prove the checks pass on the template and catch mutated copies")
    args = ap.parse_args(argv)

    try:
        template = load_template(args.template)
        if args.self_test:
            import tempfile
            with tempfile.TemporaryDirectory(prefix="posture-selftest-") as tmp:
                return self_test(template, Path(tmp))
        print(f"posture test: template {args.template}, metadata {args.metadata}")
        results = run_checks(template, args.metadata)
    except ConfigError as exc:
        print(f"  FAIL  {exc}")
        print("0 passed, 1 failed")
        return 1
    failed = report(results)
    print(f"{len(results) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
