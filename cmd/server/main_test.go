package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"ghcrportal/internal/store/storetest"
)

// binary is the portal built once for every test in this package.
var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

func portalBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "portal-bin")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "portal")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// process is a running portal and what it has logged.
type process struct {
	cmd  *exec.Cmd
	logs chan map[string]any
	all  *strings.Builder
	mu   sync.Mutex
	addr string
	done chan error
}

// start runs the portal with env (and nothing else from this environment),
// and waits until it says where it listens.
func start(t *testing.T, env ...string) *process {
	t.Helper()
	cmd := exec.Command(portalBinary(t))
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "LOG_FORMAT=json",
		"PORTAL_ADDR=127.0.0.1:0", "PORTAL_DATA_DIR=" + t.TempDir()}, env...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	p := &process{cmd: cmd, logs: make(chan map[string]any, 1000), all: &strings.Builder{},
		done: make(chan error, 1)}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go p.read(stderr)
	go func() { p.done <- cmd.Wait() }()
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	p.addr = p.waitFor(t, "listening")["addr"].(string)
	return p
}

func (p *process) read(r io.Reader) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		p.mu.Lock()
		p.all.WriteString(sc.Text() + "\n")
		p.mu.Unlock()
		var line map[string]any
		if json.Unmarshal(sc.Bytes(), &line) == nil {
			p.logs <- line
		}
	}
	close(p.logs)
}

func (p *process) output() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.all.String()
}

// waitFor returns the first log line with the given message.
func (p *process) waitFor(t *testing.T, msg string) map[string]any {
	t.Helper()
	timeout := time.After(30 * time.Second)
	for {
		select {
		case line, ok := <-p.logs:
			if !ok {
				t.Fatalf("the portal exited before logging %q:\n%s", msg, p.output())
			}
			if line["msg"] == msg {
				return line
			}
		case <-timeout:
			t.Fatalf("the portal did not log %q:\n%s", msg, p.output())
		}
	}
}

func TestStartsWithNoConfiguration(t *testing.T) {
	p := start(t)
	if !strings.Contains(p.output(), "DEVELOPMENT SIGN-IN IS ON") {
		t.Errorf("start-up does not warn that development sign-in is on:\n%s", p.output())
	}
	if !strings.Contains(p.output(), "embedded SQLite") {
		t.Errorf("start-up does not say where the data lives:\n%s", p.output())
	}
	for _, path := range []string{"/healthz", "/readyz", "/sign-in"} {
		resp, err := http.Get("http://" + p.addr + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s: status %d", path, resp.StatusCode)
		}
	}
}

func TestStartsOnPostgres(t *testing.T) {
	p := start(t, "DATABASE_URL="+storetest.PostgresURL(t))
	resp, err := http.Get("http://" + p.addr + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET /readyz: status %d", resp.StatusCode)
	}
	if strings.Contains(p.output(), "embedded SQLite") {
		t.Error("the portal uses SQLite although DATABASE_URL is set")
	}
}

func TestRefusesBadConfigurationBeforeListening(t *testing.T) {
	cmd := exec.Command(portalBinary(t))
	cmd.Env = []string{"PORTAL_ADDR=0.0.0.0:8080", "LOG_LEVEL=loud", "GITHUB_ORG=-bad-"}
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 {
		t.Fatalf("exit %v, want status 1; output:\n%s", err, out)
	}
	for _, want := range []string{"PORTAL_ADDR", "loopback", "LOG_LEVEL", "GITHUB_ORG"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("output does not mention %s:\n%s", want, out)
		}
	}
	if strings.Contains(string(out), "listening") {
		t.Error("the portal opened a listener despite bad configuration")
	}
}

// TestGracefulShutdown sends SIGTERM while a request is in flight: that
// request completes, new connections are refused, and the process exits 0.
func TestGracefulShutdown(t *testing.T) {
	p := start(t)
	conn, err := net.Dial("tcp", p.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	body := "display_name=Ada&role=staff"
	fmt.Fprintf(conn, "POST /auth/dev/sign-in HTTP/1.1\r\nHost: %s\r\n"+
		"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n%s",
		p.addr, len(body), body[:10])
	time.Sleep(200 * time.Millisecond)

	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	p.waitFor(t, "shutting down: finishing requests in flight")
	waitRefused(t, p.addr)

	fmt.Fprint(conn, body[10:])
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("the request in flight got no response: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Errorf("the request in flight: status %d, want 303", resp.StatusCode)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 25*time.Second)
	defer cancel()
	select {
	case err := <-p.done:
		if err != nil {
			t.Errorf("exit: %v, want status 0\n%s", err, p.output())
		}
	case <-ctx.Done():
		t.Fatal("the portal did not exit within 25 s of SIGTERM")
	}
}

// waitRefused waits until the address refuses connections, as it must soon
// after the listener closes.
func waitRefused(t *testing.T, addr string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err != nil {
			return
		}
		c.Close()
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("new connections were still accepted 5 s after SIGTERM")
}
