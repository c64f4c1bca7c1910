package handlers_test

import (
	"crypto/rand"
	"database/sql"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"ghcrportal/internal/github/githubtest"
	"ghcrportal/internal/store/sqlite"
)

const alphanumerics = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// canaryToken returns a random classic token: ghp_ and 36 alphanumerics.
func canaryToken() string {
	b := make([]byte, 36)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphanumerics[int(b[i])%len(alphanumerics)]
	}
	return "ghp_" + string(b)
}

// windows are the 8-character pieces of a token's secret part: none of them
// may appear anywhere the token must not be.
func windows(token string) []string {
	secret := token[strings.Index(token, "_")+1:]
	var ws []string
	for i := 0; i+8 <= len(secret); i++ {
		ws = append(ws, secret[i:i+8])
	}
	return ws
}

// leak returns the first piece of the token found in text, or "".
func leak(token, text string) string {
	for _, w := range windows(token) {
		if strings.Contains(text, w) {
			return w
		}
	}
	return ""
}

// wantTokenNowhere fails the test if the token, or any 8 characters of it,
// is in the log, the metrics, the database, a cookie, or anywhere but the
// Authorization header of requests to the fakes.
func (e *env) wantTokenNowhere(token string, browsers ...*http.Client) {
	e.t.Helper()
	places := map[string]string{
		"the log":      e.logs.String(),
		"the metrics":  e.get(e.browser(), "/metrics").body,
		"the database": e.dumpDatabase(),
	}
	u, _ := url.Parse(e.ts.URL)
	for _, c := range browsers {
		for _, ck := range c.Jar.Cookies(u) {
			places["cookie "+ck.Name] += ck.Value
		}
	}
	for where, text := range places {
		if w := leak(token, text); w != "" {
			e.t.Errorf("the token (%s…) is in %s", w, where)
		}
	}
	for _, s := range append(e.github.Sightings(token), e.registry.Sightings(token)...) {
		if s.Where != "Authorization header" {
			e.t.Errorf("a fake saw the token in %s of %s %s", s.Where, s.Method, s.Path)
		}
	}
}

// wantNotInResponse fails the test if a response carries the token.
func wantNotInResponse(t *testing.T, token string, r *response) {
	t.Helper()
	var headers strings.Builder
	for k, vs := range r.Header {
		headers.WriteString(k + ": " + strings.Join(vs, ", ") + "\n")
	}
	if w := leak(token, r.body); w != "" {
		t.Errorf("the response body carries the token (%s…)", w)
	}
	if w := leak(token, headers.String()+r.Request.URL.String()); w != "" {
		t.Errorf("a response header or address carries the token (%s…)", w)
	}
}

// TestCanaryTokenGoesNowhere drives a random token through every path of
// step 6: success and each kind of failure. It must reach only the fakes'
// Authorization headers.
func TestCanaryTokenGoesNowhere(t *testing.T) {
	tests := []struct {
		name   string
		token  func() string
		set    func(e *env, token string)
		status int
	}{
		{name: "success", set: func(e *env, token string) {
			e.github.AddToken(token, githubtest.Token{Login: svc, Scopes: []string{"read:packages"}})
		}, status: http.StatusSeeOther},
		{name: "bad credentials", status: http.StatusSeeOther},
		{name: "another owner", set: func(e *env, token string) {
			e.github.AddToken(token, githubtest.Token{Login: "someone", Scopes: []string{"repo"}})
		}, status: http.StatusSeeOther},
		{name: "single sign-on", set: func(e *env, token string) {
			e.github.AddToken(token, githubtest.Token{Login: svc,
				Scopes: []string{"read:packages"}, SSOUnauthorized: true})
		}, status: http.StatusSeeOther},
		{name: "rate limited", set: func(e *env, token string) {
			e.github.AddToken(token, githubtest.Token{Login: svc, Scopes: []string{"read:packages"}})
			e.github.SetFaults(githubtest.Faults{PrimaryRateLimit: &githubtest.PrimaryRateLimit{
				Reset: time.Now().Add(20 * time.Minute)}})
		}, status: http.StatusSeeOther},
		{name: "timeout", set: func(e *env, token string) {
			e.github.AddToken(token, githubtest.Token{Login: svc, Scopes: []string{"read:packages"}})
			e.github.SetFaults(githubtest.Faults{Hang: true})
			e.registry.SetFaults(githubtest.Faults{Hang: true})
		}, status: http.StatusSeeOther},
		{name: "fine-grained token", token: func() string {
			return "github_pat_11AB" + canaryToken()[4:] + "_" + canaryToken()[4:]
		}, status: http.StatusUnprocessableEntity},
		{name: "not one word", token: func() string { return canaryToken() + " extra" },
			status: http.StatusUnprocessableEntity},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, func(o *options) { o.fakeRegistry = true })
			c := e.signedInBrowser()
			id := e.readyOnboarding(c)
			e.publish("1.0.1")
			token := canaryToken()
			if tt.token != nil {
				token = tt.token()
			}
			if tt.set != nil {
				tt.set(e, token)
			}
			r := e.post(c, "/onboardings/"+id+"/steps/6",
				url.Values{"version": {e.version(id)}, "token": {token}})
			wantStatus(t, r, tt.status)
			wantNotInResponse(t, token, r)
			wantNotInResponse(t, token, e.get(c, "/onboardings/"+id+"/steps/6"))
			e.github.SetFaults(githubtest.Faults{})
			e.registry.SetFaults(githubtest.Faults{})
			e.wantTokenNowhere(token, c)
		})
	}
}

// TestCanaryTokenNotInSQLite runs the successful path on the embedded
// database and reads every row of every table back.
func TestCanaryTokenNotInSQLite(t *testing.T) {
	dir := t.TempDir()
	st, err := sqlite.Open(t.Context(), dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	e := newEnv(t, func(o *options) { o.fakeRegistry = true; o.store = st })
	c := e.signedInBrowser()
	id := e.readyOnboarding(c)
	e.publish("1.0.1")
	token := canaryToken()
	e.github.AddToken(token, githubtest.Token{Login: svc, Scopes: []string{"read:packages"}})
	wantRedirect(t, e.post(c, "/onboardings/"+id+"/steps/6",
		url.Values{"version": {e.version(id)}, "token": {token}}), "/onboardings/")

	dump := dumpSQLite(t, filepath.Join(dir, "portal.db"))
	if !strings.Contains(dump, "my-repo") {
		t.Fatal("the dump does not hold the onboarding, so it proves nothing")
	}
	if w := leak(token, dump); w != "" {
		t.Errorf("the token (%s…) is in the SQLite database", w)
	}
}

// dumpSQLite returns every row of every table of a SQLite file as text.
func dumpSQLite(t *testing.T, path string) string {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tables := queryStrings(t, db, `SELECT name FROM sqlite_master WHERE type = 'table'`)
	var b strings.Builder
	for _, table := range tables {
		rows, err := db.Query(`SELECT * FROM "` + strings.ReplaceAll(table, `"`, `""`) + `"`)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for _, v := range vals {
				b.WriteString(toText(v) + "\t")
			}
			b.WriteString("\n")
		}
		rows.Close()
	}
	return b.String()
}

func toText(v any) string {
	switch x := v.(type) {
	case []byte:
		return string(x)
	case string:
		return x
	case nil:
		return ""
	}
	return strings.TrimSpace(strings.ReplaceAll(fmtAny(v), "\n", " "))
}

func queryStrings(t *testing.T, db *sql.DB, q string) []string {
	t.Helper()
	rows, err := db.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}
