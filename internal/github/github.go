// Package github checks steps 3 to 6 of an onboarding against GitHub's REST
// API and the container registry: the service account's membership of the
// organisation, its GitHub account, its permission on the repository, and its
// classic personal access token, down to a real pull of the image's manifest.
//
// Every check returns onboarding.CheckResult values whose messages are safe to
// show: they say what is wrong and what to do, and never carry a raw error or
// the token. A check that cannot be completed, because of a rate limit, a
// timeout, an outage or missing configuration, is Pending, with when to try
// again.
package github

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/bradleyfalzon/ghinstallation/v2"
	"github.com/google/go-containerregistry/pkg/name"
	gh "github.com/google/go-github/v60/github"
)

// Defaults for Config's optional fields.
const (
	DefaultTimeout   = 5 * time.Second
	DefaultRetryBase = 100 * time.Millisecond
)

// userAgent names the portal to GitHub and the registry, as GitHub asks.
const userAgent = "ghcrportal"

// Config is what New needs to reach GitHub and the registry.
type Config struct {
	// APIURL is the GitHub REST API's base URL, ending with "/", such as
	// https://api.github.com/.
	APIURL *url.URL
	// Org is the GitHub organisation that owns the repositories and packages.
	Org string
	// Registry is the container registry's host and optional port, such as
	// ghcr.io or 127.0.0.1:5000 (which go-containerregistry reaches over
	// plain HTTP because it is a loopback address).
	Registry string
	// App is the portal's own GitHub App, or nil when it is not configured.
	App *AppCredentials
	// Timeout bounds each outbound call, retries included, and all of step
	// 6's calls together; zero means DefaultTimeout.
	Timeout time.Duration
	// RetryBase is the first delay before retrying a failed call; later
	// delays double, with jitter. Zero means DefaultRetryBase.
	RetryBase time.Duration
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
	// Logger receives one line per outbound call; nil discards them.
	Logger *slog.Logger
	// Transport is the base HTTP transport; nil means http.DefaultTransport.
	Transport http.RoundTripper
}

// AppCredentials identify the portal's GitHub App and its installation on
// the organisation.
type AppCredentials struct {
	AppID          int64
	InstallationID int64
	// PrivateKey is the App's PEM-encoded RSA private key.
	PrivateKey []byte
}

// Client checks onboarding steps against GitHub and the registry. It is safe
// for concurrent use.
type Client struct {
	org       string
	registry  name.Registry
	apiURL    *url.URL
	timeout   time.Duration
	now       func() time.Time
	log       *slog.Logger
	api       http.RoundTripper
	anonymous *gh.Client
	app       *gh.Client // nil without an App
	registryT http.RoundTripper
	limits    *limiter
}

// New returns a Client for cfg. It fails when cfg is incomplete or the App's
// private key cannot be used; the error never quotes the key.
func New(cfg Config) (*Client, error) {
	cfg, err := withDefaults(cfg)
	if err != nil {
		return nil, err
	}
	reg, err := name.NewRegistry(cfg.Registry, name.StrictValidation)
	if err != nil {
		return nil, fmt.Errorf("new github client: registry %q: %w", cfg.Registry, err)
	}
	backoff := newBackoff(cfg.RetryBase)
	api := newRetry(newGuard(cfg.Transport, cfg.APIURL.Scheme, cfg.APIURL.Host), backoff)

	c := &Client{
		org:       cfg.Org,
		registry:  reg,
		apiURL:    cfg.APIURL,
		timeout:   cfg.Timeout,
		now:       cfg.Now,
		log:       cfg.Logger,
		api:       api,
		anonymous: newAPIClient(api, cfg.APIURL),
		registryT: newRetry(newGuard(cfg.Transport, reg.Scheme(), reg.RegistryStr()), backoff),
		limits:    newLimiter(),
	}
	if cfg.App != nil {
		c.app, err = newAppClient(cfg, backoff)
		if err != nil {
			return nil, err
		}
	}
	return c, nil
}

// withDefaults checks cfg's required fields and fills in the optional ones.
func withDefaults(cfg Config) (Config, error) {
	switch {
	case cfg.APIURL == nil || cfg.APIURL.Host == "":
		return cfg, errors.New("new github client: the API URL is missing")
	case cfg.APIURL.Scheme != "https" && cfg.APIURL.Scheme != "http":
		return cfg, fmt.Errorf("new github client: the API URL's scheme %q is not https",
			cfg.APIURL.Scheme)
	case !strings.HasSuffix(cfg.APIURL.Path, "/"):
		return cfg, errors.New("new github client: the API URL must end with /")
	case cfg.Org == "":
		return cfg, errors.New("new github client: the organisation is missing")
	case cfg.Registry == "":
		return cfg, errors.New("new github client: the registry is missing")
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.RetryBase <= 0 {
		cfg.RetryBase = DefaultRetryBase
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.Transport == nil {
		cfg.Transport = http.DefaultTransport
	}
	return cfg, nil
}

// newAPIClient returns a go-github client that sends its requests through rt
// to base, and never follows a redirect.
func newAPIClient(rt http.RoundTripper, base *url.URL) *gh.Client {
	hc := &http.Client{Transport: rt, CheckRedirect: refuseRedirect}
	c := gh.NewClient(hc)
	c.BaseURL = base
	c.UserAgent = userAgent
	return c
}

// refuseRedirect makes an http.Client return a redirect as it is, so that no
// credential follows it to another place.
func refuseRedirect(*http.Request, []*http.Request) error {
	return http.ErrUseLastResponse
}

// newAppClient returns a go-github client authenticated as the App's
// installation. ghinstallation fetches and renews the installation token
// through the guarded base transport.
func newAppClient(cfg Config, backoff backoff) (*gh.Client, error) {
	guarded := newGuard(cfg.Transport, cfg.APIURL.Scheme, cfg.APIURL.Host)
	itr, err := ghinstallation.New(guarded, cfg.App.AppID, cfg.App.InstallationID,
		cfg.App.PrivateKey)
	if err != nil {
		// The library's message can describe the key but never holds it.
		return nil, fmt.Errorf("new github client: the GitHub App's private key: %w", err)
	}
	itr.BaseURL = strings.TrimSuffix(cfg.APIURL.String(), "/")
	return newAPIClient(newRetry(itr, backoff), cfg.APIURL), nil
}
