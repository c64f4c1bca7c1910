package store

import (
	"errors"
	"fmt"
)

// ErrSchemaTooNew is wrapped by the error a store returns when its database
// has been migrated by a newer build of the portal than the one running. Such
// a build must not serve: it does not know what the newer migrations changed.
var ErrSchemaTooNew = errors.New("database schema is newer than this build")

// CheckSchemaVersion compares the version recorded in the database with the
// highest version this build knows. It returns nil when they are equal, an
// error wrapping ErrSchemaTooNew when the database is ahead, and a plain error
// when the database is behind.
func CheckSchemaVersion(current, known int64) error {
	switch {
	case current > known:
		return fmt.Errorf("database schema is at version %d but this build knows only up to %d: "+
			"run a newer build of the portal, or restore the database: %w",
			current, known, ErrSchemaTooNew)
	case current < known:
		return fmt.Errorf("database schema is at version %d but this build needs %d: "+
			"the migrations have not been applied", current, known)
	}
	return nil
}
