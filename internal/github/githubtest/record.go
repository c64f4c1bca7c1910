package githubtest

import (
	"encoding/base64"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
)

// Request is one request that a fake received.
type Request struct {
	Method string
	// Path is the path as sent, still escaped: a package named repo/api
	// arrives as repo%2Fapi.
	Path  string
	Query string
	// Auth is the scheme of the Authorization header: "Bearer", "token",
	// "Basic", or "" when there was none.
	Auth string
	// Accept is the Accept header, joined with ", " when it came more than
	// once.
	Accept string
	// Status is the status the fake answered with; 0 while it has not.
	Status int

	header http.Header
	body   []byte
}

// Sighting is a place where a secret appeared in a request.
type Sighting struct {
	Method string
	Path   string
	// Where is "Authorization header", "header <Name>", "URL" or "body".
	Where string
}

// recorder keeps every request a fake receives, for assertions.
type recorder struct {
	mu       sync.Mutex
	requests []*Request
}

// start records r, reading and restoring its body, and returns the entry so
// that the status can be filled in when the fake answers.
func (rec *recorder) start(r *http.Request) *Request {
	var body []byte
	if r.Body != nil {
		body, _ = io.ReadAll(io.LimitReader(r.Body, 1<<20))
		r.Body = io.NopCloser(strings.NewReader(string(body)))
	}
	scheme, _, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	req := &Request{
		Method: r.Method,
		Path:   r.URL.EscapedPath(),
		Query:  r.URL.RawQuery,
		Auth:   scheme,
		Accept: strings.Join(r.Header.Values("Accept"), ", "),
		header: r.Header.Clone(),
		body:   body,
	}
	rec.mu.Lock()
	rec.requests = append(rec.requests, req)
	rec.mu.Unlock()
	return req
}

// finish records the status an answer was sent with.
func (rec *recorder) finish(req *Request, status int) {
	rec.mu.Lock()
	req.Status = status
	rec.mu.Unlock()
}

// list returns copies of the requests so far, oldest first.
func (rec *recorder) list() []Request {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	out := make([]Request, len(rec.requests))
	for i, r := range rec.requests {
		out[i] = *r
	}
	return out
}

// count returns how many requests had method and the escaped path.
func (rec *recorder) count(method, path string) int {
	n := 0
	for _, r := range rec.list() {
		if r.Method == method && r.Path == path {
			n++
		}
	}
	return n
}

// reset forgets the requests so far.
func (rec *recorder) reset() {
	rec.mu.Lock()
	rec.requests = nil
	rec.mu.Unlock()
}

// sightings returns every place in the recorded requests where secret
// appears, decoding HTTP Basic credentials and URL escapes first.
func (rec *recorder) sightings(secret string) []Sighting {
	var out []Sighting
	for _, r := range rec.list() {
		for _, where := range r.placesOf(secret) {
			out = append(out, Sighting{Method: r.Method, Path: r.Path, Where: where})
		}
	}
	return out
}

// placesOf lists where in r secret appears.
func (r Request) placesOf(secret string) []string {
	var places []string
	for name, values := range r.header {
		for _, v := range values {
			if !strings.Contains(decodedHeader(name, v), secret) {
				continue
			}
			if name == "Authorization" {
				places = append(places, "Authorization header")
			} else {
				places = append(places, "header "+name)
			}
		}
	}
	raw := r.Path + "?" + r.Query
	unescaped, _ := url.QueryUnescape(raw)
	if strings.Contains(raw, secret) || strings.Contains(unescaped, secret) {
		places = append(places, "URL")
	}
	if strings.Contains(string(r.body), secret) {
		places = append(places, "body")
	}
	return places
}

// decodedHeader returns a header's value with HTTP Basic credentials decoded,
// so that a secret sent as a password is found.
func decodedHeader(name, value string) string {
	if name != "Authorization" {
		return value
	}
	if enc, ok := strings.CutPrefix(value, "Basic "); ok {
		if dec, err := base64.StdEncoding.DecodeString(enc); err == nil {
			return value + " " + string(dec)
		}
	}
	return value
}

// statusWriter remembers the status of an answer.
type statusWriter struct {
	http.ResponseWriter
	status int
}

// WriteHeader notes the first status and sends it.
func (w *statusWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
	w.ResponseWriter.WriteHeader(status)
}

// Write notes an implicit 200 before the first write.
func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}
