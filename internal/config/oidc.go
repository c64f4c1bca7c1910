package config

import (
	"net/url"
	"strings"
)

// entraHost is the host of Microsoft Entra ID's v2.0 issuers.
const entraHost = "login.microsoftonline.com"

// entraIssuerHint says what an Entra issuer must look like, and why.
const entraIssuerHint = "a single-tenant portal needs the tenant's GUID so that the issuer " +
	"of every token can be checked exactly; use " +
	"https://login.microsoftonline.com/<tenant GUID>/v2.0, with the Directory (tenant) ID " +
	"from the app registration's overview page"

// oidc returns the OIDC configuration, or nil when it is unset or invalid.
// wanted reports whether any OIDC variable is set, which means the
// development sign-in was not asked for even if OIDC is incomplete.
func (l *loader) oidc() (o *OIDC, wanted bool) {
	before := len(l.problems)
	issuer, clientID := l.get("OIDC_ISSUER_URL"), l.get("OIDC_CLIENT_ID")
	secret := l.secret("OIDC_CLIENT_SECRET")
	if issuer == "" && clientID == "" && !secret.set {
		return nil, false
	}

	l.requireAll("OIDC sign-in needs OIDC_ISSUER_URL, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET "+
		"(or OIDC_CLIENT_SECRET_FILE), or none of them for the development sign-in",
		member{"OIDC_ISSUER_URL", issuer != ""},
		member{"OIDC_CLIENT_ID", clientID != ""},
		member{secret.source, secret.set},
	)
	o = &OIDC{ClientID: clientID, ClientSecret: secret.value}
	if issuer != "" {
		o.IssuerURL, o.TenantID = l.issuer(issuer)
	}
	if len(l.problems) > before {
		return nil, true
	}
	return o, true
}

// issuer checks OIDC_ISSUER_URL. It returns the issuer and, for Entra, the
// tenant GUID; any other issuer is returned exactly as given, because tokens
// must name it exactly.
func (l *loader) issuer(raw string) (issuer, tenantID string) {
	u := l.webURL("OIDC_ISSUER_URL", raw)
	if u == nil {
		return "", ""
	}
	switch strings.ToLower(u.Hostname()) {
	case "sts.windows.net":
		l.addf("OIDC_ISSUER_URL", "%q is an Entra v1 issuer, which the portal does not "+
			"accept; %s", raw, entraIssuerHint)
		return "", ""
	case entraHost:
		return l.entraIssuer(raw, u)
	}
	return raw, ""
}

// entraIssuer checks that an Entra issuer's path is exactly /<tenant GUID>/v2.0
// and returns the issuer and the tenant GUID, both lower-cased.
func (l *loader) entraIssuer(raw string, u *url.URL) (issuer, tenantID string) {
	tenant, isV2 := strings.CutSuffix(strings.TrimPrefix(u.Path, "/"), "/v2.0")
	switch {
	case !isV2 || strings.Contains(tenant, "/") || u.Port() != "":
		l.addf("OIDC_ISSUER_URL", "%q is not an Entra v2.0 issuer, whose path is exactly "+
			"/<tenant GUID>/v2.0; %s", raw, entraIssuerHint)
		return "", ""
	case isTenantAlias(tenant):
		l.addf("OIDC_ISSUER_URL", "%q names %q, which stands for many tenants, not one "+
			"tenant; %s", raw, tenant, entraIssuerHint)
		return "", ""
	case !isGUID(tenant):
		l.addf("OIDC_ISSUER_URL", "%q names the tenant %q, which is not a GUID (a domain "+
			"name is not accepted); %s", raw, tenant, entraIssuerHint)
		return "", ""
	}
	tenantID = strings.ToLower(tenant)
	return "https://" + entraHost + "/" + tenantID + "/v2.0", tenantID
}

// isTenantAlias reports whether tenant is one of Entra's multi-tenant aliases.
func isTenantAlias(tenant string) bool {
	switch strings.ToLower(tenant) {
	case "common", "organizations", "consumers":
		return true
	}
	return false
}
