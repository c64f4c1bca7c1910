package onboarding

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/google/go-containerregistry/pkg/name"
)

// ImageInput is what a person typed in step 1, before any checking.
type ImageInput struct {
	// Repository is the GitHub repository as owner/name, or a link to it.
	Repository string
	// ImageName is the image's name below the repository; it may be empty.
	ImageName string
	// Tag is the tag to deploy.
	Tag string
}

// FieldProblem is what is wrong with one field of step 1, in words that say
// what to enter instead.
type FieldProblem struct {
	// Field is the form field: for step 1, FieldRepository, FieldImageName
	// or FieldTag.
	Field   string
	Message string
}

// TagKind is which of the guide's recommended tagging schemes a tag follows.
type TagKind string

// The kinds of tag. TagOther is accepted, with a warning.
const (
	TagSemver TagKind = "semver"
	TagCommit TagKind = "commit"
	TagRun    TagKind = "run"
	TagOther  TagKind = "other"
)

// Describe names the kind of tag in words, such as "a semantic version".
func (k TagKind) Describe() string {
	switch k {
	case TagSemver:
		return "a semantic version"
	case TagCommit:
		return "a Git commit SHA"
	case TagRun:
		return "a GitHub Actions run ID or number"
	case TagOther:
		return "a tag in none of the recommended forms"
	}
	return ""
}

// Image is a checked image reference: a repository in the organisation, an
// image name below it and a tag, which together name one image on the
// registry.
type Image struct {
	// Registry is the registry's host and optional port, such as ghcr.io or
	// 127.0.0.1:5000.
	Registry string
	// Owner is the repository's owner as typed; it equals the organisation
	// when compared case-insensitively.
	Owner string
	// Repo is the repository's name as typed.
	Repo string
	// Name is the image's name below the repository, in lower case, such as
	// "api" or "tools/api"; it is empty when the image is named after the
	// repository alone.
	Name    string
	Tag     string
	TagKind TagKind
	// Notices say in plain words what the portal changed in what was typed.
	Notices []string
}

// Repository returns the GitHub repository as owner/name.
func (i Image) Repository() string {
	return i.Owner + "/" + i.Repo
}

// Path returns the image's path on the registry, in lower case:
// owner/repo, or owner/repo/name.
func (i Image) Path() string {
	return strings.ToLower(i.Owner + "/" + i.PackageName())
}

// PackageName returns the name of the GitHub package that holds the image, in
// lower case: repo, or repo/name.
func (i Image) PackageName() string {
	p := strings.ToLower(i.Repo)
	if i.Name != "" {
		p += "/" + strings.ToLower(i.Name)
	}
	return p
}

// Reference returns the full image reference, registry/path:tag, as the
// IMAGE value that Azure pulls.
func (i Image) Reference() string {
	return i.Registry + "/" + i.Path() + ":" + i.Tag
}

// DigestReference returns the image pinned to a digest, registry/path@digest.
// The digest must be sha256: followed by 64 lower-case hexadecimal digits.
func (i Image) DigestReference(digest string) (string, error) {
	if !digestPattern.MatchString(digest) {
		return "", Errorf(EInvalid, "The digest must be sha256: followed by 64 "+
			"lower-case hexadecimal digits.")
	}
	ref := i.Registry + "/" + i.Path() + "@" + digest
	d, err := name.NewDigest(ref, name.StrictValidation)
	if err != nil {
		return "", WrapError(EInvalid, "The image cannot be pinned to this digest.", err)
	}
	if d.Name() != ref {
		return "", Errorf(EInvalid, "The image cannot be pinned to this digest.")
	}
	return ref, nil
}

// TagWarning returns "" for a tag in one of the guide's recommended forms,
// and otherwise a warning that names them.
func (i Image) TagWarning() string {
	if i.TagKind != TagOther {
		return ""
	}
	return fmt.Sprintf("The tag %s follows none of the recommended forms, so it may be hard "+
		"to tell which build it is or to go back to it, and if it is moved to each new "+
		"image it has the same problems as latest. The guide recommends %s.",
		i.Tag, recommendedTags)
}

// Limits from GitHub, the OCI distribution specification and Docker.
const (
	maxOwnerLength      = 39
	maxRepoNameLength   = 100
	maxRepositoryLength = maxOwnerLength + 1 + maxRepoNameLength
	maxTagLength        = 128
	// maxReferenceName bounds registry/path; Docker's reference parser
	// counts the registry too, which is stricter than the 255 characters
	// that the registry allows for the path alone.
	maxReferenceName = 255
)

// recommendedTags lists the guide's recommended forms, with its examples.
const recommendedTags = "a semantic version (1.0.1), a Git commit SHA (sha-a1b2c3d) " +
	"or a GitHub Actions run ID or number (run-123456789 or build-42)"

// pathComponent is one /-separated part of an image path, per the OCI
// distribution specification.
const pathComponent = `[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*`

// Semantic versions per semver.org, with an optional leading v.
const (
	semverNumber     = `(?:0|[1-9][0-9]*)`
	semverPreRelease = `(?:0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*)`
	semverBuild      = `[0-9A-Za-z-]+`
)

var (
	ownerPattern     = regexp.MustCompile(`^[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*$`)
	componentPattern = regexp.MustCompile(`^` + pathComponent + `$`)
	pathPattern      = regexp.MustCompile(`^` + pathComponent + `(?:/` + pathComponent + `)*$`)
	tagPattern       = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$`)
	digestPattern    = regexp.MustCompile(`^sha256:[0-9a-f]{64}$`)
	semverPattern    = regexp.MustCompile(`^v?` +
		semverNumber + `\.` + semverNumber + `\.` + semverNumber +
		`(?:-` + semverPreRelease + `(?:\.` + semverPreRelease + `)*)?` +
		`(?:\+` + semverBuild + `(?:\.` + semverBuild + `)*)?$`)
	commitPattern = regexp.MustCompile(`^sha-[0-9a-f]{7,40}$`)
	runPattern    = regexp.MustCompile(`^(?:run|build)-[0-9]+$`)
)

// classifyTag returns the recommended form that a tag follows, if any.
func classifyTag(tag string) TagKind {
	switch {
	case semverPattern.MatchString(tag):
		return TagSemver
	case commitPattern.MatchString(tag):
		return TagCommit
	case runPattern.MatchString(tag):
		return TagRun
	}
	return TagOther
}

// ParseImage checks the three inputs of step 1 and builds the image they
// name in org on registry, both from configuration. It reports every problem
// at once, at most one per field; when there is any, the Image is empty.
func ParseImage(in ImageInput, org, registry string) (Image, []FieldProblem) {
	p := imageParser{org: org, registry: strings.ToLower(strings.TrimSpace(registry))}
	p.check(FieldRepository, p.parseRepository(in.Repository))
	p.check(FieldImageName, p.parseName(in.ImageName))
	p.check(FieldTag, p.parseTag(in.Tag))

	// The remaining checks concern the whole reference, so they run only
	// once each part is right.
	if len(p.problems) == 0 {
		p.checkReference()
	}
	if len(p.problems) > 0 {
		return Image{}, p.problems
	}
	return p.img, nil
}

// imageParser collects the image and the problems while ParseImage runs.
type imageParser struct {
	org      string
	registry string
	img      Image
	problems []FieldProblem
}

// check records message as the field's problem, unless it is empty.
func (p *imageParser) check(field, message string) {
	if message != "" {
		p.problems = append(p.problems, FieldProblem{Field: field, Message: message})
	}
}

func (p *imageParser) notice(format string, args ...any) {
	p.img.Notices = append(p.img.Notices, fmt.Sprintf(format, args...))
}

// gitHubPrefixes are how a pasted link or clone address to a repository on
// GitHub starts, in lower case.
var gitHubPrefixes = []string{
	"https://github.com/",
	"http://github.com/",
	"https://www.github.com/",
	"http://www.github.com/",
	"ssh://git@github.com/",
	"git@github.com:",
	"www.github.com/",
	"github.com/",
}

// parseRepository checks the repository and sets the image's owner and
// repository name. It returns the problem, or "".
func (p *imageParser) parseRepository(raw string) string {
	s := strings.TrimSpace(raw)
	if s == "" {
		return fmt.Sprintf("Enter the repository, for example %s/my-repo.", p.org)
	}
	s, fromLink := stripGitHubLink(s)
	if !fromLink && strings.Contains(s, "://") {
		return fmt.Sprintf("Enter a repository on GitHub as owner/name, for example "+
			"%s/my-repo, not a link to another site.", p.org)
	}
	if r, bad := firstBadRune(s, isPathRune); bad {
		return fmt.Sprintf("The repository contains %s. Enter it as owner/name with only "+
			"letters A to Z, digits, hyphens, dots and underscores, for example %s/my-repo.",
			describeRune(r), p.org)
	}
	if len(s) > maxRepositoryLength {
		return fmt.Sprintf("The repository is %d characters long, but a GitHub owner/name "+
			"has at most %d. Enter it as owner/name, for example %s/my-repo.",
			len(s), maxRepositoryLength, p.org)
	}

	owner, repo, problem := p.splitRepository(s, fromLink)
	if problem == "" {
		problem = p.ownerProblem(owner, repo)
	}
	if problem == "" {
		problem = repoNameProblem(repo)
	}
	if problem != "" {
		return problem
	}
	p.img.Owner, p.img.Repo = owner, repo
	if fromLink {
		p.notice("You entered a link, so the repository was read as %s/%s.", owner, repo)
	}
	return ""
}

// stripGitHubLink returns owner/name from a link or clone address of a
// repository on GitHub, and whether s was one; otherwise it returns s.
func stripGitHubLink(s string) (string, bool) {
	for _, prefix := range gitHubPrefixes {
		if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
			s = strings.TrimSuffix(s[len(prefix):], "/")
			return strings.TrimSuffix(s, ".git"), true
		}
	}
	return s, false
}

// splitRepository splits owner/name, which has only allowed characters;
// fromLink says whether it came from a link.
func (p *imageParser) splitRepository(s string, fromLink bool) (owner, repo, problem string) {
	parts := strings.Split(s, "/")
	switch {
	case len(parts) == 1 && strings.EqualFold(s, p.org):
		return "", "", fmt.Sprintf("Enter the repository as owner/name, with the "+
			"repository's name after the slash, for example %s/my-repo.", p.org)
	case len(parts) == 1:
		return "", "", fmt.Sprintf("Enter the repository as owner/name, for example %s/%s.",
			p.org, s)
	case len(parts) > 2 && parts[0] != "" && parts[1] != "" && fromLink:
		return "", "", fmt.Sprintf("The link goes further than the repository. Enter only "+
			"owner/name, for example %s/%s.", parts[0], parts[1])
	case len(parts) > 2 && parts[0] != "" && parts[1] != "":
		return "", "", fmt.Sprintf("The repository has more than one slash. Enter only "+
			"owner/name, for example %s/%s; the image name has its own field.",
			parts[0], parts[1])
	case len(parts) > 2:
		return "", "", fmt.Sprintf("The repository has more than one slash. Enter only "+
			"owner/name, for example %s/my-repo.", p.org)
	case parts[0] == "":
		return "", "", fmt.Sprintf("The repository is missing its owner before the slash. "+
			"Enter it as %s/%s.", p.org, parts[1])
	case parts[1] == "":
		return "", "", fmt.Sprintf("The repository is missing its name after the slash. "+
			"Enter it as %s/my-repo.", parts[0])
	}
	return parts[0], parts[1], ""
}

// ownerProblem checks the owner against GitHub's rules and the organisation.
func (p *imageParser) ownerProblem(owner, repo string) string {
	if len(owner) > maxOwnerLength || !ownerPattern.MatchString(owner) {
		return fmt.Sprintf("%s is not a GitHub owner: an owner is 1 to %d letters and digits "+
			"with single hyphens between them. The repository must be in the %s "+
			"organisation, so enter %s/%s.", owner, maxOwnerLength, p.org, p.org, repo)
	}
	if !strings.EqualFold(owner, p.org) {
		return fmt.Sprintf("The repository must be in the %s organisation; %s is not it. "+
			"Enter it as %s/%s.", p.org, owner, p.org, repo)
	}
	return ""
}

// repoNameProblem checks the repository's name against GitHub's rules and
// against what a part of an image path may be.
func repoNameProblem(repo string) string {
	switch {
	case len(repo) > maxRepoNameLength:
		return fmt.Sprintf("The repository name is %d characters long, but GitHub allows at "+
			"most %d. Check that you copied the right name.", len(repo), maxRepoNameLength)
	case repo == "." || repo == "..":
		return fmt.Sprintf("%s is not a repository name. Enter the repository's own name, "+
			"as it appears on GitHub after the owner.", repo)
	case !componentPattern.MatchString(strings.ToLower(repo)):
		return fmt.Sprintf("The repository name %s cannot be part of an image name on the "+
			"registry: each part must start and end with a letter or digit, with only a dot, "+
			"one or two underscores, or hyphens between them. Publish the image from a "+
			"repository whose name fits, or rename this one.", repo)
	}
	return ""
}

// parseName checks the image name and sets it, in lower case.
func (p *imageParser) parseName(raw string) string {
	s := strings.TrimSpace(raw)
	if s == "" {
		return ""
	}
	if p.looksLikeReference(s) {
		return p.referenceAsName(s)
	}
	if r, bad := firstBadRune(s, isPathRune); bad {
		return fmt.Sprintf("The image name contains %s. Use lower-case letters and digits, "+
			"with dots, underscores or hyphens between them, for example api or tools/api.",
			describeRune(r))
	}
	if len(s) > maxReferenceName {
		return fmt.Sprintf("The image name is %d characters long, but the whole image name "+
			"can have at most %d. Choose a shorter image name.", len(s), maxReferenceName)
	}

	lower := strings.ToLower(s)
	if problem := p.repeatsRepository(lower); problem != "" {
		return problem
	}
	for _, part := range strings.Split(lower, "/") {
		if problem := namePartProblem(part); problem != "" {
			return problem
		}
	}
	if lower != s {
		p.notice("Image names must be lower-case on ghcr.io, so %s became %s.", s, lower)
	}
	p.img.Name = lower
	return ""
}

// namePartProblem checks one /-separated part of an image name.
func namePartProblem(part string) string {
	if part == "" {
		return "The image name starts or ends with a slash, or has two slashes together. " +
			"Enter it as api, or tools/api for a nested name."
	}
	if !componentPattern.MatchString(part) {
		return fmt.Sprintf("The image name part %s must start and end with a letter or digit, "+
			"with only a dot, one or two underscores, or hyphens between them, for example "+
			"my-api or my_api.", part)
	}
	return ""
}

// looksLikeReference reports whether an image name is a pasted image
// reference rather than a name.
func (p *imageParser) looksLikeReference(s string) bool {
	lower := strings.ToLower(s)
	return strings.Contains(lower, "://") ||
		strings.ContainsAny(lower, ":@") ||
		lower == "ghcr.io" || strings.Contains(lower, "ghcr.io/") ||
		(p.registry != "" && (lower == p.registry || strings.HasPrefix(lower, p.registry+"/")))
}

// referenceAsName is the problem with an image name that is a full image
// reference; where it can, it says which name was meant.
func (p *imageParser) referenceAsName(s string) string {
	const lead = "Enter only the image name that comes after the repository, not a full " +
		"image reference"
	imageName, known := p.nameInReference(s)
	switch {
	case !known:
		return lead + ", for example api. The tag goes in the tag field."
	case imageName == "":
		return lead + ". This image is named after the repository alone, so leave the " +
			"image name empty."
	}
	return lead + ": here that is " + imageName + ". The tag goes in the tag field."
}

// nameInReference returns the image name in a pasted reference, and whether
// it could tell: the part after the repository when the reference has it, or
// the whole path when the reference has no registry host.
func (p *imageParser) nameInReference(s string) (string, bool) {
	s = strings.ToLower(s)
	if s == p.registry || s == "ghcr.io" {
		return "", false
	}
	if _, after, found := strings.Cut(s, "://"); found {
		s = after
	}
	s, _, _ = strings.Cut(s, "@")
	if i := strings.LastIndex(s, ":"); i >= 0 && !strings.Contains(s[i:], "/") {
		s = s[:i]
	}
	host, rest, found := strings.Cut(s, "/")
	hasHost := found && strings.ContainsAny(host, ".:")
	if hasHost {
		s = rest
	}

	repository := strings.ToLower(p.img.Repository())
	if p.img.Owner != "" {
		if s == repository {
			return "", true
		}
		if imageName, found := strings.CutPrefix(s, repository+"/"); found {
			return imageName, pathPattern.MatchString(imageName)
		}
	}
	return s, !hasHost && pathPattern.MatchString(s)
}

// repeatsRepository is the problem with an image name that starts with the
// repository, which the registry path already has.
func (p *imageParser) repeatsRepository(lower string) string {
	if p.img.Owner == "" {
		return ""
	}
	repository := strings.ToLower(p.img.Repository())
	if lower == repository {
		return "The image name repeats the repository. Leave it empty for an image named " +
			"after the repository alone."
	}
	if rest, found := strings.CutPrefix(lower, repository+"/"); found {
		return "The image name repeats the repository. Enter only the part after it: " +
			rest + "."
	}
	return ""
}

// Why a tag is refused, in the guide's words.
const (
	tagAlternatives = "Enter a fixed tag instead, such as a version (1.0.1), a commit " +
		"(sha-a1b2c3d) or a run (run-123456789)."
	noTagMessage = "Enter a tag, such as 1.0.1. An image reference without a tag means " +
		"latest, which changes whenever a new image is pushed, so you could not tell " +
		"which version Azure is running."
	latestMessage = "The tag latest cannot be used: it moves to each new image, so you " +
		"cannot tell which version is running, reproduce or debug it, or roll back, and " +
		"it can bring breaking changes or a stale cached image without warning. " +
		tagAlternatives
	digestMessage = "Enter a tag, not a digest. The portal pins the image's digest for you " +
		"after it checks the image."
	buildMetadataMessage = "Tags cannot contain “+”, so a version with build metadata such " +
		"as 1.0.0+build.5 is not a tag as written. Enter the tag exactly as the package " +
		"on GitHub shows it, for example 1.0.0."
)

// parseTag checks the tag and sets it and its kind.
func (p *imageParser) parseTag(raw string) string {
	s := strings.TrimSpace(raw)
	if s == "" {
		return noTagMessage
	}
	if problem := tagProblem(s); problem != "" {
		return problem
	}
	p.img.Tag = s
	p.img.TagKind = classifyTag(s)
	return ""
}

// tagProblem returns what is wrong with a tag that is not empty, or "".
func tagProblem(s string) string {
	if r, bad := firstBadRune(s, isVisibleASCII); bad {
		return fmt.Sprintf("The tag contains %s. Enter it with only letters, digits, dots, "+
			"underscores and hyphens, for example 1.0.1.", describeRune(r))
	}
	lower := strings.ToLower(s)
	switch {
	case strings.Contains(s, "@") || strings.HasPrefix(lower, "sha256:") ||
		strings.HasPrefix(lower, "sha512:"):
		return digestMessage
	case strings.ContainsAny(s, ":/"):
		return referenceAsTag(s)
	case s == "latest":
		return latestMessage
	case lower == "latest":
		return fmt.Sprintf("The tag %s is as unclear as latest: it says nothing about which "+
			"version it is. %s", s, tagAlternatives)
	case strings.Contains(s, "+"):
		return buildMetadataMessage
	}
	return tagCharacterProblem(s)
}

// tagCharacterProblem checks a tag's characters and length.
func tagCharacterProblem(s string) string {
	first, _ := utf8.DecodeRuneInString(s)
	if !isTagRune(first) || first == '.' || first == '-' {
		return fmt.Sprintf("A tag must start with a letter, digit or underscore, not %s. "+
			"Enter it as, for example, 1.0.1.", describeRune(first))
	}
	if r, bad := firstBadRune(s, isTagRune); bad {
		return fmt.Sprintf("The tag contains %s, which tags cannot have. Use only letters, "+
			"digits, dots, underscores and hyphens, for example 1.0.1 or sha-a1b2c3d.",
			describeRune(r))
	}
	if len(s) > maxTagLength {
		return fmt.Sprintf("The tag is %d characters long, but a tag can have at most %d.",
			len(s), maxTagLength)
	}
	return ""
}

// referenceAsTag is the problem with a tag that is a pasted image reference;
// where it can, it says which tag was meant.
func referenceAsTag(s string) string {
	i := strings.LastIndex(s, ":")
	if i >= 0 {
		tag := s[i+1:]
		if tagPattern.MatchString(tag) && !strings.EqualFold(tag, "latest") {
			return "Enter only the tag, not the whole image reference: here that is " +
				tag + "."
		}
	}
	return "Enter only the tag, the part after the last colon of an image reference, " +
		"for example 1.0.1."
}

// checkReference builds the reference from parts that are each right, and
// checks it as a whole: its length, and that a real parser reads it back
// unchanged.
func (p *imageParser) checkReference() {
	registry, ok := canonicalRegistry(p.registry)
	if !ok {
		p.check(FieldRepository, "The portal's registry setting is not a valid host, so no "+
			"image reference can be built. Please tell the portal's administrators.")
		return
	}
	p.img.Registry = registry

	if n := len(registry) + 1 + len(p.img.Path()); n > maxReferenceName {
		p.check(p.lengthField(), p.lengthProblem(n))
		return
	}

	ref := p.img.Reference()
	tag, err := name.NewTag(ref, name.StrictValidation)
	if err != nil || tag.Name() != ref {
		p.check(p.referenceField(err), "The image reference could not be built from "+
			"these values. Check that each uses only letters, digits, dots, underscores "+
			"and hyphens.")
	}
}

// lengthProblem is the problem with a registry/path of n characters.
func (p *imageParser) lengthProblem(n int) string {
	remedy := "Choose a shorter image name."
	if p.img.Name == "" {
		remedy = "Publish the image from a repository with a shorter name."
	}
	return fmt.Sprintf("The whole image name, with the registry, owner and repository, would "+
		"be %d characters long, but it can have at most %d. %s", n, maxReferenceName, remedy)
}

// lengthField is the field to shorten when the whole name is too long.
func (p *imageParser) lengthField() string {
	if p.img.Name != "" {
		return FieldImageName
	}
	return FieldRepository
}

// referenceField is the field that most likely made the reference parser
// fail, judged from its error.
func (p *imageParser) referenceField(err error) string {
	if err != nil && strings.HasPrefix(err.Error(), "tag ") {
		return FieldTag
	}
	return p.lengthField()
}

// canonicalRegistry returns the registry host as the reference parser writes
// it, and whether it is a host with an optional port that the parser will
// read as a registry rather than as part of the path.
func canonicalRegistry(host string) (string, bool) {
	if host != "localhost" && !strings.ContainsAny(host, ".:") {
		return "", false
	}
	if strings.ContainsAny(host, "/@?#") {
		return "", false
	}
	reg, err := name.NewRegistry(host, name.StrictValidation)
	if err != nil {
		return "", false
	}
	return reg.RegistryStr(), true
}

// firstBadRune returns the first rune of s that ok refuses.
func firstBadRune(s string, ok func(rune) bool) (rune, bool) {
	for _, r := range s {
		if !ok(r) {
			return r, true
		}
	}
	return 0, false
}

func isLetterOrDigit(r rune) bool {
	return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
}

// isPathRune reports whether r may appear in owner/name or in an image name,
// before its case is folded.
func isPathRune(r rune) bool {
	return isLetterOrDigit(r) || strings.ContainsRune("._-/", r)
}

func isTagRune(r rune) bool {
	return isLetterOrDigit(r) || strings.ContainsRune("._-", r)
}

// isVisibleASCII reports whether r is a printable ASCII character other than
// the space.
func isVisibleASCII(r rune) bool {
	return '!' <= r && r <= '~'
}

// describeRune names a character in words, showing it only when it is
// visible, so that a message never carries an invisible or control
// character.
func describeRune(r rune) string {
	switch {
	case r == '\t':
		return "a tab"
	case r == '\n' || r == '\r':
		return "a line break"
	case r == ' ':
		return "a space"
	case r == utf8.RuneError:
		return "a character that is not valid text"
	case unicode.IsSpace(r):
		return fmt.Sprintf("a special space character (%U)", r)
	case unicode.IsControl(r):
		return fmt.Sprintf("a control character (%U)", r)
	case r > unicode.MaxASCII && (unicode.Is(unicode.Cf, r) || !unicode.IsGraphic(r)):
		return fmt.Sprintf("an invisible character (%U)", r)
	case r > unicode.MaxASCII:
		return fmt.Sprintf("“%c” (%U), which is not a plain ASCII letter or digit even if "+
			"it looks like one", r, r)
	}
	return fmt.Sprintf("“%c”", r)
}
