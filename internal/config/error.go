package config

import "strings"

// Problem is one environment variable that is missing or invalid, with what is
// wrong with it and what would be right.
type Problem struct {
	// Variable is the name of the environment variable at fault.
	Variable string

	// Message says what is wrong and what would be right. It never holds a
	// secret's value.
	Message string
}

// String returns the problem as "VARIABLE: message".
func (p Problem) String() string {
	return p.Variable + ": " + p.Message
}

// Error is returned by Load when the configuration is invalid. It holds every
// problem found, not only the first, in the order the variables are checked.
type Error struct {
	Problems []Problem
}

// Error lists the problems one per line, each prefixed by its variable's name.
func (e *Error) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}
