// Package migrations holds the numbered SQL files that build the portal's
// schema, one directory per database dialect. The store packages apply them
// at start-up with goose.
package migrations

import "embed"

// FS holds postgres/*.sql and sqlite/*.sql. Each file is named after its
// version (00001_initial.sql) and carries goose Up and Down sections.
//
//go:embed postgres/*.sql sqlite/*.sql
var FS embed.FS
