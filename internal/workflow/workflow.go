// Package workflow renders the GitHub Actions workflow that step 1 of an
// onboarding offers to copy: it builds a repository's container image and
// pushes it to the registry with the tags that the guide recommends.
package workflow

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"text/template"

	"ghcrportal/internal/onboarding"
)

// The actions the workflow uses, each at the newest major version that
// actionlint v1.7.12 knows (its popular-actions data), so that the tests'
// lint checks every input given to them: actions/checkout@v6,
// docker/login-action@v4, docker/metadata-action@v6 and
// docker/build-push-action@v7. GitHub's own example still shows the older
// majors v4, v3, v5 and v5.
const (
	checkoutAction  = "actions/checkout@v6"
	loginAction     = "docker/login-action@v4"
	metadataAction  = "docker/metadata-action@v6"
	buildPushAction = "docker/build-push-action@v7"
)

// ErrUnsafeValue is returned when a value bound for the workflow falls
// outside what the workflow may contain. ParseImage never produces one, so
// it means an Image was built some other way.
var ErrUnsafeValue = errors.New("value not allowed in a workflow")

// Allowlists for every value that goes into the workflow. They repeat, on
// purpose, rules that onboarding.ParseImage already applied.
var (
	registryAllowed   = regexp.MustCompile(`^[a-z0-9]+(?:[.-][a-z0-9]+)*(?::[0-9]{1,5})?$`)
	pathAllowed       = regexp.MustCompile(`^` + pathPart + `(?:/` + pathPart + `)+$`)
	repositoryAllowed = regexp.MustCompile(`^[A-Za-z0-9-]{1,39}/[A-Za-z0-9._-]{1,100}$`)
	fileNameAllowed   = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*\.yml$`)
)

// pathPart is one /-separated part of an image path.
const pathPart = `[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*`

// maxImageLength bounds registry/path, as Docker's reference parser does.
const maxImageLength = 255

// publishData is what the template fills in, every field checked.
type publishData struct {
	FileName   string
	Repository string
	Registry   string
	Image      string // registry/path, without a tag
	Checkout   string
	Login      string
	Metadata   string
	BuildPush  string
}

// Publish renders the workflow that builds img's repository and pushes the
// image to img's registry, as YAML text.
func Publish(img onboarding.Image) (string, error) {
	data, err := newPublishData(img)
	if err != nil {
		return "", fmt.Errorf("render publish workflow: %w", err)
	}
	var b strings.Builder
	if err := publishTemplate.Execute(&b, data); err != nil {
		return "", fmt.Errorf("render publish workflow: %w", err)
	}
	return b.String(), nil
}

// newPublishData checks each value against its allowlist.
func newPublishData(img onboarding.Image) (publishData, error) {
	d := publishData{
		FileName:   FileName(img),
		Repository: img.Repository(),
		Registry:   img.Registry,
		Image:      img.Registry + "/" + img.Path(),
		Checkout:   checkoutAction,
		Login:      loginAction,
		Metadata:   metadataAction,
		BuildPush:  buildPushAction,
	}
	checks := []struct {
		what  string
		value string
		ok    bool
	}{
		{"registry", img.Registry, registryAllowed.MatchString(img.Registry)},
		{"image path", img.Path(), pathAllowed.MatchString(img.Path())},
		{"image", d.Image, len(d.Image) <= maxImageLength},
		{"repository", d.Repository, repositoryAllowed.MatchString(d.Repository)},
		{"file name", d.FileName, fileNameAllowed.MatchString(d.FileName)},
	}
	for _, c := range checks {
		if !c.ok {
			return publishData{}, fmt.Errorf("%s %q: %w", c.what, c.value, ErrUnsafeValue)
		}
	}
	return d, nil
}

// maxFileNameStem bounds the part of a file name taken from the image.
const maxFileNameStem = 64

// FileName returns a file name for img's workflow, publish-<name>.yml, where
// <name> is the image name, or the repository's name when the image has
// none. It has only lower-case letters, digits, dots, underscores and
// hyphens, whatever img holds.
func FileName(img onboarding.Image) string {
	stem := img.Name
	if stem == "" {
		stem = img.Repo
	}
	stem = fileNameStem(stem)
	if stem == "" {
		stem = "image"
	}
	return "publish-" + stem + ".yml"
}

// fileNameStem keeps letters and digits, lower-cased, and single dots,
// underscores and hyphens between them; any other run of characters becomes
// one hyphen.
func fileNameStem(s string) string {
	var b strings.Builder
	var gap []rune
	for _, r := range strings.ToLower(s) {
		if 'a' <= r && r <= 'z' || '0' <= r && r <= '9' {
			b.WriteString(separator(gap, b.Len() > 0))
			b.WriteRune(r)
			gap = gap[:0]
			continue
		}
		gap = append(gap, r)
	}
	stem := b.String()
	if len(stem) > maxFileNameStem {
		stem = strings.TrimRight(stem[:maxFileNameStem], "._-")
	}
	return stem
}

// separator is what stands for the characters between two runs of letters
// and digits: the character itself when it is a lone dot, underscore or
// hyphen, a hyphen otherwise, and nothing at the start.
func separator(gap []rune, inside bool) string {
	switch {
	case !inside || len(gap) == 0:
		return ""
	case len(gap) == 1 && strings.ContainsRune("._-", gap[0]):
		return string(gap[0])
	}
	return "-"
}

// publishTemplate is the workflow. It uses [[ ]] as delimiters because the
// workflow itself is full of {{ }}. Every value it is given has passed an
// allowlist that excludes quotes, spaces, '#', '$', '{' and line breaks, and
// each is single-quoted where it is a value, so none can change the YAML's
// structure or start an expression.
var publishTemplate = template.Must(template.New("publish").Delims("[[", "]]").Parse(
	`# [[.FileName]]: build the container image in this repository and publish it
# to [[.Image]].
# Made by the GHCR-on-Azure portal for [[.Repository]]. Save it in the
# repository as .github/workflows/[[.FileName]] and commit it.
#
# Each run pushes these tags, and never latest:
#   sha-<commit>  the commit's short SHA, for example sha-a1b2c3d
#   run-<id>      the GitHub Actions run ID, for example run-123456789
#   1.2.3         the version, when the run starts from a Git tag such as v1.2.3
name: 'Publish [[.Image]]'

on:
  push:
    tags:
      - 'v*.*.*'
    # Change main if the repository's default branch has another name.
    branches:
      - main
  workflow_dispatch:

jobs:
  publish:
    runs-on: ubuntu-latest
    # The job's token may read the code and write packages, nothing more.
    permissions:
      contents: read
      packages: write
    steps:
      - name: Check out the repository
        uses: [[.Checkout]]
        with:
          persist-credentials: false

      - name: 'Log in to [[.Registry]]'
        uses: [[.Login]]
        with:
          registry: '[[.Registry]]'
          username: ${{ github.actor }}
          password: ${{ secrets.GITHUB_TOKEN }}

      - name: Work out the tags and labels
        id: meta
        uses: [[.Metadata]]
        with:
          images: '[[.Image]]'
          # Without this, a version tag would also push latest.
          flavor: |
            latest=false
          tags: |
            type=semver,pattern={{version}}
            type=sha,prefix=sha-,format=short
            type=raw,value=run-${{ github.run_id }}

      - name: Build and push the image
        uses: [[.BuildPush]]
        with:
          context: .
          push: true
          tags: ${{ steps.meta.outputs.tags }}
          # The labels include org.opencontainers.image.source, which links
          # the package to this repository so that it inherits its access.
          labels: ${{ steps.meta.outputs.labels }}
          # A provenance attestation turns the tag into an OCI image index,
          # which some container runtimes have failed to pull.
          provenance: false
`))
