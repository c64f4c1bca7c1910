package github

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/remote/transport"

	"ghcrportal/internal/onboarding"
)

// pull reads the image's manifest as Azure will: the registry's token
// exchange with login and the token as HTTP Basic credentials, then a HEAD of
// the manifest that accepts OCI and Docker manifests and indexes. Retries are
// the client's own, so go-containerregistry's are switched off.
func (c *Client) pull(ctx context.Context, token, login string, img onboarding.Image,
	o *observations) {
	o.pullRan, o.pullLogin = true, login
	ref, err := name.ParseReference(img.Reference(), name.StrictValidation)
	if err != nil || ref.Context().RegistryStr() != c.registry.RegistryStr() {
		o.pullFault = fault{kind: faultBadReference}
		return
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()

	start := time.Now()
	desc, err := remote.Head(ref,
		remote.WithAuth(&authn.Basic{Username: login, Password: token}),
		remote.WithContext(ctx),
		remote.WithTransport(c.registryT),
		remote.WithRetryBackoff(remote.Backoff{Steps: 1}),
		remote.WithRetryStatusCodes(),
		remote.WithUserAgent(userAgent),
	)
	o.pullFault = registryFault(err, c.now())
	if err == nil {
		o.digest = desc.Digest.String()
	}
	c.logPull(ctx, o.pullFault, time.Since(start), token)
}

// logPull writes one line about the pull check.
func (c *Client) logPull(ctx context.Context, f fault, d time.Duration, token string) {
	level := slog.LevelDebug
	if !f.ok() && !userFault(f.kind) {
		level = slog.LevelWarn
	}
	attrs := []slog.Attr{
		slog.String("op", "head manifest"),
		slog.Int("status", f.status),
		slog.Duration("duration", d),
		slog.String("fault", f.kind.String()),
	}
	if f.err != nil {
		attrs = append(attrs, slog.String("error", redact(f.err.Error(), token)))
	}
	c.log.LogAttrs(ctx, level, "registry call", attrs...)
}

// registryFault classifies an error from go-containerregistry, by the
// registry's error codes where it sent them and by status otherwise.
func registryFault(err error, now time.Time) fault {
	if err == nil {
		return fault{}
	}
	if f, ok := contextFault(err); ok {
		return f
	}
	var terr *transport.Error
	if !errors.As(err, &terr) {
		if strings.Contains(err.Error(), "invalid realm") {
			// go-containerregistry refused the token service's address.
			return fault{kind: faultEgress, err: err}
		}
		return transportFault(err)
	}
	f := fault{kind: registryKind(terr), status: terr.StatusCode, err: err}
	if f.rateLimited() {
		f.until = now.Add(defaultWait)
	}
	return f
}

// registryKind reads the kind of fault from a registry's error response.
func registryKind(e *transport.Error) faultKind {
	codes := make([]transport.ErrorCode, 0, len(e.Errors))
	for _, d := range e.Errors {
		codes = append(codes, d.Code)
	}
	has := func(c transport.ErrorCode) bool { return slices.Contains(codes, c) }
	switch {
	case has(transport.TooManyRequestsErrorCode) || e.StatusCode == http.StatusTooManyRequests:
		return faultSecondaryLimit
	case has(transport.UnauthorizedErrorCode) || e.StatusCode == http.StatusUnauthorized:
		return faultUnauthorized
	case has(transport.DeniedErrorCode) || e.StatusCode == http.StatusForbidden:
		return faultForbidden
	case has(transport.ManifestUnknownErrorCode) || has(transport.NameUnknownErrorCode) ||
		e.StatusCode == http.StatusNotFound:
		return faultNotFound
	case e.StatusCode >= 500 || has(transport.UnavailableErrorCode):
		return faultUnavailable
	}
	return faultUnexpected
}

// pullResult judges the pull check.
func (c *Client) pullResult(o *observations, want tokenWant,
	at time.Time) onboarding.CheckResult {
	ref, repo, login := want.Image.Reference(), want.Image.Repository(), o.pullLogin
	f := o.pullFault
	switch {
	case !o.pullRan:
		return result(checkPull, onboarding.Pending, at, "The pull is tried with the service "+
			"account's login, which is not known yet. Finish step 4, then check again.")
	case f.ok():
		return result(checkPull, onboarding.Pass, at, "The image %s pulls as Azure will pull "+
			"it, with %s and this token. Its digest is %s.", ref, login, o.digest)
	case f.kind == faultUnauthorized || f.kind == faultForbidden:
		return result(checkPull, onboarding.Fail, at, "The registry refused to let %s pull "+
			"%s with this token. Likely causes: the token lacks read:packages, is not "+
			"authorised for single sign-on, or belongs to an account other than %s; or %s has "+
			"no access to the package (Read on %s if the package takes its access from the "+
			"repository, or access in the package's settings).", login, ref, login, login, repo)
	case f.kind == faultNotFound:
		return result(checkPull, onboarding.Fail, at, "The registry has no image %s. Check "+
			"the image name and tag in step 1, and that the image was pushed.", ref)
	case f.kind == faultBadReference:
		return result(checkPull, onboarding.Fail, at, "The image from step 1 is not on the "+
			"portal's registry, %s. Enter it again in step 1.", c.registry.RegistryStr())
	}
	return result(checkPull, onboarding.Pending, at, "%s",
		f.pending(c.registry.RegistryStr(), asToken.who(), at))
}
