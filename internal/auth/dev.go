package auth

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"ghcrportal/internal/onboarding"
)

// DevTenantID is the tenant of every person signed in with the development
// sign-in. It is not a GUID, so it can never collide with a real tenant.
const DevTenantID = "local-development"

// DevIdentity returns the identity of a development sign-in with the given
// display name. The same name, in any case and spacing, gives the same
// identity, so that a developer comes back to the same account.
func DevIdentity(displayName string) onboarding.Identity {
	key := strings.ToLower(strings.Join(strings.Fields(displayName), " "))
	sum := sha256.Sum256([]byte(key))
	return onboarding.Identity{TenantID: DevTenantID, ObjectID: "dev-" + hex.EncodeToString(sum[:16])}
}
