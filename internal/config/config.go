// Package config reads the portal's configuration from environment variables
// and validates all of it before the server opens a listener. Every problem is
// reported at once, each naming its variable, what is wrong and what would be
// right, and no message ever holds a secret.
package config

import (
	"log/slog"
	"net/url"
	"os"
	"strings"
)

// Config is the portal's validated configuration.
type Config struct {
	// Addr is the address the server listens on (PORTAL_ADDR).
	Addr string

	// PublicURL is the portal's base URL as browsers see it, with no trailing
	// slash (PORTAL_PUBLIC_URL). With the development sign-in it defaults to
	// http:// followed by Addr.
	PublicURL *url.URL

	// DataDir is the absolute path of the data directory (PORTAL_DATA_DIR).
	DataDir string

	// DatabaseURL is the Postgres URL (DATABASE_URL or DATABASE_URL_FILE). It
	// may hold a password. Empty means an embedded SQLite database in DataDir.
	DatabaseURL string

	// OIDC is the single sign-on provider, or nil for the development sign-in.
	OIDC *OIDC

	// AdminRole is the app role, in the roles claim, that makes a user an
	// admin (PORTAL_ADMIN_ROLE).
	AdminRole string

	// AdminGroups are Entra group object IDs, lower-cased and without
	// duplicates, whose members are admins (PORTAL_ADMIN_GROUPS).
	AdminGroups []string

	// GitHubAPIURL is the base URL of the GitHub REST API; its path always
	// ends with "/" (GITHUB_API_URL).
	GitHubAPIURL *url.URL

	// GitHubOrg is the login of the GitHub organisation (GITHUB_ORG).
	GitHubOrg string

	// GitHubApp is the portal's own GitHub App, or nil when none is set.
	GitHubApp *GitHubApp

	// RegistryHost is the container registry's host, with an optional port
	// (REGISTRY_HOST).
	RegistryHost string

	// LogLevel is the lowest level that is logged (LOG_LEVEL).
	LogLevel slog.Level

	// LogFormat is "text" or "json" (LOG_FORMAT).
	LogFormat string
}

// OIDC is the configuration of the OpenID Connect provider used for sign-in.
type OIDC struct {
	// IssuerURL is the issuer, exactly as tokens name it (OIDC_ISSUER_URL).
	// An Entra issuer's tenant GUID is lower-cased, as Entra writes it.
	IssuerURL string

	// ClientID is the application (client) ID (OIDC_CLIENT_ID).
	ClientID string

	// ClientSecret is the client secret (OIDC_CLIENT_SECRET or
	// OIDC_CLIENT_SECRET_FILE).
	ClientSecret string

	// TenantID is the tenant GUID of an Entra issuer, or "" for any other
	// issuer.
	TenantID string
}

// GitHubApp is the configuration of the portal's GitHub App, which it uses for
// membership and permission checks.
type GitHubApp struct {
	// AppID is the App's numeric ID (GITHUB_APP_ID).
	AppID int64

	// InstallationID is the ID of the App's installation in the organisation
	// (GITHUB_APP_INSTALLATION_ID).
	InstallationID int64

	// PrivateKey is the App's PEM-encoded RSA private key
	// (GITHUB_APP_PRIVATE_KEY or GITHUB_APP_PRIVATE_KEY_FILE).
	PrivateKey []byte
}

// Load reads the configuration through lookup, which behaves like
// os.LookupEnv, and readFile, which behaves like os.ReadFile and is used for
// the *_FILE variants of secrets. A variable that is set but empty, or holds
// only white space, counts as unset; surrounding white space is removed from
// every value. When anything is wrong, Load returns a *Error with every problem.
func Load(
	lookup func(string) (string, bool),
	readFile func(string) ([]byte, error),
) (*Config, error) {
	l := &loader{lookup: lookup, readFile: readFile}
	addr := l.addr()
	oidc, oidcWanted := l.oidc()
	c := &Config{
		Addr:         addr,
		DataDir:      l.dataDir(),
		DatabaseURL:  l.databaseURL(),
		OIDC:         oidc,
		AdminRole:    l.adminRole(),
		AdminGroups:  l.adminGroups(),
		GitHubAPIURL: l.gitHubAPIURL(),
		GitHubOrg:    l.gitHubOrg(),
		GitHubApp:    l.gitHubApp(),
		RegistryHost: l.registryHost(),
		LogLevel:     l.logLevel(),
		LogFormat:    l.logFormat(),
	}
	c.PublicURL = l.publicURL(c.Addr, oidcWanted)

	if len(l.problems) > 0 {
		return nil, &Error{Problems: l.problems}
	}
	return c, nil
}

// FromEnvironment loads the configuration from the process's environment and
// files.
func FromEnvironment() (*Config, error) {
	return Load(os.LookupEnv, os.ReadFile)
}

// DevSignIn reports whether the development sign-in is used, which is when no
// OIDC provider is configured.
func (c *Config) DevSignIn() bool {
	return c.OIDC == nil
}

// SecureCookies reports whether cookies must be marked Secure, which is when
// the public URL uses https.
func (c *Config) SecureCookies() bool {
	return c.PublicURL != nil && c.PublicURL.Scheme == "https"
}

// RedirectURL returns the OIDC redirect URI: the public URL followed by
// /auth/callback. It must match the redirect URI registered with the provider
// exactly.
func (c *Config) RedirectURL() string {
	if c.PublicURL == nil {
		return ""
	}
	return strings.TrimSuffix(c.PublicURL.String(), "/") + "/auth/callback"
}
