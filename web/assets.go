// Package web holds the portal's pages as templ components, the view models
// they are built from, and the static assets they link to.
package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"
)

//go:embed static
var staticFS embed.FS

// asset is one embedded static file, served under a name that carries a hash
// of its content so that browsers may cache it forever.
type asset struct {
	hashedName  string
	contentType string
	body        []byte
}

// Assets maps the plain names of the embedded static files to their content.
type Assets struct {
	byPlain  map[string]*asset
	byHashed map[string]*asset
}

// assets is computed once: the embedded files never change while running.
var assets = mustLoadAssets(staticFS)

func mustLoadAssets(fsys fs.FS) *Assets {
	a, err := loadAssets(fsys)
	if err != nil {
		panic("web: load embedded assets: " + err.Error())
	}
	return a
}

func loadAssets(fsys fs.FS) (*Assets, error) {
	a := &Assets{byPlain: map[string]*asset{}, byHashed: map[string]*asset{}}
	err := fs.WalkDir(fsys, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		plain := strings.TrimPrefix(p, "static/")
		as := &asset{hashedName: hashedName(plain, body), contentType: contentType(plain), body: body}
		a.byPlain[plain] = as
		a.byHashed[as.hashedName] = as
		return nil
	})
	return a, err
}

// hashedName puts the first 12 hex digits of the content's SHA-256 before the
// extension: app.css becomes app.3f2a9c0d1b7e.css.
func hashedName(name string, body []byte) string {
	sum := sha256.Sum256(body)
	ext := path.Ext(name)
	return strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:6]) + ext
}

func contentType(name string) string {
	switch path.Ext(name) {
	case ".css":
		return "text/css; charset=utf-8"
	case ".js":
		return "text/javascript; charset=utf-8"
	case ".svg":
		return "image/svg+xml"
	case ".png":
		return "image/png"
	case ".ico":
		return "image/x-icon"
	}
	return "application/octet-stream"
}

// AssetURL returns the path at which the named static file is served, for
// example "/static/app.3f2a9c0d1b7e.css". It panics on a name that is not
// embedded, which a test of every page catches.
func AssetURL(name string) string {
	a, ok := assets.byPlain[name]
	if !ok {
		panic("web: no embedded asset " + name)
	}
	return "/static/" + a.hashedName
}

// StaticHandler serves the embedded assets under their hashed names, with
// caching headers that let browsers keep them for a year. Unknown names go to
// notFound.
func StaticHandler(notFound http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/static/")
		a, ok := assets.byHashed[name]
		if !ok {
			notFound.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Content-Type", a.contentType)
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(a.body))
	})
}
