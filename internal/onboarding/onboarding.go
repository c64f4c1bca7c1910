package onboarding

import "time"

// Onboarding is one person's journey to run one image from one GitHub
// repository on Azure.
type Onboarding struct {
	ID         string
	OwnerID    string
	Repository string // owner/name on GitHub
	ImageName  string
	CreatedAt  time.Time
	UpdatedAt  time.Time
}
