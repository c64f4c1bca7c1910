package githubtest

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// created is the time every object on the fake was created and updated.
const created = "2024-01-02T03:04:05Z"

// writeJSON answers with status and body encoded as JSON.
func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

// writeError answers with GitHub's error body.
func writeError(w http.ResponseWriter, status int, message, docs string) {
	writeJSON(w, status, map[string]string{
		"message":           message,
		"documentation_url": docs,
		"status":            strconv.Itoa(status),
	})
}

// userJSON is an account as GitHub returns it.
func (f *FakeGitHub) userJSON(u *user) map[string]any {
	return map[string]any{
		"login":      u.login,
		"id":         u.id,
		"node_id":    "U_" + strconv.FormatInt(u.id, 10),
		"type":       u.typ,
		"site_admin": false,
		"url":        f.Server.URL + "/users/" + u.login,
		"html_url":   "https://github.com/" + u.login,
	}
}

// orgJSON is the organisation as GitHub returns it inside other objects.
func (f *FakeGitHub) orgJSON() map[string]any {
	return map[string]any{
		"login": f.org,
		"id":    1,
		"url":   f.Server.URL + "/orgs/" + f.org,
		"type":  "Organization",
	}
}

// repositoryJSON is a minimal repository, or nil for none.
func (f *FakeGitHub) repositoryJSON(fullName string) map[string]any {
	if fullName == "" {
		return nil
	}
	f.mu.Lock()
	r := f.repository(fullName)
	id, full := r.id, r.fullName
	f.mu.Unlock()
	_, name, _ := strings.Cut(full, "/")
	return map[string]any{
		"id":        id,
		"name":      name,
		"full_name": full,
		"private":   true,
		"owner":     f.orgJSON(),
		"html_url":  "https://github.com/" + full,
		"url":       f.Server.URL + "/repos/" + full,
	}
}

// packageJSON is a container package as GitHub returns it; repository is
// null when the package is not linked.
func (f *FakeGitHub) packageJSON(p Package) map[string]any {
	escaped := url.PathEscape(p.Name)
	return map[string]any{
		"id":            int64(7000 + len(p.Name)),
		"name":          p.Name,
		"package_type":  "container",
		"owner":         f.orgJSON(),
		"version_count": len(p.Versions),
		"visibility":    "private",
		"url":           f.Server.URL + "/orgs/" + f.org + "/packages/container/" + escaped,
		"html_url": "https://github.com/orgs/" + f.org + "/packages/container/package/" +
			escaped,
		"repository": f.repositoryJSON(p.Repository),
		"created_at": created,
		"updated_at": created,
	}
}

// versionJSON is version i of p as GitHub returns it: its name is the
// manifest digest and its tags are in metadata.container.tags.
func (f *FakeGitHub) versionJSON(p Package, i int) map[string]any {
	v := p.Versions[i]
	id := int64(9000 + len(p.Versions) - i)
	escaped := url.PathEscape(p.Name)
	pkgURL := f.Server.URL + "/orgs/" + f.org + "/packages/container/" + escaped
	htmlURL := "https://github.com/orgs/" + f.org + "/packages/container/"
	tags := v.Tags
	if tags == nil {
		tags = []string{}
	}
	return map[string]any{
		"id":               id,
		"name":             v.Digest,
		"url":              pkgURL + "/versions/" + strconv.FormatInt(id, 10),
		"package_html_url": htmlURL + "package/" + escaped,
		"html_url":         htmlURL + escaped + "/" + strconv.FormatInt(id, 10),
		"created_at":       created,
		"updated_at":       created,
		"metadata": map[string]any{
			"package_type": "container",
			"container":    map[string]any{"tags": tags},
		},
	}
}
