package auth

import (
	"net/url"
	"strings"
	"testing"
)

func TestSafeReturnTo(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "/"},
		{"/", "/"},
		{"/onboardings/abc?step=3", "/onboardings/abc?step=3"},
		{"/a#b", "/a#b"},
		{"//evil.example", "/"},
		{"//evil.example/path", "/"},
		{"/\\evil.example", "/"},
		{"/\t/evil.example", "/"},
		{"/\r\n/evil.example", "/"},
		{"/\\\\evil.example", "/"},
		{"\\\\evil.example", "/"},
		{"https://evil.example/", "/"},
		{"http:/evil.example", "/"},
		{"javascript:alert(1)", "/"},
		{"evil.example", "/"},
		{"/%2F%2Fevil.example", "/"},
		{"/auth/login", "/"},
		{"/auth/callback?code=x", "/"},
		{"/" + strings.Repeat("a", maxReturnTo), "/"},
	}
	for _, tt := range tests {
		if got := SafeReturnTo(tt.in); got != tt.want {
			t.Errorf("SafeReturnTo(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// FuzzSafeReturnTo checks that whatever comes in, what comes out is a path
// on this host: one leading slash, no host, no scheme, no backslash.
func FuzzSafeReturnTo(f *testing.F) {
	for _, s := range []string{"/", "//x", "/\\x", "/\t/x", "/\r\\x", "https://evil", "/a?b#c",
		"/%2f%2fx", "/.//x", "/\u2028x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := SafeReturnTo(in)
		if out != "/" && out != in {
			t.Fatalf("SafeReturnTo(%q) = %q: neither the input nor /", in, out)
		}
		if !strings.HasPrefix(out, "/") || strings.HasPrefix(out, "//") ||
			strings.Contains(out, "\\") {
			t.Fatalf("SafeReturnTo(%q) = %q", in, out)
		}
		u, err := url.Parse(out)
		if err != nil || u.Host != "" || u.Scheme != "" {
			t.Fatalf("SafeReturnTo(%q) = %q parses with host %q scheme %q (err %v)",
				in, out, u.Host, u.Scheme, err)
		}
		base, _ := url.Parse("https://portal.example/here")
		if got := base.ResolveReference(u); got.Host != "portal.example" {
			t.Fatalf("SafeReturnTo(%q) = %q resolves to host %q", in, out, got.Host)
		}
	})
}

func TestDevIdentity(t *testing.T) {
	a, b := DevIdentity("Ada Lovelace"), DevIdentity("  ada   LOVELACE ")
	if a != b {
		t.Errorf("DevIdentity differs for the same name: %+v, %+v", a, b)
	}
	if a == DevIdentity("Ada Byron") {
		t.Error("DevIdentity is the same for different names")
	}
	if a.TenantID != DevTenantID || !strings.HasPrefix(a.ObjectID, "dev-") {
		t.Errorf("DevIdentity = %+v", a)
	}
}
