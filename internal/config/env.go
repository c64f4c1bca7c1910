package config

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
)

// loader reads variables and secret files and collects every problem it finds,
// so that Load can report them all at once.
type loader struct {
	lookup   func(string) (string, bool)
	readFile func(string) ([]byte, error)
	problems []Problem
}

// get returns a variable's value without surrounding white space; "" means
// the variable is unset.
func (l *loader) get(name string) string {
	value, _ := l.lookup(name)
	return strings.TrimSpace(value)
}

// getOr returns a variable's value, or def when it is unset.
func (l *loader) getOr(name, def string) string {
	if value := l.get(name); value != "" {
		return value
	}
	return def
}

// addf records a problem with a variable.
func (l *loader) addf(variable, format string, args ...any) {
	p := Problem{Variable: variable, Message: fmt.Sprintf(format, args...)}
	l.problems = append(l.problems, p)
}

// secretValue is a secret read from its variable or from the file that the
// variable's _FILE variant names.
type secretValue struct {
	value  string // "" when unset, or when it could not be read
	set    bool   // whether either variable is set, even if reading failed
	source string // the variable the value came from, for messages
}

// secret reads the secret held by name or by the file that name_FILE names.
// Setting both is a problem, as is a file that cannot be read or is empty.
func (l *loader) secret(name string) secretValue {
	fileVar := name + "_FILE"
	value, path := l.get(name), l.get(fileVar)
	switch {
	case value != "" && path != "":
		l.addf(name, "is set and so is %s; set only one of them", fileVar)
		return secretValue{set: true, source: name}
	case path != "":
		return secretValue{value: l.readSecretFile(fileVar, path), set: true, source: fileVar}
	}
	return secretValue{value: value, set: value != "", source: name}
}

// readSecretFile returns the content of the file at path without surrounding
// white space. Messages name the file but never quote its content.
func (l *loader) readSecretFile(variable, path string) string {
	content, err := l.readFile(path)
	if err != nil {
		l.addf(variable, "cannot read the file %q (%v); "+
			"check the path and that the portal's user may read it", path, pathless(err))
		return ""
	}
	value := strings.TrimSpace(string(content))
	if value == "" {
		l.addf(variable, "names the file %q, which is empty; put the secret in it", path)
	}
	return value
}

// pathless returns the reason for a file error without the path that an
// fs.PathError repeats.
func pathless(err error) error {
	var pathErr *fs.PathError
	if errors.As(err, &pathErr) {
		return pathErr.Err
	}
	return err
}

// member is one variable of a group that must be set all together or not at
// all.
type member struct {
	name string
	set  bool
}

// requireAll reports each unset member of a group of which some members are
// set, with rule saying what the group needs. It reports whether every member
// is set.
func (l *loader) requireAll(rule string, members ...member) bool {
	var set, missing []string
	for _, m := range members {
		if m.set {
			set = append(set, m.name)
		} else {
			missing = append(missing, m.name)
		}
	}
	verb := "is"
	if len(set) > 1 {
		verb = "are"
	}
	for _, name := range missing {
		l.addf(name, "is not set, but %s %s; %s", list(set), verb, rule)
	}
	return len(missing) == 0
}

// list joins names as English does: "A", "A and B", "A, B and C".
func list(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}
