package config

import (
	"log/slog"
	"net/url"
	"strconv"
	"strings"
)

// redacted stands in for a secret in the logged configuration.
const redacted = "[redacted]"

// logLevel returns LOG_LEVEL as a slog.Level.
func (l *loader) logLevel() slog.Level {
	value := l.getOr("LOG_LEVEL", "info")
	switch strings.ToLower(value) {
	case "debug":
		return slog.LevelDebug
	case "info":
		return slog.LevelInfo
	case "warn":
		return slog.LevelWarn
	case "error":
		return slog.LevelError
	}
	l.addf("LOG_LEVEL", "%q is not a log level; use debug, info, warn or error", value)
	return slog.LevelInfo
}

// logFormat returns LOG_FORMAT, lower-cased.
func (l *loader) logFormat() string {
	format := strings.ToLower(l.getOr("LOG_FORMAT", "text"))
	if format != "text" && format != "json" {
		l.addf("LOG_FORMAT", "%q is not a log format; use text or json", format)
	}
	return format
}

// LogValue returns the effective configuration as a group for slog, with every
// secret redacted: the client secret, the private key and the database
// password never appear.
func (c *Config) LogValue() slog.Value {
	signIn := "oidc"
	if c.DevSignIn() {
		signIn = "development (anyone may choose who they are; loopback only)"
	}
	return slog.GroupValue(
		slog.String("addr", c.Addr),
		slog.String("public_url", redactedURL(c.PublicURL)),
		slog.String("data_dir", c.DataDir),
		slog.String("database", c.databaseForLog()),
		slog.String("sign_in", signIn),
		c.OIDC.logAttr(),
		slog.String("admin_role", c.AdminRole),
		slog.String("admin_groups", strings.Join(c.AdminGroups, ",")),
		slog.String("github_api_url", redactedURL(c.GitHubAPIURL)),
		slog.String("github_org", c.GitHubOrg),
		c.GitHubApp.logAttr(),
		slog.String("registry_host", c.RegistryHost),
		slog.String("log_level", c.LogLevel.String()),
		slog.String("log_format", c.LogFormat),
	)
}

// databaseForLog describes the database without its password.
func (c *Config) databaseForLog() string {
	if c.DatabaseURL == "" {
		return "embedded SQLite in " + c.DataDir
	}
	return redactDatabaseURL(c.DatabaseURL)
}

// logAttr returns the OIDC configuration as an attribute for LogValue, with
// the client secret redacted.
func (o *OIDC) logAttr() slog.Attr {
	if o == nil {
		return slog.String("oidc", "none")
	}
	return slog.Group("oidc",
		slog.String("issuer_url", o.IssuerURL),
		slog.String("client_id", o.ClientID),
		slog.String("client_secret", redactedIfSet(o.ClientSecret != "")),
		slog.String("tenant_id", o.TenantID),
	)
}

// logAttr returns the GitHub App's configuration as an attribute for LogValue,
// with the private key redacted.
func (a *GitHubApp) logAttr() slog.Attr {
	if a == nil {
		return slog.String("github_app", "none")
	}
	return slog.Group("github_app",
		slog.String("app_id", strconv.FormatInt(a.AppID, 10)),
		slog.String("installation_id", strconv.FormatInt(a.InstallationID, 10)),
		slog.String("private_key", redactedIfSet(len(a.PrivateKey) > 0)),
	)
}

// redactedIfSet returns the stand-in for a secret that is set, or "(not set)".
func redactedIfSet(set bool) string {
	if set {
		return redacted
	}
	return "(not set)"
}

// redactedURL returns u with any password replaced, or "" for nil.
func redactedURL(u *url.URL) string {
	if u == nil {
		return ""
	}
	return u.Redacted()
}

// redactDatabaseURL returns a database URL with its password replaced, both
// in the user information and in the query. A URL that does not parse is
// hidden entirely.
func redactDatabaseURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return redacted
	}
	u.RawQuery = redactQuery(u.RawQuery)
	return u.Redacted()
}

// redactQuery returns a query with the value of every parameter whose name
// mentions a password replaced, since pgx accepts passwords there too. A query
// that does not parse cannot be searched, so it is replaced whole.
func redactQuery(raw string) string {
	query, err := url.ParseQuery(raw)
	if err != nil {
		return "xxxxx"
	}
	changed := false
	for name := range query {
		if strings.Contains(strings.ToLower(name), "password") {
			query.Set(name, "xxxxx")
			changed = true
		}
	}
	if !changed {
		return raw
	}
	return query.Encode()
}
