package postgres

import (
	"context"
	"errors"
	"io"
	"net"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"ghcrportal/internal/onboarding"
)

// SQLSTATE codes that the store tells apart.
const (
	uniqueViolation     = "23505"
	foreignKeyViolation = "23503"
	queryCanceled       = "57014"
	adminShutdown       = "57P01"
	crashShutdown       = "57P02"
	cannotConnectNow    = "57P03"
	tooManyConnections  = "53300"
)

const unavailableMessage = "The database is not answering. Try again in a minute."

// dbError puts err into the portal's vocabulary of errors. noun names the
// kind of record the statement was about, for the message a person may see.
// Errors with no better code are returned unchanged.
func dbError(noun string, err error) error {
	var pgErr *pgconn.PgError
	errors.As(err, &pgErr)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return onboarding.WrapError(onboarding.ENotFound, "That "+noun+" does not exist.", err)
	case pgErr != nil && pgErr.Code == uniqueViolation:
		return onboarding.WrapError(onboarding.EConflict, "That "+noun+" already exists.", err)
	case pgErr != nil && pgErr.Code == foreignKeyViolation:
		return onboarding.WrapError(onboarding.ENotFound,
			"The "+noun+" belongs to a user who does not exist.", err)
	case unavailable(err, pgErr):
		return onboarding.WrapError(onboarding.EUnavailable, unavailableMessage, err)
	}
	return err
}

// unavailable reports whether err means the database could not be reached,
// went away or did not answer in time.
func unavailable(err error, pgErr *pgconn.PgError) bool {
	if pgErr != nil {
		switch pgErr.Code {
		case queryCanceled, adminShutdown, crashShutdown, cannotConnectNow, tooManyConnections:
			return true
		}
		// Class 08 is "connection exception".
		return strings.HasPrefix(pgErr.Code, "08")
	}
	var connectErr *pgconn.ConnectError
	var netErr net.Error
	return errors.Is(err, context.DeadlineExceeded) ||
		pgconn.Timeout(err) ||
		pgconn.SafeToRetry(err) ||
		errors.As(err, &connectErr) ||
		errors.As(err, &netErr) ||
		errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, io.EOF)
}
