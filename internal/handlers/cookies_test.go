package handlers_test

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"ghcrportal/web"
)

func TestSessionCookieAttributes(t *testing.T) {
	tests := []struct {
		name       string
		tls        bool
		wantName   string
		wantSecure bool
	}{
		{"http on loopback", false, "portal_session", false},
		{"https", true, "__Host-portal_session", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, func(o *options) { o.tls = tt.tls })
			c := e.browser()
			r := e.post(c, "/auth/dev/sign-in", map[string][]string{
				"display_name": {"Ada"}, "role": {"staff"},
			})
			ck := findCookie(r.Cookies(), tt.wantName)
			if ck == nil {
				t.Fatalf("no %s cookie in %v", tt.wantName, r.Header["Set-Cookie"])
			}
			if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/" ||
				ck.Domain != "" || ck.Secure != tt.wantSecure {
				t.Errorf("cookie %s: HttpOnly %v SameSite %v Path %q Domain %q Secure %v",
					ck.Name, ck.HttpOnly, ck.SameSite, ck.Path, ck.Domain, ck.Secure)
			}
			if len(ck.Name)+len(ck.Value) >= 4096 || jwtLike.MatchString(ck.Value) {
				t.Errorf("cookie value %q is not a short opaque token", ck.Value)
			}
		})
	}
}

var jwtLike = regexp.MustCompile(`eyJ[A-Za-z0-9_-]+\.`)

func findCookie(cookies []*http.Cookie, name string) *http.Cookie {
	for _, c := range cookies {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func TestOneLogLinePerRequest(t *testing.T) {
	e := newEnv(t)
	c := e.signedInBrowser()
	r := e.get(c, "/?secret=do-not-log")
	wantStatus(t, r, http.StatusOK)

	var found map[string]any
	for _, line := range strings.Split(strings.TrimSpace(e.logs.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line is not JSON: %q", line)
		}
		if m["msg"] == "request" && m["request_id"] == r.Header.Get("X-Request-Id") {
			found = m
		}
	}
	if found == nil {
		t.Fatalf("no request line for %s in:\n%s", r.Header.Get("X-Request-Id"), e.logs)
	}
	for _, key := range []string{"method", "route", "status", "duration_ms", "user_id"} {
		if _, ok := found[key]; !ok {
			t.Errorf("request line lacks %s: %v", key, found)
		}
	}
	if found["route"] != "/" || found["method"] != "GET" || found["status"] != float64(200) {
		t.Errorf("request line %v", found)
	}
	if strings.Contains(e.logs.String(), "do-not-log") {
		t.Error("the query string reached the log")
	}
}

func TestStaticAssetsAreHashedAndCached(t *testing.T) {
	e := newEnv(t)
	c := e.browser()
	path := web.AssetURL("app.css")
	if !regexp.MustCompile(`^/static/app\.[0-9a-f]{12}\.css$`).MatchString(path) {
		t.Fatalf("asset path %q has no content hash", path)
	}
	r := e.get(c, path)
	wantStatus(t, r, http.StatusOK)
	if got := r.Header.Get("Cache-Control"); !strings.Contains(got, "immutable") {
		t.Errorf("Cache-Control %q, want immutable", got)
	}
	if got := r.Header.Get("Content-Type"); got != "text/css; charset=utf-8" {
		t.Errorf("Content-Type %q", got)
	}
	if !strings.Contains(e.get(c, "/sign-in").body, path) {
		t.Error("pages do not link the hashed stylesheet")
	}
}
