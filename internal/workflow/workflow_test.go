package workflow

import (
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rhysd/actionlint"

	"ghcrportal/internal/onboarding"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

const testOrg = "ImperialCollegeLondon"

// mustParseImage parses an image as step 1 does, failing the test on any
// problem.
func mustParseImage(t *testing.T, repository, imageName, registry string) onboarding.Image {
	t.Helper()
	in := onboarding.ImageInput{Repository: repository, ImageName: imageName, Tag: "1.0.1"}
	img, problems := onboarding.ParseImage(in, testOrg, registry)
	if len(problems) > 0 {
		t.Fatalf("ParseImage(%q): %v", in, problems)
	}
	return img
}

// lint returns actionlint's findings on a workflow.
func lint(t *testing.T, yaml string) []*actionlint.Error {
	t.Helper()
	linter, err := actionlint.NewLinter(io.Discard, &actionlint.LinterOptions{})
	if err != nil {
		t.Fatalf("NewLinter: %v", err)
	}
	findings, err := linter.Lint("<stdin>", []byte(yaml), nil)
	if err != nil {
		t.Fatalf("Lint: %v", err)
	}
	return findings
}

// stepsOf parses a workflow and returns the steps of its one job.
func stepsOf(t *testing.T, yaml string) []*actionlint.Step {
	t.Helper()
	w, errs := actionlint.Parse([]byte(yaml))
	if len(errs) > 0 {
		t.Fatalf("Parse: %v", errs)
	}
	if len(w.Jobs) != 1 {
		t.Fatalf("workflow has %d jobs, want 1", len(w.Jobs))
	}
	for _, job := range w.Jobs {
		return job.Steps
	}
	return nil
}

// actionKeys are the inputs that the tests look at.
var actionKeys = []string{
	"registry", "username", "password",
	"images", "flavor", "tags",
	"context", "push", "labels", "provenance",
}

// actionInputs returns, for each step that uses an action, the action and
// the inputs that the test looks at.
func actionInputs(t *testing.T, steps []*actionlint.Step) []map[string]string {
	t.Helper()
	var got []map[string]string
	for _, s := range steps {
		exec, ok := s.Exec.(*actionlint.ExecAction)
		if !ok {
			t.Fatalf("step %v does not use an action", s.Name)
		}
		m := map[string]string{"uses": exec.Uses.Value}
		for _, key := range actionKeys {
			if in, ok := exec.Inputs[key]; ok {
				m[key] = in.Value.Value
			}
		}
		got = append(got, m)
	}
	return got
}

func TestPublishLintsCleanAndNamesTheImage(t *testing.T) {
	tests := []struct {
		name       string
		repository string
		imageName  string
		registry   string
		wantImage  string
		wantFile   string
	}{
		{"dots, dashes and underscores", "ImperialCollegeLondon/my.repo-x_y", "a.b-c__d_e",
			"ghcr.io", "ghcr.io/imperialcollegelondon/my.repo-x_y/a.b-c__d_e",
			"publish-a.b-c-d_e.yml"},
		{"nested image name", "ImperialCollegeLondon/my-repo", "tools/api", "ghcr.io",
			"ghcr.io/imperialcollegelondon/my-repo/tools/api", "publish-tools-api.yml"},
		{"no image name", "ImperialCollegeLondon/my-repo", "", "ghcr.io",
			"ghcr.io/imperialcollegelondon/my-repo", "publish-my-repo.yml"},
		{"registry with a port", "ImperialCollegeLondon/my-repo", "api", "127.0.0.1:5000",
			"127.0.0.1:5000/imperialcollegelondon/my-repo/api", "publish-api.yml"},
		{"upper-case owner and names", "IMPERIALCOLLEGELONDON/My-Repo", "My-API", "ghcr.io",
			"ghcr.io/imperialcollegelondon/my-repo/my-api", "publish-my-api.yml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			img := mustParseImage(t, tt.repository, tt.imageName, tt.registry)
			yaml, err := Publish(img)
			if err != nil {
				t.Fatalf("Publish: %v", err)
			}
			for _, f := range lint(t, yaml) {
				t.Errorf("actionlint: %s", f.Error())
			}

			want := []map[string]string{
				{"uses": "actions/checkout@v6"},
				{"uses": "docker/login-action@v4", "registry": tt.registry,
					"username": "${{ github.actor }}",
					"password": "${{ secrets.GITHUB_TOKEN }}"},
				{"uses": "docker/metadata-action@v6", "images": tt.wantImage,
					"flavor": "latest=false\n",
					"tags": "type=semver,pattern={{version}}\n" +
						"type=sha,prefix=sha-,format=short\n" +
						"type=raw,value=run-${{ github.run_id }}\n"},
				{"uses": "docker/build-push-action@v7", "context": ".", "push": "true",
					"tags":       "${{ steps.meta.outputs.tags }}",
					"labels":     "${{ steps.meta.outputs.labels }}",
					"provenance": "false"},
			}
			if diff := cmp.Diff(want, actionInputs(t, stepsOf(t, yaml))); diff != "" {
				t.Errorf("steps mismatch (-want +got):\n%s", diff)
			}
			if got := FileName(img); got != tt.wantFile {
				t.Errorf("FileName = %q, want %q", got, tt.wantFile)
			}
		})
	}
}

func TestPublishGolden(t *testing.T) {
	img := mustParseImage(t, "ImperialCollegeLondon/my-repo", "my-image", "ghcr.io")
	got, err := Publish(img)
	if err != nil {
		t.Fatalf("Publish: %v", err)
	}
	golden := filepath.Join("testdata", "publish.golden.yml")
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatalf("write golden file: %v", err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("read golden file (run go test ./internal/workflow -update): %v", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("Publish mismatch (-want +got):\n%s", diff)
	}
}

func TestPublishRefusesUnsafeValues(t *testing.T) {
	good := mustParseImage(t, "ImperialCollegeLondon/my-repo", "api", "ghcr.io")
	tests := []struct {
		name   string
		change func(*onboarding.Image)
	}{
		{"registry with a newline", func(i *onboarding.Image) { i.Registry = "ghcr.io\nx: y" }},
		{"registry with a quote", func(i *onboarding.Image) { i.Registry = "ghcr.io'" }},
		{"no registry", func(i *onboarding.Image) { i.Registry = "" }},
		{"expression in the name", func(i *onboarding.Image) {
			i.Name = "${{ secrets.GITHUB_TOKEN }}"
		}},
		{"comment in the name", func(i *onboarding.Image) { i.Name = "api #x" }},
		{"newline in the repository", func(i *onboarding.Image) { i.Repo = "r\non: push" }},
		{"quote in the owner", func(i *onboarding.Image) { i.Owner = "Imperial'College" }},
		{"no owner", func(i *onboarding.Image) { i.Owner = "" }},
		{"name that breaks the path grammar", func(i *onboarding.Image) { i.Name = "-api" }},
		{"path too long", func(i *onboarding.Image) { i.Name = strings.Repeat("a", 250) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			img := good
			tt.change(&img)
			got, err := Publish(img)
			if !errors.Is(err, ErrUnsafeValue) {
				t.Errorf("Publish error = %v, want ErrUnsafeValue", err)
			}
			if got != "" {
				t.Errorf("Publish returned a workflow despite the error:\n%s", got)
			}
		})
	}
}

func TestFileName(t *testing.T) {
	tests := []struct {
		name string
		img  onboarding.Image
		want string
	}{
		{"image name", onboarding.Image{Repo: "my-repo", Name: "api"}, "publish-api.yml"},
		{"repository when there is no image name", onboarding.Image{Repo: "My.Repo"},
			"publish-my.repo.yml"},
		{"nested image name", onboarding.Image{Repo: "r", Name: "tools/api"},
			"publish-tools-api.yml"},
		{"double underscore", onboarding.Image{Repo: "r", Name: "my__api"}, "publish-my-api.yml"},
		{"parent directories", onboarding.Image{Repo: "../../etc/passwd"},
			"publish-etc-passwd.yml"},
		{"leading dot", onboarding.Image{Repo: ".github"}, "publish-github.yml"},
		{"absolute path", onboarding.Image{Name: "/etc/cron.d/x"}, "publish-etc-cron.d-x.yml"},
		{"command substitution", onboarding.Image{Name: "$(rm -rf ~)"}, "publish-rm-rf.yml"},
		{"newline and quote", onboarding.Image{Name: "a\nb'c"}, "publish-a-b-c.yml"},
		{"backslashes", onboarding.Image{Name: `..\..\x`}, "publish-x.yml"},
		{"homoglyph", onboarding.Image{Name: "\u0430pi"}, "publish-pi.yml"},
		{"nothing usable", onboarding.Image{Name: "../.."}, "publish-image.yml"},
		{"empty image", onboarding.Image{}, "publish-image.yml"},
		{"long name", onboarding.Image{Name: strings.Repeat("ab.", 40)},
			"publish-" + strings.Repeat("ab.", 21) + "a.yml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := FileName(tt.img)
			if got != tt.want {
				t.Errorf("FileName = %q, want %q", got, tt.want)
			}
			if !fileNameAllowed.MatchString(got) {
				t.Errorf("FileName = %q, which has characters outside [a-z0-9._-]", got)
			}
		})
	}
}
