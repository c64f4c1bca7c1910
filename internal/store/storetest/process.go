package storetest

import (
	"bytes"
	"os"
	"os/exec"
	"regexp"
	"testing"
)

// RunInProcesses runs the test binary n times at once, each running only the
// test called name with env (KEY=value) added to its environment, and fails
// t for each run that fails. It stands in for replicas of the portal
// starting together; the named test should skip itself when env is absent.
func RunInProcesses(t testing.TB, n int, name string, env ...string) {
	t.Helper()
	cmds := make([]*exec.Cmd, n)
	outputs := make([]bytes.Buffer, n)
	for i := range cmds {
		cmds[i] = exec.CommandContext(t.Context(), os.Args[0],
			"-test.run=^"+regexp.QuoteMeta(name)+"$", "-test.count=1")
		cmds[i].Env = append(os.Environ(), env...)
		cmds[i].Stdout, cmds[i].Stderr = &outputs[i], &outputs[i]
		if err := cmds[i].Start(); err != nil {
			t.Fatalf("start process %d: %v", i, err)
		}
	}
	for i, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Errorf("process %d: %v\n%s", i, err, outputs[i].String())
		}
	}
}
