package config

import (
	"slices"
	"strings"
	"unicode"
)

// adminRole returns PORTAL_ADMIN_ROLE, which must hold no white space.
func (l *loader) adminRole() string {
	role := l.getOr("PORTAL_ADMIN_ROLE", "Portal.Admin")
	if strings.ContainsFunc(role, unicode.IsSpace) {
		l.addf("PORTAL_ADMIN_ROLE", "%q contains white space, which an app role's value "+
			"cannot; use the role's value as the app registration shows it, e.g. Portal.Admin",
			role)
	}
	return role
}

// adminGroups returns the group object IDs in PORTAL_ADMIN_GROUPS, lower-cased
// and without duplicates or empty entries, reporting every entry that is not a
// GUID.
func (l *loader) adminGroups() []string {
	var groups []string
	for i, entry := range strings.Split(l.get("PORTAL_ADMIN_GROUPS"), ",") {
		id := strings.ToLower(strings.TrimSpace(entry))
		switch {
		case id == "" || slices.Contains(groups, id):
			continue
		case !isGUID(id):
			l.addf("PORTAL_ADMIN_GROUPS", "entry %d, %q, is not a group object ID; each "+
				"comma-separated entry must be a GUID such as "+
				"0f8fad5b-d9cb-469f-a165-70867728950e (the group's Object ID in Entra)",
				i+1, strings.TrimSpace(entry))
		default:
			groups = append(groups, id)
		}
	}
	return groups
}
