package auth

import (
	"slices"
	"strings"
)

// claims are the ID token claims the portal reads. Entra ID puts the tenant
// in tid and the person's immutable object ID in oid; app roles arrive in
// roles, and groups in groups unless there are too many (overage).
type claims struct {
	TenantID          string            `json:"tid"`
	ObjectID          string            `json:"oid"`
	Name              string            `json:"name"`
	Email             string            `json:"email"`
	PreferredUsername string            `json:"preferred_username"`
	Version           string            `json:"ver"`
	Roles             []string          `json:"roles"`
	Groups            []string          `json:"groups"`
	ClaimNames        map[string]string `json:"_claim_names"`
	HasGroups         bool              `json:"hasgroups"`
}

// check refuses tokens that cannot identify a person of the expected tenant.
func (c *claims) check(tenantID string) error {
	switch {
	case c.Version == "1.0":
		return signInFailed("the ID token is a v1.0 token", nil)
	case c.TenantID == "" || c.ObjectID == "":
		return signInFailed("the ID token lacks the tid or oid claim", nil)
	case tenantID != "" && !strings.EqualFold(c.TenantID, tenantID):
		return signInFailed("the ID token is from tenant "+sanitizeCode(c.TenantID), nil)
	}
	return nil
}

// displayName is what the portal calls the person; it never identifies them.
func (c *claims) displayName() string {
	for _, s := range []string{c.Name, c.PreferredUsername, c.Email} {
		if s = strings.TrimSpace(s); s != "" {
			return s
		}
	}
	return "Signed-in user"
}

// groupsOverage reports whether the provider left the groups out because the
// person is in too many, in which case groups cannot decide anything.
func (c *claims) groupsOverage() bool {
	_, named := c.ClaimNames["groups"]
	return named || c.HasGroups
}

// RolePolicy decides who is an admin: the holder of an app role, or a member
// of one of a list of directory groups.
type RolePolicy struct {
	AdminRole   string
	AdminGroups []string
}

// IsAdmin reports whether the claims grant admin. The role must match
// exactly; a groups overage never grants admin, since the groups are unknown.
func (p RolePolicy) IsAdmin(c *claims) bool {
	if p.AdminRole != "" && slices.Contains(c.Roles, p.AdminRole) {
		return true
	}
	if len(p.AdminGroups) == 0 || c.groupsOverage() {
		return false
	}
	for _, g := range c.Groups {
		if slices.Contains(p.AdminGroups, strings.ToLower(g)) {
			return true
		}
	}
	return false
}
