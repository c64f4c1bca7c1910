//go:build !unix

package sqlite

import (
	"context"
	"sync"
)

// migrateMu stands in for the lock file where flock is not available.
var migrateMu sync.Mutex

// lockFile serialises migrations within this process only. Processes on
// systems without flock could still race to migrate one data directory; the
// portal is deployed on Linux, where lock_unix.go locks across processes.
func lockFile(ctx context.Context, path string) (unlock func() error, err error) {
	migrateMu.Lock()
	return func() error {
		migrateMu.Unlock()
		return nil
	}, nil
}
