package githubtest

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Documentation links GitHub puts in its error bodies.
const (
	docsREST       = "https://docs.github.com/rest"
	docsUser       = docsREST + "/users/users#get-the-authenticated-user"
	docsGetUser    = docsREST + "/users/users#get-a-user"
	docsMembership = docsREST + "/orgs/members#get-organization-membership-for-a-user"
	docsPermission = docsREST +
		"/collaborators/collaborators#get-repository-permissions-for-a-user"
	docsPackage  = docsREST + "/packages/packages#get-a-package-for-an-organization"
	docsVersions = docsREST +
		"/packages/packages#list-package-versions-for-a-package-owned-by-an-organization"
	docsPrimary   = docsREST + "/overview/rate-limits-for-the-rest-api#about-the-primary-rate-limit"
	docsSecondary = "https://docs.github.com/free-pro-team@latest/rest/overview/" +
		"rate-limits-for-the-rest-api#about-secondary-rate-limits"
	docsSAML = "https://docs.github.com/articles/" +
		"authenticating-to-a-github-organization-with-saml-single-sign-on/"
)

// Messages of GitHub's that the fake repeats.
const (
	secondaryLimitMessage = "You have exceeded a secondary rate limit. Please wait a few " +
		"minutes before you try again. If you reach out to GitHub Support for help, please " +
		"include the request ID 0000:0000:0000000:0000000:00000000."
	samlMessage = "Resource protected by organization SAML enforcement. You must grant your " +
		"Personal Access token access to this organization."
)

// callerKind is how a request authenticated.
type callerKind int

const (
	anonymous callerKind = iota
	classic
	installation
	appJWT
	invalid
)

// caller is who sent a request.
type caller struct {
	kind callerKind
	tok  Token
}

// identify reads the Authorization header, which GitHub accepts as
// "Bearer <token>" or "token <token>".
func (f *FakeGitHub) identify(r *http.Request) caller {
	h := r.Header.Get("Authorization")
	if h == "" {
		return caller{kind: anonymous}
	}
	scheme, value, _ := strings.Cut(h, " ")
	if !strings.EqualFold(scheme, "Bearer") && !strings.EqualFold(scheme, "token") {
		return caller{kind: invalid}
	}
	if tok, ok := f.token(value); ok {
		return caller{kind: classic, tok: tok}
	}
	if f.installation(value) {
		return caller{kind: installation}
	}
	if strings.Count(value, ".") == 2 {
		return caller{kind: appJWT}
	}
	return caller{kind: invalid}
}

// serve answers one request: it records it, applies the faults, sets the
// headers GitHub sends on every answer, and routes it.
func (f *FakeGitHub) serve(w http.ResponseWriter, r *http.Request) {
	entry := f.rec.start(r)
	sw := &statusWriter{ResponseWriter: w}
	defer func() { f.rec.finish(entry, sw.status) }()

	c := f.identify(r)
	f.rateHeaders(sw, c)
	if !f.misbehave(sw, r) {
		return
	}
	f.route(sw, r, c)
}

// rateHeaders sets the X-RateLimit-* headers, and for a classic token its
// scopes and expiry, as GitHub does on every answer.
func (f *FakeGitHub) rateHeaders(w http.ResponseWriter, c caller) {
	key, limit := "anonymous", 60
	switch c.kind {
	case classic:
		key, limit = "user:"+strings.ToLower(c.tok.Login), 5000
	case installation, appJWT:
		key, limit = "app", 5000
	}
	f.mu.Lock()
	f.used[key]++
	used := f.used[key]
	f.mu.Unlock()

	h := w.Header()
	h.Set("X-RateLimit-Limit", strconv.Itoa(limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(max(limit-used, 0)))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(f.now().Add(time.Hour).Unix(), 10))
	h.Set("X-RateLimit-Used", strconv.Itoa(used))
	h.Set("X-RateLimit-Resource", "core")
	h.Set("X-GitHub-Api-Version-Selected", "2022-11-28")
	if c.kind == anonymous {
		return
	}
	h.Set("X-Accepted-OAuth-Scopes", "")
	if c.kind != classic {
		return
	}
	if c.tok.Scopes != nil {
		h.Set("X-OAuth-Scopes", strings.Join(c.tok.Scopes, ", "))
	}
	if c.tok.Expiration != "" {
		h.Set("GitHub-Authentication-Token-Expiration", c.tok.Expiration)
	}
}

// misbehave applies the faults to a request, and reports whether it should
// still be answered normally.
func (f *FakeGitHub) misbehave(w http.ResponseWriter, r *http.Request) bool {
	exchange := r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, "/app/")
	var faults Faults
	var unavailable bool
	if exchange {
		faults = Faults{Latency: f.faults.latency()}
	} else {
		faults, unavailable = f.faults.take()
	}
	if faults.Latency > 0 && !f.faults.wait(r, faults.Latency) {
		return false
	}
	switch {
	case faults.Hang && !exchange:
		f.faults.hang(r)
	case faults.RedirectTo != "" && !exchange:
		http.Redirect(w, r, faults.RedirectTo+r.URL.EscapedPath(), http.StatusFound)
	case unavailable:
		writeError(w, http.StatusServiceUnavailable, "Service Unavailable", docsREST)
	case faults.PrimaryRateLimit != nil && !exchange:
		primaryLimit(w, *faults.PrimaryRateLimit)
	case faults.SecondaryRateLimit != nil && !exchange:
		secondaryLimit(w, *faults.SecondaryRateLimit)
	default:
		return true
	}
	return false
}

// primaryLimit answers as GitHub does once a rate limit is used up.
func primaryLimit(w http.ResponseWriter, p PrimaryRateLimit) {
	w.Header().Set("X-RateLimit-Remaining", "0")
	w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(p.Reset.Unix(), 10))
	writeError(w, cmpOr(p.Status, http.StatusForbidden),
		"API rate limit exceeded for user ID 1000.", docsPrimary)
}

// secondaryLimit answers as GitHub does when it asks a client to slow down.
func secondaryLimit(w http.ResponseWriter, s SecondaryRateLimit) {
	w.Header().Set("Retry-After", seconds(s.RetryAfter))
	writeError(w, cmpOr(s.Status, http.StatusForbidden), secondaryLimitMessage,
		docsSecondary)
}

func cmpOr(v, fallback int) int {
	if v == 0 {
		return fallback
	}
	return v
}

// route sends a request to its endpoint by the escaped path, so that a
// package name's %2F stays inside its segment.
func (f *FakeGitHub) route(w http.ResponseWriter, r *http.Request, c caller) {
	s := segments(r.URL.EscapedPath())
	switch {
	case r.Method == http.MethodPost && match(s, "app", "installations", "*", "access_tokens"):
		f.accessTokens(w, r, s[2])
	case r.Method != http.MethodGet:
		writeError(w, http.StatusNotFound, "Not Found", docsREST)
	case c.kind == invalid || c.kind == appJWT:
		writeError(w, http.StatusUnauthorized, "Bad credentials", docsREST)
	case match(s, "user"):
		f.authenticatedUser(w, c)
	case match(s, "users", "*"):
		f.getUser(w, s[1])
	case match(s, "orgs", "*", "memberships", "*"):
		f.membership(w, c, s[1], s[3])
	case match(s, "repos", "*", "*", "collaborators", "*", "permission"):
		f.permission(w, c, s[1]+"/"+s[2], s[4])
	case match(s, "orgs", "*", "packages", "container", "*"):
		f.getPackage(w, c, s[1], s[4])
	case match(s, "orgs", "*", "packages", "container", "*", "versions"):
		f.listVersions(w, r, c, s[1], s[4])
	default:
		writeError(w, http.StatusNotFound, "Not Found", docsREST)
	}
}

// segments splits an escaped path into unescaped segments; it returns nil
// for a path that does not unescape.
func segments(escaped string) []string {
	parts := strings.Split(strings.TrimPrefix(escaped, "/"), "/")
	for i, p := range parts {
		s, err := url.PathUnescape(p)
		if err != nil {
			return nil
		}
		parts[i] = s
	}
	return parts
}

// match reports whether segments fit pattern, where "*" matches any one
// segment that is not empty.
func match(segments []string, pattern ...string) bool {
	if len(segments) != len(pattern) {
		return false
	}
	for i, p := range pattern {
		if segments[i] == "" || (p != "*" && p != segments[i]) {
			return false
		}
	}
	return true
}

// authenticatedUser answers GET /user.
func (f *FakeGitHub) authenticatedUser(w http.ResponseWriter, c caller) {
	switch c.kind {
	case anonymous:
		writeError(w, http.StatusUnauthorized, "Requires authentication", docsUser)
		return
	case installation:
		writeError(w, http.StatusForbidden, "Resource not accessible by integration", docsUser)
		return
	}
	writeJSON(w, http.StatusOK, f.userJSON(f.lookupUser(c.tok.Login)))
}

// getUser answers GET /users/{username}.
func (f *FakeGitHub) getUser(w http.ResponseWriter, login string) {
	u := f.lookupUser(login)
	if u == nil {
		writeError(w, http.StatusNotFound, "Not Found", docsGetUser)
		return
	}
	writeJSON(w, http.StatusOK, f.userJSON(u))
}

// lookupUser returns a copy of the account login, or nil.
func (f *FakeGitHub) lookupUser(login string) *user {
	f.mu.Lock()
	defer f.mu.Unlock()
	u := f.users[strings.ToLower(login)]
	if u == nil {
		return nil
	}
	c := *u
	return &c
}

// membership answers GET /orgs/{org}/memberships/{username}, for the App.
func (f *FakeGitHub) membership(w http.ResponseWriter, c caller, org, login string) {
	w.Header().Set("X-Accepted-OAuth-Scopes", "admin:org, read:org, repo, user, write:org")
	if !f.appOnly(w, c, "You must be a member of "+f.org+" to see membership information "+
		"for "+login+".", docsMembership) {
		return
	}
	u := f.lookupUser(login)
	if !strings.EqualFold(org, f.org) || u == nil || u.membership == "" {
		writeError(w, http.StatusNotFound, "Not Found", docsMembership)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"url":              f.Server.URL + "/orgs/" + f.org + "/memberships/" + u.login,
		"state":            u.membership,
		"role":             "member",
		"organization_url": f.Server.URL + "/orgs/" + f.org,
		"organization":     f.orgJSON(),
		"user":             f.userJSON(u),
	})
}

// appOnly lets the App's installation through; anyone else gets 401 when
// anonymous or 403 with message, and false.
func (f *FakeGitHub) appOnly(w http.ResponseWriter, c caller, message, docs string) bool {
	switch c.kind {
	case installation:
		return true
	case anonymous:
		writeError(w, http.StatusUnauthorized, "Requires authentication", docs)
	default:
		writeError(w, http.StatusForbidden, message, docs)
	}
	return false
}

// permission answers GET /repos/{owner}/{repo}/collaborators/{username}/permission,
// for the App.
func (f *FakeGitHub) permission(w http.ResponseWriter, c caller, repo, login string) {
	if !f.appOnly(w, c, "Must have push access to view collaborator permission.",
		docsPermission) {
		return
	}
	u := f.lookupUser(login)
	p, known := f.permissionOf(repo, login)
	if !known || u == nil {
		writeError(w, http.StatusNotFound, "Not Found", docsPermission)
		return
	}
	body := f.userJSON(u)
	body["permissions"] = permissionFlags(p.level, p.role)
	body["role_name"] = p.role
	writeJSON(w, http.StatusOK, map[string]any{
		"permission": p.level,
		"role_name":  p.role,
		"user":       body,
	})
}

// permissionOf returns login's permission on repo ("none" when it has none),
// and whether the repository exists.
func (f *FakeGitHub) permissionOf(repo, login string) (permission, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	r := f.repos[strings.ToLower(repo)]
	if r == nil {
		return permission{}, false
	}
	p, ok := r.permissions[strings.ToLower(login)]
	if !ok {
		p = permission{level: "none"}
	}
	return p, true
}

// permissionFlags are a collaborator's permissions as booleans, from the
// role where it is one of GitHub's and from the legacy level otherwise.
func permissionFlags(level, role string) map[string]bool {
	order := []string{"pull", "triage", "push", "maintain", "admin"}
	rank := map[string]int{"read": 1, "triage": 2, "write": 3, "maintain": 4, "admin": 5}
	n, ok := rank[role]
	if !ok {
		n = rank[level]
	}
	flags := make(map[string]bool, len(order))
	for i, name := range order {
		flags[name] = i < n
	}
	return flags
}

// getPackage answers GET /orgs/{org}/packages/container/{package_name}.
func (f *FakeGitHub) getPackage(w http.ResponseWriter, c caller, org, name string) {
	p, ok := f.packageFor(w, c, org, name, docsPackage)
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, f.packageJSON(p))
}

// listVersions answers GET /orgs/{org}/packages/container/{package_name}/versions,
// a page at a time.
func (f *FakeGitHub) listVersions(w http.ResponseWriter, r *http.Request, c caller, org,
	name string) {
	p, ok := f.packageFor(w, c, org, name, docsVersions)
	if !ok {
		return
	}
	page, perPage := pageParams(r.URL.Query())
	start := min((page-1)*perPage, len(p.Versions))
	end := min(start+perPage, len(p.Versions))
	if links := f.pageLinks(r, page, perPage, len(p.Versions)); links != "" {
		w.Header().Set("Link", links)
	}
	body := make([]map[string]any, 0, end-start)
	for i := start; i < end; i++ {
		body = append(body, f.versionJSON(p, i))
	}
	writeJSON(w, http.StatusOK, body)
}

// packageFor checks that the caller may see the organisation's package name
// and returns a copy of it; otherwise it answers as GitHub does and returns
// false.
func (f *FakeGitHub) packageFor(w http.ResponseWriter, c caller, org, name,
	docs string) (Package, bool) {
	w.Header().Set("X-Accepted-OAuth-Scopes", "read:packages")
	switch {
	case c.kind == anonymous:
		writeError(w, http.StatusUnauthorized, "Requires authentication", docs)
		return Package{}, false
	case c.kind == classic && c.tok.SSOUnauthorized:
		w.Header().Set("X-GitHub-SSO", "required; url=https://github.com/orgs/"+f.org+
			"/sso?authorization_request="+randomString(24))
		writeError(w, http.StatusForbidden, samlMessage, docsSAML)
		return Package{}, false
	case c.kind == classic && !hasPackagesScope(c.tok.Scopes):
		writeError(w, http.StatusForbidden, "You need at least read:packages scope to list "+
			"packages.", docs)
		return Package{}, false
	}
	p, ok := f.lookupPackage(name)
	// Installation tokens are refused here, as observed on GitHub.
	if c.kind != classic || !ok || !strings.EqualFold(org, f.org) ||
		!f.CanRead(c.tok.Login, name) {
		writeError(w, http.StatusNotFound, "Package not found.", docs)
		return Package{}, false
	}
	return p, true
}

// hasPackagesScope reports whether scopes let a token read packages.
func hasPackagesScope(scopes []string) bool {
	return slices.Contains(scopes, "read:packages") || slices.Contains(scopes, "write:packages")
}

// lookupPackage returns a copy of the package name.
func (f *FakeGitHub) lookupPackage(name string) (Package, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	p := f.packages[strings.ToLower(name)]
	if p == nil {
		return Package{}, false
	}
	return *p, true
}

// CanRead reports whether login may see and pull the organisation's package
// name: it is among the package's readers, or has at least read permission
// on the linked repository.
func (f *FakeGitHub) CanRead(login, name string) bool {
	p, ok := f.lookupPackage(name)
	if !ok {
		return false
	}
	if slices.ContainsFunc(p.Readers, func(r string) bool { return strings.EqualFold(r, login) }) {
		return true
	}
	if p.Repository == "" {
		return false
	}
	perm, _ := f.permissionOf(p.Repository, login)
	return perm.level == "read" || perm.level == "write" || perm.level == "admin"
}

// pageParams reads page and per_page as GitHub does: 1 and 30 by default,
// at most 100 per page.
func pageParams(q url.Values) (page, perPage int) {
	page, perPage = 1, 30
	if n, err := strconv.Atoi(q.Get("page")); err == nil && n > 0 {
		page = n
	}
	if n, err := strconv.Atoi(q.Get("per_page")); err == nil && n > 0 {
		perPage = min(n, 100)
	}
	return page, perPage
}

// pageLinks builds the Link header for a page of total items, or "" when
// everything fits on one page.
func (f *FakeGitHub) pageLinks(r *http.Request, page, perPage, total int) string {
	last := max((total+perPage-1)/perPage, 1)
	if last == 1 {
		return ""
	}
	link := func(n int, rel string) string {
		return "<" + f.Server.URL + r.URL.EscapedPath() + "?page=" + strconv.Itoa(n) +
			"&per_page=" + strconv.Itoa(perPage) + `>; rel="` + rel + `"`
	}
	var links []string
	if page > 1 {
		links = append(links, link(page-1, "prev"))
	}
	if page < last {
		links = append(links, link(page+1, "next"), link(last, "last"))
	}
	if page > 1 {
		links = append(links, link(1, "first"))
	}
	return strings.Join(links, ", ")
}
