package onboarding

import (
	"regexp"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-containerregistry/pkg/name"
)

const (
	imageOrg      = "ImperialCollegeLondon"
	imageRegistry = "ghcr.io"
)

// testDigest is a well-formed sha256 digest.
var testDigest = "sha256:" + strings.Repeat("0123456789abcdef", 4)

// parseImage parses in for the test organisation on ghcr.io.
func parseImage(in ImageInput) (Image, []FieldProblem) {
	return ParseImage(in, imageOrg, imageRegistry)
}

// mustParseImage parses in on registry and fails the test on any problem.
func mustParseImage(t *testing.T, in ImageInput, registry string) Image {
	t.Helper()
	img, problems := ParseImage(in, imageOrg, registry)
	if len(problems) > 0 {
		t.Fatalf("ParseImage(%q) problems: %v", in, problems)
	}
	return img
}

func TestParseImageAccepts(t *testing.T) {
	tests := []struct {
		name     string
		in       ImageInput
		registry string // imageRegistry when empty
		want     Image
	}{
		{
			name: "the guide's example",
			in:   ImageInput{"ImperialCollegeLondon/my-repo", "my-image", "1.0.1"},
			want: Image{Registry: "ghcr.io", Owner: "ImperialCollegeLondon", Repo: "my-repo",
				Name: "my-image", Tag: "1.0.1", TagKind: TagSemver},
		},
		{
			name: "owner in lower case matches the organisation",
			in:   ImageInput{"imperialcollegelondon/my-repo", "api", "1.0.1"},
			want: Image{Registry: "ghcr.io", Owner: "imperialcollegelondon", Repo: "my-repo",
				Name: "api", Tag: "1.0.1", TagKind: TagSemver},
		},
		{
			name: "owner and repository in upper case are kept as typed",
			in:   ImageInput{"IMPERIALCOLLEGELONDON/My.Repo_2", "api", "1.0.1"},
			want: Image{Registry: "ghcr.io", Owner: "IMPERIALCOLLEGELONDON", Repo: "My.Repo_2",
				Name: "api", Tag: "1.0.1", TagKind: TagSemver},
		},
		{
			name: "surrounding whitespace is trimmed",
			in:   ImageInput{"  ImperialCollegeLondon/my-repo\t", "\n api ", " 1.0.1\r\n"},
			want: Image{Registry: "ghcr.io", Owner: "ImperialCollegeLondon", Repo: "my-repo",
				Name: "api", Tag: "1.0.1", TagKind: TagSemver},
		},
		{
			name: "no image name: the image is the repository",
			in:   ImageInput{"ImperialCollegeLondon/my-repo", "", "sha-a1b2c3d"},
			want: Image{Registry: "ghcr.io", Owner: "ImperialCollegeLondon", Repo: "my-repo",
				Tag: "sha-a1b2c3d", TagKind: TagCommit},
		},
		{
			name: "whitespace-only image name is no image name",
			in:   ImageInput{"ImperialCollegeLondon/my-repo", " \t ", "run-123456789"},
			want: Image{Registry: "ghcr.io", Owner: "ImperialCollegeLondon", Repo: "my-repo",
				Tag: "run-123456789", TagKind: TagRun},
		},
		{
			name: "nested image name",
			in:   ImageInput{"ImperialCollegeLondon/my-repo", "tools/api", "build-42"},
			want: Image{Registry: "ghcr.io", Owner: "ImperialCollegeLondon", Repo: "my-repo",
				Name: "tools/api", Tag: "build-42", TagKind: TagRun},
		},
		{
			name: "image name with every separator",
			in:   ImageInput{"ImperialCollegeLondon/my-repo", "a.b_c__d-e---f/g", "1.0.1"},
			want: Image{Registry: "ghcr.io", Owner: "ImperialCollegeLondon", Repo: "my-repo",
				Name: "a.b_c__d-e---f/g", Tag: "1.0.1", TagKind: TagSemver},
		},
		{
			name: "upper-case image name is lower-cased, with a notice",
			in:   ImageInput{"ImperialCollegeLondon/my-repo", "My-API", "1.0.1"},
			want: Image{Registry: "ghcr.io", Owner: "ImperialCollegeLondon", Repo: "my-repo",
				Name: "my-api", Tag: "1.0.1", TagKind: TagSemver,
				Notices: []string{"Image names must be lower-case on ghcr.io, " +
					"so My-API became my-api."}},
		},
		{
			name: "pasted https link",
			in:   ImageInput{"https://github.com/ImperialCollegeLondon/My-Repo", "", "1.0.1"},
			want: Image{Registry: "ghcr.io", Owner: "ImperialCollegeLondon", Repo: "My-Repo",
				Tag: "1.0.1", TagKind: TagSemver,
				Notices: []string{"You entered a link, so the repository was read as " +
					"ImperialCollegeLondon/My-Repo."}},
		},
		{
			name: "pasted link without scheme, with .git and a slash",
			in:   ImageInput{"github.com/ImperialCollegeLondon/my-repo.git/", "", "1.0.1"},
			want: Image{Registry: "ghcr.io", Owner: "ImperialCollegeLondon", Repo: "my-repo",
				Tag: "1.0.1", TagKind: TagSemver,
				Notices: []string{"You entered a link, so the repository was read as " +
					"ImperialCollegeLondon/my-repo."}},
		},
		{
			name: "pasted link in upper case with www",
			in:   ImageInput{"HTTPS://WWW.GitHub.com/ImperialCollegeLondon/my-repo/", "", "1.0.1"},
			want: Image{Registry: "ghcr.io", Owner: "ImperialCollegeLondon", Repo: "my-repo",
				Tag: "1.0.1", TagKind: TagSemver,
				Notices: []string{"You entered a link, so the repository was read as " +
					"ImperialCollegeLondon/my-repo."}},
		},
		{
			name: "pasted SSH clone address",
			in:   ImageInput{"git@github.com:ImperialCollegeLondon/my-repo.git", "", "1.0.1"},
			want: Image{Registry: "ghcr.io", Owner: "ImperialCollegeLondon", Repo: "my-repo",
				Tag: "1.0.1", TagKind: TagSemver,
				Notices: []string{"You entered a link, so the repository was read as " +
					"ImperialCollegeLondon/my-repo."}},
		},
		{
			name:     "registry with a port",
			in:       ImageInput{"ImperialCollegeLondon/my-repo", "api", "1.0.1"},
			registry: "127.0.0.1:5000",
			want: Image{Registry: "127.0.0.1:5000", Owner: "ImperialCollegeLondon",
				Repo: "my-repo", Name: "api", Tag: "1.0.1", TagKind: TagSemver},
		},
		{
			name:     "registry from configuration is trimmed and lower-cased",
			in:       ImageInput{"ImperialCollegeLondon/my-repo", "", "1.0.1"},
			registry: " GHCR.io ",
			want: Image{Registry: "ghcr.io", Owner: "ImperialCollegeLondon", Repo: "my-repo",
				Tag: "1.0.1", TagKind: TagSemver},
		},
		{
			name: "tag of 128 characters",
			in:   ImageInput{"ImperialCollegeLondon/my-repo", "", strings.Repeat("a", 128)},
			want: Image{Registry: "ghcr.io", Owner: "ImperialCollegeLondon", Repo: "my-repo",
				Tag: strings.Repeat("a", 128), TagKind: TagOther},
		},
		{
			name: "upper-case tag is kept",
			in:   ImageInput{"ImperialCollegeLondon/my-repo", "", "Release_2"},
			want: Image{Registry: "ghcr.io", Owner: "ImperialCollegeLondon", Repo: "my-repo",
				Tag: "Release_2", TagKind: TagOther},
		},
		{
			name: "tag that only contains latest",
			in:   ImageInput{"ImperialCollegeLondon/my-repo", "", "latest-1"},
			want: Image{Registry: "ghcr.io", Owner: "ImperialCollegeLondon", Repo: "my-repo",
				Tag: "latest-1", TagKind: TagOther},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			registry := tt.registry
			if registry == "" {
				registry = imageRegistry
			}
			got := mustParseImage(t, tt.in, registry)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseImage(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

// The refusals' messages, each written out once.
const (
	latestRefused = "The tag latest cannot be used: it moves to each new image, so you " +
		"cannot tell which version is running, reproduce or debug it, or roll back, and it " +
		"can bring breaking changes or a stale cached image without warning. Enter a fixed " +
		"tag instead, such as a version (1.0.1), a commit (sha-a1b2c3d) or a run " +
		"(run-123456789)."
	noTagRefused = "Enter a tag, such as 1.0.1. An image reference without a tag means " +
		"latest, which changes whenever a new image is pushed, so you could not tell which " +
		"version Azure is running."
	digestRefused = "Enter a tag, not a digest. The portal pins the image's digest for you " +
		"after it checks the image."
	repositoryCharacters = " Enter it as owner/name with only letters A to Z, digits, " +
		"hyphens, dots and underscores, for example ImperialCollegeLondon/my-repo."
	nameCharacters = " Use lower-case letters and digits, with dots, underscores or " +
		"hyphens between them, for example api or tools/api."
	tagCharacters = " Enter it with only letters, digits, dots, underscores and hyphens, " +
		"for example 1.0.1."
	referenceAsNameRefused = "Enter only the image name that comes after the repository, " +
		"not a full image reference"
	lookalike = ", which is not a plain ASCII letter or digit even if it looks like one."
)

func TestParseImageRefuses(t *testing.T) {
	const repo, tag = "ImperialCollegeLondon/my-repo", "1.0.1"
	tests := []struct {
		name string
		in   ImageInput
		want []FieldProblem
	}{
		// The repository.
		{
			name: "empty repository",
			in:   ImageInput{"", "", tag},
			want: []FieldProblem{{FieldRepository,
				"Enter the repository, for example ImperialCollegeLondon/my-repo."}},
		},
		{
			name: "whitespace-only repository",
			in:   ImageInput{" \t\n ", "", tag},
			want: []FieldProblem{{FieldRepository,
				"Enter the repository, for example ImperialCollegeLondon/my-repo."}},
		},
		{
			name: "another organisation",
			in:   ImageInput{"octo-org/my-repo", "", tag},
			want: []FieldProblem{{FieldRepository, "The repository must be in the " +
				"ImperialCollegeLondon organisation; octo-org is not it. Enter it as " +
				"ImperialCollegeLondon/my-repo."}},
		},
		{
			name: "link to another organisation",
			in:   ImageInput{"https://github.com/octo-org/my-repo", "", tag},
			want: []FieldProblem{{FieldRepository, "The repository must be in the " +
				"ImperialCollegeLondon organisation; octo-org is not it. Enter it as " +
				"ImperialCollegeLondon/my-repo."}},
		},
		{
			name: "link to another site",
			in:   ImageInput{"https://gitlab.com/ImperialCollegeLondon/my-repo", "", tag},
			want: []FieldProblem{{FieldRepository, "Enter a repository on GitHub as " +
				"owner/name, for example ImperialCollegeLondon/my-repo, not a link to " +
				"another site."}},
		},
		{
			name: "link deeper than the repository",
			in:   ImageInput{"https://github.com/ImperialCollegeLondon/my-repo/tree/main", "", tag},
			want: []FieldProblem{{FieldRepository, "The link goes further than the " +
				"repository. Enter only owner/name, for example ImperialCollegeLondon/my-repo."}},
		},
		{
			name: "owner only",
			in:   ImageInput{"ImperialCollegeLondon", "", tag},
			want: []FieldProblem{{FieldRepository, "Enter the repository as owner/name, with " +
				"the repository's name after the slash, for example " +
				"ImperialCollegeLondon/my-repo."}},
		},
		{
			name: "name only",
			in:   ImageInput{"my-repo", "", tag},
			want: []FieldProblem{{FieldRepository, "Enter the repository as owner/name, for " +
				"example ImperialCollegeLondon/my-repo."}},
		},
		{
			name: "extra slash",
			in:   ImageInput{"ImperialCollegeLondon/my-repo/api", "", tag},
			want: []FieldProblem{{FieldRepository, "The repository has more than one slash. " +
				"Enter only owner/name, for example ImperialCollegeLondon/my-repo; the image " +
				"name has its own field."}},
		},
		{
			name: "leading slash",
			in:   ImageInput{"/my-repo", "", tag},
			want: []FieldProblem{{FieldRepository, "The repository is missing its owner " +
				"before the slash. Enter it as ImperialCollegeLondon/my-repo."}},
		},
		{
			name: "trailing slash",
			in:   ImageInput{"ImperialCollegeLondon/", "", tag},
			want: []FieldProblem{{FieldRepository, "The repository is missing its name after " +
				"the slash. Enter it as ImperialCollegeLondon/my-repo."}},
		},
		{
			name: "space inside",
			in:   ImageInput{"ImperialCollegeLondon/my repo", "", tag},
			want: []FieldProblem{{FieldRepository, "The repository contains a space." +
				repositoryCharacters}},
		},
		{
			name: "tab inside",
			in:   ImageInput{"ImperialCollegeLondon/my\trepo", "", tag},
			want: []FieldProblem{{FieldRepository, "The repository contains a tab." +
				repositoryCharacters}},
		},
		{
			name: "newline inside",
			in:   ImageInput{"ImperialCollegeLondon/my-repo\nother", "", tag},
			want: []FieldProblem{{FieldRepository, "The repository contains a line break." +
				repositoryCharacters}},
		},
		{
			name: "NUL inside",
			in:   ImageInput{"ImperialCollegeLondon/my\x00repo", "", tag},
			want: []FieldProblem{{FieldRepository, "The repository contains a control " +
				"character (U+0000)." + repositoryCharacters}},
		},
		{
			name: "Cyrillic o in the owner",
			in:   ImageInput{"ImperialCollegeLond\u043en/my-repo", "", tag},
			want: []FieldProblem{{FieldRepository, "The repository contains “\u043e” " +
				"(U+043E)" + lookalike + repositoryCharacters}},
		},
		{
			name: "zero-width space",
			in:   ImageInput{"ImperialCollegeLondon/my\u200b-repo", "", tag},
			want: []FieldProblem{{FieldRepository, "The repository contains an invisible " +
				"character (U+200B)." + repositoryCharacters}},
		},
		{
			name: "shell and SQL characters",
			in:   ImageInput{"x' --query", "", tag},
			want: []FieldProblem{{FieldRepository, "The repository contains “'”." +
				repositoryCharacters}},
		},
		{
			name: "owner with a double hyphen",
			in:   ImageInput{"Imperial--College/my-repo", "", tag},
			want: []FieldProblem{{FieldRepository, "Imperial--College is not a GitHub owner: " +
				"an owner is 1 to 39 letters and digits with single hyphens between them. The " +
				"repository must be in the ImperialCollegeLondon organisation, so enter " +
				"ImperialCollegeLondon/my-repo."}},
		},
		{
			name: "repository name too long",
			in:   ImageInput{"ImperialCollegeLondon/" + strings.Repeat("r", 101), "", tag},
			want: []FieldProblem{{FieldRepository, "The repository name is 101 characters " +
				"long, but GitHub allows at most 100. Check that you copied the right name."}},
		},
		{
			name: "whole repository too long",
			in:   ImageInput{strings.Repeat("r", 141), "", tag},
			want: []FieldProblem{{FieldRepository, "The repository is 141 characters long, " +
				"but a GitHub owner/name has at most 140. Enter it as owner/name, for example " +
				"ImperialCollegeLondon/my-repo."}},
		},
		{
			name: "dot-dot",
			in:   ImageInput{"ImperialCollegeLondon/..", "", tag},
			want: []FieldProblem{{FieldRepository, ".. is not a repository name. Enter the " +
				"repository's own name, as it appears on GitHub after the owner."}},
		},
		{
			name: "repository name that cannot be an image path",
			in:   ImageInput{"ImperialCollegeLondon/.github", "", tag},
			want: []FieldProblem{{FieldRepository, "The repository name .github cannot be " +
				"part of an image name on the registry: each part must start and end with a " +
				"letter or digit, with only a dot, one or two underscores, or hyphens between " +
				"them. Publish the image from a repository whose name fits, or rename this one."}},
		},

		// The image name.
		{
			name: "full reference as the image name",
			in:   ImageInput{repo, "ghcr.io/imperialcollegelondon/my-repo/api:1.0.1", tag},
			want: []FieldProblem{{FieldImageName, referenceAsNameRefused + ": here that is " +
				"api. The tag goes in the tag field."}},
		},
		{
			name: "full reference with a scheme and digest as the image name",
			in: ImageInput{repo, "https://ghcr.io/ImperialCollegeLondon/My-Repo/tools/api@" +
				testDigest, tag},
			want: []FieldProblem{{FieldImageName, referenceAsNameRefused + ": here that is " +
				"tools/api. The tag goes in the tag field."}},
		},
		{
			name: "reference to the repository's own image as the image name",
			in:   ImageInput{repo, "ghcr.io/imperialcollegelondon/my-repo:1.0.1", tag},
			want: []FieldProblem{{FieldImageName, referenceAsNameRefused + ". This image is " +
				"named after the repository alone, so leave the image name empty."}},
		},
		{
			name: "name and tag as the image name",
			in:   ImageInput{repo, "api:1.0.1", tag},
			want: []FieldProblem{{FieldImageName, referenceAsNameRefused + ": here that is " +
				"api. The tag goes in the tag field."}},
		},
		{
			name: "reference in another organisation as the image name",
			in:   ImageInput{repo, "ghcr.io/octo-org/other/api:1.0.1", tag},
			want: []FieldProblem{{FieldImageName, referenceAsNameRefused + ", for example " +
				"api. The tag goes in the tag field."}},
		},
		{
			name: "registry alone as the image name",
			in:   ImageInput{repo, "ghcr.io", tag},
			want: []FieldProblem{{FieldImageName, referenceAsNameRefused + ", for example " +
				"api. The tag goes in the tag field."}},
		},
		{
			name: "image name that repeats the repository",
			in:   ImageInput{repo, "ImperialCollegeLondon/my-repo/api", tag},
			want: []FieldProblem{{FieldImageName, "The image name repeats the repository. " +
				"Enter only the part after it: api."}},
		},
		{
			name: "image name that is the repository",
			in:   ImageInput{repo, "imperialcollegelondon/my-repo", tag},
			want: []FieldProblem{{FieldImageName, "The image name repeats the repository. " +
				"Leave it empty for an image named after the repository alone."}},
		},
		{
			name: "image name with a newline",
			in:   ImageInput{repo, "a\nb", tag},
			want: []FieldProblem{{FieldImageName, "The image name contains a line break." +
				nameCharacters}},
		},
		{
			name: "image name with a tab",
			in:   ImageInput{repo, "a\tb", tag},
			want: []FieldProblem{{FieldImageName, "The image name contains a tab." +
				nameCharacters}},
		},
		{
			name: "image name with a Cyrillic a",
			in:   ImageInput{repo, "\u0430pi", tag},
			want: []FieldProblem{{FieldImageName, "The image name contains “\u0430” (U+0430)" +
				lookalike + nameCharacters}},
		},
		{
			name: "image name with a command substitution",
			in:   ImageInput{repo, "$(id)", tag},
			want: []FieldProblem{{FieldImageName, "The image name contains “$”." +
				nameCharacters}},
		},
		{
			name: "image name that climbs directories",
			in:   ImageInput{repo, "../..", tag},
			want: []FieldProblem{{FieldImageName, "The image name part .. must start and end " +
				"with a letter or digit, with only a dot, one or two underscores, or hyphens " +
				"between them, for example my-api or my_api."}},
		},
		{
			name: "image name with three underscores",
			in:   ImageInput{repo, "my___api", tag},
			want: []FieldProblem{{FieldImageName, "The image name part my___api must start " +
				"and end with a letter or digit, with only a dot, one or two underscores, or " +
				"hyphens between them, for example my-api or my_api."}},
		},
		{
			name: "image name with an empty part",
			in:   ImageInput{repo, "tools//api", tag},
			want: []FieldProblem{{FieldImageName, "The image name starts or ends with a " +
				"slash, or has two slashes together. Enter it as api, or tools/api for a " +
				"nested name."}},
		},
		{
			name: "image name too long for the registry",
			in:   ImageInput{repo, strings.Repeat("a", 230), tag},
			want: []FieldProblem{{FieldImageName, "The whole image name, with the registry, " +
				"owner and repository, would be 268 characters long, but it can have at most " +
				"255. Choose a shorter image name."}},
		},

		// The tag.
		{
			name: "empty tag",
			in:   ImageInput{repo, "", ""},
			want: []FieldProblem{{FieldTag, noTagRefused}},
		},
		{
			name: "whitespace-only tag",
			in:   ImageInput{repo, "", " \t\r\n"},
			want: []FieldProblem{{FieldTag, noTagRefused}},
		},
		{
			name: "latest",
			in:   ImageInput{repo, "", "latest"},
			want: []FieldProblem{{FieldTag, latestRefused}},
		},
		{
			name: "Latest",
			in:   ImageInput{repo, "", "Latest"},
			want: []FieldProblem{{FieldTag, "The tag Latest is as unclear as latest: it says " +
				"nothing about which version it is. Enter a fixed tag instead, such as a " +
				"version (1.0.1), a commit (sha-a1b2c3d) or a run (run-123456789)."}},
		},
		{
			name: "LATEST",
			in:   ImageInput{repo, "", "LATEST"},
			want: []FieldProblem{{FieldTag, "The tag LATEST is as unclear as latest: it says " +
				"nothing about which version it is. Enter a fixed tag instead, such as a " +
				"version (1.0.1), a commit (sha-a1b2c3d) or a run (run-123456789)."}},
		},
		{
			name: "digest",
			in:   ImageInput{repo, "", testDigest},
			want: []FieldProblem{{FieldTag, digestRefused}},
		},
		{
			name: "digest after an at sign",
			in:   ImageInput{repo, "", "@" + testDigest},
			want: []FieldProblem{{FieldTag, digestRefused}},
		},
		{
			name: "short digest",
			in:   ImageInput{repo, "", "sha256:abc"},
			want: []FieldProblem{{FieldTag, digestRefused}},
		},
		{
			name: "reference with a digest",
			in:   ImageInput{repo, "", "ghcr.io/imperialcollegelondon/my-repo@" + testDigest},
			want: []FieldProblem{{FieldTag, digestRefused}},
		},
		{
			name: "full reference as the tag",
			in:   ImageInput{repo, "", "ghcr.io/imperialcollegelondon/my-repo:1.0.1"},
			want: []FieldProblem{{FieldTag, "Enter only the tag, not the whole image " +
				"reference: here that is 1.0.1."}},
		},
		{
			name: "tag after a colon",
			in:   ImageInput{repo, "", ":1.0.1"},
			want: []FieldProblem{{FieldTag, "Enter only the tag, not the whole image " +
				"reference: here that is 1.0.1."}},
		},
		{
			name: "full reference to latest as the tag",
			in:   ImageInput{repo, "", "ghcr.io/imperialcollegelondon/my-repo:latest"},
			want: []FieldProblem{{FieldTag, "Enter only the tag, the part after the last " +
				"colon of an image reference, for example 1.0.1."}},
		},
		{
			name: "semantic version with build metadata",
			in:   ImageInput{repo, "", "1.0.0+build.5"},
			want: []FieldProblem{{FieldTag, "Tags cannot contain “+”, so a version with " +
				"build metadata such as 1.0.0+build.5 is not a tag as written. Enter the tag " +
				"exactly as the package on GitHub shows it, for example 1.0.0."}},
		},
		{
			name: "tag of 129 characters",
			in:   ImageInput{repo, "", strings.Repeat("a", 129)},
			want: []FieldProblem{{FieldTag, "The tag is 129 characters long, but a tag can " +
				"have at most 128."}},
		},
		{
			name: "tag starting with a dot",
			in:   ImageInput{repo, "", ".1.0"},
			want: []FieldProblem{{FieldTag, "A tag must start with a letter, digit or " +
				"underscore, not “.”. Enter it as, for example, 1.0.1."}},
		},
		{
			name: "tag starting with a hyphen",
			in:   ImageInput{repo, "", "-x"},
			want: []FieldProblem{{FieldTag, "A tag must start with a letter, digit or " +
				"underscore, not “-”. Enter it as, for example, 1.0.1."}},
		},
		{
			name: "tag with a bad character",
			in:   ImageInput{repo, "", "1.0$(id)"},
			want: []FieldProblem{{FieldTag, "The tag contains “$”, which tags cannot have. " +
				"Use only letters, digits, dots, underscores and hyphens, for example 1.0.1 " +
				"or sha-a1b2c3d."}},
		},
		{
			name: "tag with a space",
			in:   ImageInput{repo, "", "1.0 1"},
			want: []FieldProblem{{FieldTag, "The tag contains a space." + tagCharacters}},
		},
		{
			name: "tag with a newline",
			in:   ImageInput{repo, "", "1.0\n1"},
			want: []FieldProblem{{FieldTag, "The tag contains a line break." + tagCharacters}},
		},
		{
			name: "tag with a tab",
			in:   ImageInput{repo, "", "1.0\t1"},
			want: []FieldProblem{{FieldTag, "The tag contains a tab." + tagCharacters}},
		},
		{
			name: "tag with a Cyrillic letter",
			in:   ImageInput{repo, "", "v1.0.0-\u0440c1"},
			want: []FieldProblem{{FieldTag, "The tag contains “\u0440” (U+0440)" + lookalike +
				tagCharacters}},
		},
		{
			name: "tag with a non-breaking space",
			in:   ImageInput{repo, "", "1.0\u00a01"},
			want: []FieldProblem{{FieldTag, "The tag contains a special space character " +
				"(U+00A0)." + tagCharacters}},
		},
		{
			name: "tag with invalid UTF-8",
			in:   ImageInput{repo, "", "1.0\xff"},
			want: []FieldProblem{{FieldTag, "The tag contains a character that is not valid " +
				"text." + tagCharacters}},
		},

		// Several at once.
		{
			name: "every field empty",
			in:   ImageInput{},
			want: []FieldProblem{
				{FieldRepository, "Enter the repository, for example " +
					"ImperialCollegeLondon/my-repo."},
				{FieldTag, noTagRefused},
			},
		},
		{
			name: "every field wrong",
			in:   ImageInput{"octo-org/my-repo", "My API", "latest"},
			want: []FieldProblem{
				{FieldRepository, "The repository must be in the ImperialCollegeLondon " +
					"organisation; octo-org is not it. Enter it as " +
					"ImperialCollegeLondon/my-repo."},
				{FieldImageName, "The image name contains a space." + nameCharacters},
				{FieldTag, latestRefused},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			img, got := parseImage(tt.in)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseImage(%q) problems mismatch (-want +got):\n%s", tt.in, diff)
			}
			if diff := cmp.Diff(Image{}, img); diff != "" {
				t.Errorf("ParseImage(%q) refused but returned an image (-want +got):\n%s",
					tt.in, diff)
			}
		})
	}
}

func TestParseImageRefusesBadRegistrySetting(t *testing.T) {
	want := []FieldProblem{{FieldRepository, "The portal's registry setting is not a valid " +
		"host, so no image reference can be built. Please tell the portal's administrators."}}
	for _, registry := range []string{"", "registry", "https://ghcr.io", "ghcr.io/x", "a@b.c"} {
		_, got := ParseImage(ImageInput{"ImperialCollegeLondon/r", "", "1.0.1"}, imageOrg,
			registry)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("registry %q: problems mismatch (-want +got):\n%s", registry, diff)
		}
	}
}

func TestImageNames(t *testing.T) {
	tests := []struct {
		name     string
		in       ImageInput
		registry string
		want     []string // Repository, Path, PackageName, Reference, DigestReference
	}{
		{
			name:     "image below the repository",
			in:       ImageInput{"ImperialCollegeLondon/My-Repo", "My-Image", "1.0.1"},
			registry: "ghcr.io",
			want: []string{
				"ImperialCollegeLondon/My-Repo",
				"imperialcollegelondon/my-repo/my-image",
				"my-repo/my-image",
				"ghcr.io/imperialcollegelondon/my-repo/my-image:1.0.1",
				"ghcr.io/imperialcollegelondon/my-repo/my-image@" + testDigest,
			},
		},
		{
			name:     "image named after the repository",
			in:       ImageInput{"imperialcollegelondon/Repo.Name", "", "sha-a1b2c3d"},
			registry: "ghcr.io",
			want: []string{
				"imperialcollegelondon/Repo.Name",
				"imperialcollegelondon/repo.name",
				"repo.name",
				"ghcr.io/imperialcollegelondon/repo.name:sha-a1b2c3d",
				"ghcr.io/imperialcollegelondon/repo.name@" + testDigest,
			},
		},
		{
			name:     "nested image on a registry with a port",
			in:       ImageInput{"ImperialCollegeLondon/r", "tools/api", "Run-1"},
			registry: "127.0.0.1:5000",
			want: []string{
				"ImperialCollegeLondon/r",
				"imperialcollegelondon/r/tools/api",
				"r/tools/api",
				"127.0.0.1:5000/imperialcollegelondon/r/tools/api:Run-1",
				"127.0.0.1:5000/imperialcollegelondon/r/tools/api@" + testDigest,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			img := mustParseImage(t, tt.in, tt.registry)
			pinned, err := img.DigestReference(testDigest)
			if err != nil {
				t.Fatalf("DigestReference: %v", err)
			}
			got := []string{img.Repository(), img.Path(), img.PackageName(), img.Reference(),
				pinned}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("names mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDigestReferenceRefusesBadDigests(t *testing.T) {
	img := mustParseImage(t, ImageInput{"ImperialCollegeLondon/r", "", "1.0.1"}, imageRegistry)
	for _, digest := range []string{
		"",
		"sha256:abc",
		strings.ToUpper(testDigest),
		"sha512:" + strings.Repeat("0", 128),
		testDigest + "\n",
		"@" + testDigest,
		testDigest[:len(testDigest)-1] + "g",
	} {
		if ref, err := img.DigestReference(digest); err == nil {
			t.Errorf("DigestReference(%q) = %q, want an error", digest, ref)
		} else if ErrorCode(err) != EInvalid {
			t.Errorf("DigestReference(%q) code = %q, want %q", digest, ErrorCode(err), EInvalid)
		}
	}
	if ref, err := (Image{}).DigestReference(testDigest); err == nil {
		t.Errorf("DigestReference on an empty image = %q, want an error", ref)
	}
}

func TestTagKinds(t *testing.T) {
	tests := []struct {
		tag  string
		want TagKind
	}{
		{"1.0.1", TagSemver},
		{"0.0.0", TagSemver},
		{"2.0.0-rc.1", TagSemver},
		{"v1.2.3", TagSemver},
		{"v2.0.8-beta.67", TagSemver},
		{"1.0.0-alpha-a.b-c-somethinglong", TagSemver},
		{"1.0.0+build.5", TagSemver}, // semver.org form; a tag cannot hold "+"
		{"1.0.0-0A.is.legal", TagSemver},
		{"sha-a1b2c3d", TagCommit},
		{"sha-" + strings.Repeat("a", 40), TagCommit},
		{"run-123456789", TagRun},
		{"build-42", TagRun},

		{"1.0", TagOther},
		{"01.0.0", TagOther},
		{"1.0.0-01", TagOther},
		{"V1.0.0", TagOther},
		{"sha-a1b2c3", TagOther},
		{"sha-A1B2C3D", TagOther},
		{"sha-" + strings.Repeat("a", 41), TagOther},
		{"run-", TagOther},
		{"run-12a", TagOther},
		{"main", TagOther},
		{"stable", TagOther},
	}
	for _, tt := range tests {
		if got := classifyTag(tt.tag); got != tt.want {
			t.Errorf("classifyTag(%q) = %q, want %q", tt.tag, got, tt.want)
		}
	}
}

func TestTagWarning(t *testing.T) {
	tests := []struct {
		tag      string
		wantKind TagKind
		wantDesc string
		warning  string
	}{
		{"1.0.1", TagSemver, "a semantic version", ""},
		{"sha-a1b2c3d", TagCommit, "a Git commit SHA", ""},
		{"run-123456789", TagRun, "a GitHub Actions run ID or number", ""},
		{"build-42", TagRun, "a GitHub Actions run ID or number", ""},
		{"main", TagOther, "a tag in none of the recommended forms", "The tag main follows " +
			"none of the recommended forms, so it may be hard to tell which build it is or to " +
			"go back to it, and if it is moved to each new image it has the same problems as " +
			"latest. The guide recommends a semantic version (1.0.1), a Git commit SHA " +
			"(sha-a1b2c3d) or a GitHub Actions run ID or number (run-123456789 or build-42)."},
	}
	for _, tt := range tests {
		img := mustParseImage(t, ImageInput{"ImperialCollegeLondon/r", "", tt.tag}, imageRegistry)
		got := []string{string(img.TagKind), img.TagKind.Describe(), img.TagWarning()}
		want := []string{string(tt.wantKind), tt.wantDesc, tt.warning}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("tag %q: kind, description, warning mismatch (-want +got):\n%s",
				tt.tag, diff)
		}
	}
	if got := TagKind("").Describe(); got != "" {
		t.Errorf(`TagKind("").Describe() = %q, want ""`, got)
	}
}

// fuzzComponent is one part of an image path in the OCI distribution grammar,
// written out again so that the fuzz test does not trust image.go's copy.
const fuzzComponent = `[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*`

// The invariants of an accepted image.
var (
	fuzzTagPattern       = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$`)
	fuzzPathPattern      = regexp.MustCompile(`^` + fuzzComponent + `(/` + fuzzComponent + `)*$`)
	fuzzReferencePattern = regexp.MustCompile(`^[A-Za-z0-9./:@_-]+$`)
)

func FuzzParseImage(f *testing.F) {
	seeds := []ImageInput{
		{"ImperialCollegeLondon/my-repo", "my-image", "1.0.1"},
		{"https://github.com/ImperialCollegeLondon/My-Repo.git/", "My-API", "sha-a1b2c3d"},
		{"imperialcollegelondon/r", "tools/api", "run-123456789"},
		{"ImperialCollegeLondon/r", "", "build-42"},
		{"ImperialCollegeLondon/r", "a\nb", "a\nb"},
		{"$(id)", "$(id)", "$(id)"},
		{"x' --query", "x' --query", "x' --query"},
		{"../..", "../..", "../.."},
		{"ImperialCollegeLond\u043en/r", "\u0430pi", "v1.0.0-\u0440c1"},
		{"ImperialCollegeLondon/r", "", "latest"},
		{"ImperialCollegeLondon/r", "", "LaTeSt"},
		{"ImperialCollegeLondon/r", "", "@" + testDigest},
		{"ImperialCollegeLondon/r", "ghcr.io/imperialcollegelondon/r/api@" + testDigest,
			"sha256:0"},
		{"ImperialCollegeLondon/r", "ghcr.io/imperialcollegelondon/r:1", "ghcr.io/x/y:1"},
		{"ImperialCollegeLondon/r\x00", "a\u200bb", "1.0\xff"},
		{"git@github.com:ImperialCollegeLondon/r.git", "a__b.c-d", strings.Repeat("9", 129)},
		{"ImperialCollegeLondon/.github", "-a", "-a"},
		{"ImperialCollegeLondon/r", "${{ github.token }}", "${{ secrets.X }}"},
	}
	for _, s := range seeds {
		f.Add(s.Repository, s.ImageName, s.Tag, false)
	}
	f.Add("ImperialCollegeLondon/r", "api", "1.0.1", true)

	f.Fuzz(func(t *testing.T, repository, imageName, tag string, port bool) {
		registry := imageRegistry
		if port {
			registry = "127.0.0.1:5000"
		}
		in := ImageInput{Repository: repository, ImageName: imageName, Tag: tag}
		img, problems := ParseImage(in, imageOrg, registry)
		checkProblems(t, in, problems)
		if len(problems) == 0 {
			checkAccepted(t, in, img)
		}
	})
}

// checkProblems checks that problems name each field at most once, in
// messages that carry no control or invisible characters.
func checkProblems(t *testing.T, in ImageInput, problems []FieldProblem) {
	t.Helper()
	seen := map[string]bool{}
	for _, p := range problems {
		switch p.Field {
		case FieldRepository, FieldImageName, FieldTag:
		default:
			t.Errorf("ParseImage(%q): problem on unknown field %q", in, p.Field)
		}
		if seen[p.Field] {
			t.Errorf("ParseImage(%q): two problems on %s", in, p.Field)
		}
		seen[p.Field] = true
		if p.Message == "" || !utf8.ValidString(p.Message) {
			t.Errorf("ParseImage(%q): message %q is empty or not valid UTF-8", in, p.Message)
		}
		for _, r := range p.Message {
			if r != ' ' && (unicode.IsSpace(r) || unicode.IsControl(r) ||
				unicode.Is(unicode.Cf, r)) {
				t.Errorf("ParseImage(%q): message %q has the character %U", in, p.Message, r)
			}
		}
	}
}

// checkAccepted checks the invariants of an image that ParseImage accepted.
func checkAccepted(t *testing.T, in ImageInput, img Image) {
	t.Helper()
	if img.Tag == "" || strings.EqualFold(img.Tag, "latest") ||
		!fuzzTagPattern.MatchString(img.Tag) {
		t.Errorf("ParseImage(%q) accepted the tag %q", in, img.Tag)
	}
	path := img.Path()
	if path != strings.ToLower(path) || !fuzzPathPattern.MatchString(path) {
		t.Errorf("ParseImage(%q) accepted the path %q", in, path)
	}
	if !strings.EqualFold(img.Owner, imageOrg) {
		t.Errorf("ParseImage(%q) accepted the owner %q", in, img.Owner)
	}

	ref := img.Reference()
	if !fuzzReferencePattern.MatchString(ref) {
		t.Errorf("ParseImage(%q) made the reference %q", in, ref)
	}
	parsed, err := name.ParseReference(ref, name.StrictValidation)
	if err != nil {
		t.Fatalf("ParseImage(%q) made the reference %q, which does not parse: %v", in, ref, err)
	}
	if parsed.Name() != ref {
		t.Errorf("reference %q reads back as %q", ref, parsed.Name())
	}
	if _, err := img.DigestReference(testDigest); err != nil {
		t.Errorf("ParseImage(%q): DigestReference: %v", in, err)
	}
}
