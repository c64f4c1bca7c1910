package sqlite

import (
	"context"
	"database/sql"
	"errors"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"ghcrportal/internal/onboarding"
)

const unavailableMessage = "The database is not answering. Try again in a minute."

// dbError puts err into the portal's vocabulary of errors. noun names the
// kind of record the statement was about, for the message a person may see.
// Errors with no better code are returned unchanged.
func dbError(noun string, err error) error {
	code := resultCode(err)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return onboarding.WrapError(onboarding.ENotFound, "That "+noun+" does not exist.", err)
	case code == sqlite3.SQLITE_CONSTRAINT_UNIQUE || code == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		return onboarding.WrapError(onboarding.EConflict, "That "+noun+" already exists.", err)
	case code == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
		return onboarding.WrapError(onboarding.ENotFound,
			"The "+noun+" belongs to a user who does not exist.", err)
	case unavailable(err, code):
		return onboarding.WrapError(onboarding.EUnavailable, unavailableMessage, err)
	}
	return err
}

// resultCode returns SQLite's extended result code for err, or 0 when err
// did not come from SQLite.
func resultCode(err error) int {
	var sqlErr *sqlite.Error
	if errors.As(err, &sqlErr) {
		return sqlErr.Code()
	}
	return 0
}

// unavailable reports whether err means the database stayed locked by
// another connection past the busy timeout, or did not answer in time.
func unavailable(err error, code int) bool {
	// The low byte of an extended result code is its primary code.
	primary := code & 0xff
	return primary == sqlite3.SQLITE_BUSY ||
		primary == sqlite3.SQLITE_LOCKED ||
		errors.Is(err, context.DeadlineExceeded)
}
