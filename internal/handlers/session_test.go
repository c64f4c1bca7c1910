package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"ghcrportal/internal/auth"
	"ghcrportal/internal/onboarding"
)

func TestHomeRequiresSignIn(t *testing.T) {
	e := newEnv(t)
	c := e.browser()

	r := e.get(c, "/?tab=mine")
	wantRedirect(t, r, "/sign-in?return_to=%2F%3Ftab%3Dmine")

	e.devSignIn(c, "Ada Lovelace", "staff")
	r = e.get(c, "/")
	wantStatus(t, r, http.StatusOK)
	for _, want := range []string{"Ada Lovelace", `data-testid="no-onboardings"`} {
		if !strings.Contains(r.body, want) {
			t.Errorf("home page lacks %q", want)
		}
	}
}

func TestDevSignInReturnsToThePageAsked(t *testing.T) {
	e := newEnv(t)
	c := e.browser()
	r := e.post(c, "/auth/dev/sign-in", url.Values{
		"display_name": {"Ada"}, "role": {"staff"}, "return_to": {"/?x=1"},
	})
	wantRedirect(t, r, "/?x=1")

	for _, evil := range []string{"//evil.example/", "https://evil.example/", "/\\evil.example"} {
		c := e.browser()
		r := e.post(c, "/auth/dev/sign-in", url.Values{
			"display_name": {"Ada"}, "role": {"staff"}, "return_to": {evil},
		})
		if loc := r.Header.Get("Location"); loc != "/" {
			t.Errorf("return_to %q: Location %q, want /", evil, loc)
		}
	}
}

func TestDevSignInSameNameSameAccount(t *testing.T) {
	e := newEnv(t)
	c1, c2 := e.browser(), e.browser()
	e.devSignIn(c1, "Ada Lovelace", "staff")
	e.devSignIn(c2, "  ada   lovelace ", "admin")

	id := auth.DevIdentity("Ada Lovelace")
	s1, u1, err := e.store.GetSession(t.Context(), onboarding.HashToken(e.sessionCookie(c1)))
	if err != nil {
		t.Fatal(err)
	}
	_, u2, err := e.store.GetSession(t.Context(), onboarding.HashToken(e.sessionCookie(c2)))
	if err != nil {
		t.Fatal(err)
	}
	if u1.ID != u2.ID || u1.Identity != id {
		t.Errorf("users %+v and %+v, want the same user with identity %+v", u1, u2, id)
	}
	if s1.IsAdmin {
		t.Error("a staff sign-in got an admin session")
	}
}

func TestDevSignInValidation(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		name, displayName, role string
		wantMessages            []string
	}{
		{"empty", "   ", "staff", []string{"Enter a display name"}},
		{"too long", strings.Repeat("a", 81), "admin", []string{"80 characters or fewer"}},
		{"control characters", "Ada\u0007", "staff", []string{"only letters, numbers"}},
		{"no role", "Ada", "", []string{"Select staff or admin"}},
		{"bad role and name", "", "owner", []string{"Enter a display name", "Select staff or admin"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := e.browser()
			r := e.post(c, "/auth/dev/sign-in", url.Values{
				"display_name": {tt.displayName}, "role": {tt.role}, "return_to": {"/x"},
			})
			wantStatus(t, r, http.StatusUnprocessableEntity)
			for _, m := range tt.wantMessages {
				if !strings.Contains(r.body, m) {
					t.Errorf("page lacks message %q", m)
				}
			}
			if !strings.Contains(r.body, `data-testid="error-summary"`) {
				t.Error("page has no error summary")
			}
			if !strings.Contains(r.body, `value="/x"`) {
				t.Error("the return path was lost")
			}
			if tt.displayName != "" && !strings.Contains(r.body, "value=\""+
				htmlEscape(tt.displayName)+"\"") {
				t.Errorf("the typed display name %q was lost", tt.displayName)
			}
			if e.sessionCookie(c) != "" {
				t.Error("a refused sign-in set a session cookie")
			}
		})
	}
}

func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;").Replace(s)
}

func TestSignOutEndsSessionForGood(t *testing.T) {
	e := newEnv(t)
	c := e.browser()
	e.devSignIn(c, "Ada", "staff")
	stolen := e.sessionCookie(c)

	wantStatus(t, e.get(c, "/auth/sign-out"), http.StatusMethodNotAllowed)
	wantStatus(t, e.get(c, "/"), http.StatusOK)

	r := e.post(c, "/auth/sign-out", url.Values{})
	wantRedirect(t, r, "/sign-in?signed_out=1")
	if _, _, err := e.store.GetSession(t.Context(), onboarding.HashToken(stolen)); onboarding.
		ErrorCode(err) != onboarding.ENotFound {
		t.Fatalf("session after sign-out: err %v, want not found", err)
	}

	thief := e.browser()
	r = e.get(thief, "/", "Cookie", "portal_session="+stolen)
	wantRedirect(t, r, "/sign-in")
}

func TestSessionIdleTimeout(t *testing.T) {
	e := newEnv(t)
	c := e.browser()
	e.devSignIn(c, "Ada", "staff")

	e.clock.Advance(auth.IdleTimeout - time.Second)
	wantStatus(t, e.get(c, "/"), http.StatusOK)

	e.clock.Advance(auth.IdleTimeout - time.Second)
	wantStatus(t, e.get(c, "/"), http.StatusOK)

	e.clock.Advance(auth.IdleTimeout)
	r := e.get(c, "/")
	wantRedirect(t, r, "/sign-in?ended=1")
	r = e.get(c, r.Header.Get("Location"))
	if !strings.Contains(r.body, "Your session has ended") {
		t.Error("the sign-in page does not say the session ended")
	}
}

func TestSessionAbsoluteLifetime(t *testing.T) {
	e := newEnv(t)
	c := e.browser()
	e.devSignIn(c, "Ada", "staff")

	for elapsed := time.Duration(0); elapsed < auth.MaxLifetime-5*time.Minute; {
		e.clock.Advance(5 * time.Minute)
		elapsed += 5 * time.Minute
		wantStatus(t, e.get(c, "/"), http.StatusOK)
	}
	e.clock.Advance(5*time.Minute - time.Second)
	wantStatus(t, e.get(c, "/"), http.StatusOK)
	e.clock.Advance(time.Second)
	wantRedirect(t, e.get(c, "/"), "/sign-in")
}

func TestSignInReplacesPlantedSession(t *testing.T) {
	e := newEnv(t)
	attacker := e.browser()
	e.devSignIn(attacker, "Mallory", "staff")
	planted := e.sessionCookie(attacker)

	victim := e.browser()
	u, _ := url.Parse(e.ts.URL)
	victim.Jar.SetCookies(u, []*http.Cookie{{Name: "portal_session", Value: planted, Path: "/"}})
	e.devSignIn(victim, "Ada", "staff")

	if got := e.sessionCookie(victim); got == planted || got == "" {
		t.Fatalf("session after sign-in %q, want a new one", got)
	}
	wantRedirect(t, e.get(attacker, "/"), "/sign-in")
}

func TestSessionTokenIsStoredOnlyAsHash(t *testing.T) {
	e := newEnv(t)
	c := e.browser()
	e.devSignIn(c, "Ada", "staff")
	token := e.sessionCookie(c)
	if len(token) < 43 {
		t.Fatalf("session token %d characters, want at least 43 (256 bits)", len(token))
	}
	hash := onboarding.HashToken(token)

	thief := e.browser()
	r := e.get(thief, "/", "Cookie", "portal_session="+base64URL(hash))
	wantRedirect(t, r, "/sign-in")
}
