package app

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"konto/api"
	"konto/api/sandbox"
)

// TestWholeProcessFigures measures konto as a user runs it, against
// `konto sandbox --transactions N` in a process of its own: a cold start
// (full sync into an empty cache), peak and steady memory, 30 s of idle
// CPU and bytes to the terminal, a warm start, and an offline start (the
// sandbox stopped). It asserts nothing and runs only with KONTO_BENCH_1M=1
// (KONTO_BENCH_N=100000 for another size; KONTO_BENCH_IDLE=0 skips the
// idle wait); the figures are in its log (go test -v).
func TestWholeProcessFigures(t *testing.T) {
	if os.Getenv("KONTO_BENCH_1M") == "" {
		t.Skip("set KONTO_BENCH_1M=1 for the whole-process figures")
	}
	n := 1_000_000
	if s := os.Getenv("KONTO_BENCH_N"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil {
			t.Fatalf("KONTO_BENCH_N: %v", err)
		}
	}
	bin, err := kontoBinary()
	if err != nil {
		t.Fatal(err)
	}
	sb, url := startSandboxProcess(t, bin, n)
	client, err := api.New(url, nil)
	if err != nil {
		t.Fatal(err)
	}
	refresh, err := client.CreateRefreshToken(context.Background(), api.Credentials{Email: sandbox.DefaultLogin, Password: sandbox.DefaultPassword})
	if err != nil {
		t.Fatal(err)
	}
	env := []string{"KONTO_REFRESH_TOKEN=" + refresh}
	args := []string{"--api-url", url, "--insecure-storage"}
	home := t.TempDir()
	full := regexp.MustCompile(`\b` + strconv.Itoa(n) + ` bookings\s`)
	synced := func(s string) bool { return full.MatchString(s) && !strings.Contains(s, "syncing") }
	someRows := func(s string) bool { return strings.Contains(s, " bookings") }
	deadline := 5 * time.Minute

	// Cold: an empty cache, the whole history from the bank.
	start := time.Now()
	tm := startKontoHome(t, home, env, 120, 40, args...)
	tm.waitUntil(t, deadline, "the first bookings", someRows)
	firstFrame := time.Since(start)
	tm.waitUntil(t, deadline, "the full sync", synced)
	cold := time.Since(start)
	pid := tm.cmd.Process.Pid
	peak, rss := procKiB(t, pid, "VmHWM"), procKiB(t, pid, "VmRSS")
	t.Logf("%d bookings, cold start: first bookings %v, full sync %v, peak RSS %d MiB, RSS after sync %d MiB",
		n, firstFrame.Round(time.Millisecond), cold.Round(time.Millisecond), peak>>10, rss>>10)

	if os.Getenv("KONTO_BENCH_IDLE") != "0" {
		time.Sleep(2 * time.Second) // the index and the cache write settle
		cpu0, raw0 := procCPU(t, pid), len(tm.Raw())
		time.Sleep(30 * time.Second)
		cpu, bytes := procCPU(t, pid)-cpu0, len(tm.Raw())-raw0
		t.Logf("idle 30 s: CPU %v (%.2f %%), %d bytes to the terminal, RSS then %d MiB (%d MiB anonymous)", cpu, float64(cpu)*100/float64(30*time.Second), bytes, procKiB(t, pid, "VmRSS")>>10, procKiB(t, pid, "RssAnon")>>10)
	}
	tm.Send("q")
	if code := tm.Wait(); code != 0 {
		t.Fatalf("cold run: exit %d", code)
	}

	// Warm: the cache paints, the sync brings what is new (nothing).
	start = time.Now()
	tm = startKontoHome(t, home, env, 120, 40, args...)
	tm.waitUntil(t, deadline, "the first bookings", someRows)
	firstFrame = time.Since(start)
	tm.waitUntil(t, deadline, "the whole history", func(s string) bool { return full.MatchString(s) })
	whole := time.Since(start)
	tm.waitUntil(t, deadline, "the sync", synced)
	warm := time.Since(start)
	pid = tm.cmd.Process.Pid
	t.Logf("warm start: first frame %v, whole history %v, synced %v, peak RSS %d MiB, RSS %d MiB",
		firstFrame.Round(time.Millisecond), whole.Round(time.Millisecond), warm.Round(time.Millisecond),
		procKiB(t, pid, "VmHWM")>>10, procKiB(t, pid, "VmRSS")>>10)
	tm.Send("/", "k", "a", "r", "l")
	filterStart := time.Now()
	tm.waitUntil(t, deadline, "the filter's result", func(s string) bool {
		return strings.Contains(s, "/ karl") && !strings.Contains(s, "matching")
	})
	t.Logf("filter \"karl\" typed at once: result on screen after %v, RSS %d MiB (%d MiB of it the heap and stacks, %d MiB the binary's pages)",
		time.Since(filterStart).Round(time.Millisecond), procKiB(t, pid, "VmRSS")>>10, procKiB(t, pid, "RssAnon")>>10, procKiB(t, pid, "RssFile")>>10)
	// esc and q sent together can reach konto as one alt+q: q waits
	// for the filter line to close.
	tm.Send("esc")
	tm.waitUntil(t, deadline, "the filter closed", func(s string) bool { return !strings.Contains(s, "/ karl") })
	tm.Send("q")
	if code := tm.Wait(); code != 0 {
		t.Fatalf("warm run: exit %d", code)
	}

	// Offline: the bank is gone; the cache is the history.
	stopSandboxProcess(t, sb)
	start = time.Now()
	tm = startKontoHome(t, home, env, 120, 40, args...)
	tm.waitUntil(t, deadline, "the first bookings", someRows)
	firstFrame = time.Since(start)
	tm.waitUntil(t, deadline, "the whole cached history", func(s string) bool { return full.MatchString(s) })
	t.Logf("offline start: first frame %v, whole history browsable %v (%v after the first frame)",
		firstFrame.Round(time.Millisecond), time.Since(start).Round(time.Millisecond), (time.Since(start) - firstFrame).Round(time.Millisecond))
	tm.Send("q")
	tm.Wait()
}

type sandboxProcess struct {
	cmd     *exec.Cmd
	timeLog string
}

// startSandboxProcess runs `konto sandbox` under /usr/bin/time -v (when
// there) and returns its URL once it listens.
func startSandboxProcess(t *testing.T, bin string, n int) (*sandboxProcess, string) {
	t.Helper()
	sp := &sandboxProcess{timeLog: filepath.Join(t.TempDir(), "time.log")}
	args := []string{"sandbox", "--transactions", strconv.Itoa(n), "--listen", "127.0.0.1:0"}
	if _, err := os.Stat("/usr/bin/time"); err == nil {
		sp.cmd = exec.Command("/usr/bin/time", append([]string{"-v", "-o", sp.timeLog, bin}, args...)...)
	} else {
		sp.cmd = exec.Command(bin, args...)
	}
	// A group of its own: /usr/bin/time ignores SIGINT, the group gets it.
	sp.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	out, err := sp.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := sp.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stopSandboxProcess(t, sp) })
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if url, ok := strings.CutPrefix(sc.Text(), "konto sandbox listening on "); ok {
			t.Logf("sandbox with %d bookings listening after %v", n, time.Since(start).Round(time.Millisecond))
			go func() {
				for sc.Scan() { // the request log, drained
				}
			}()
			return sp, url
		}
	}
	t.Fatalf("the sandbox did not start: %v", sc.Err())
	return nil, ""
}

func stopSandboxProcess(t *testing.T, sp *sandboxProcess) {
	if sp.cmd.ProcessState != nil {
		return
	}
	_ = syscall.Kill(-sp.cmd.Process.Pid, syscall.SIGINT)
	_ = sp.cmd.Wait()
	if data, err := os.ReadFile(sp.timeLog); err == nil {
		for _, line := range strings.Split(string(data), "\n") {
			if strings.Contains(line, "Maximum resident") || strings.Contains(line, "Elapsed") || strings.Contains(line, "User time") {
				t.Logf("sandbox: %s", strings.TrimSpace(line))
			}
		}
	}
}

// procKiB reads a "VmXXX: N kB" line of /proc/PID/status.
func procKiB(t *testing.T, pid int, field string) int {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, field+":"); ok {
			v, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(rest), " kB"))
			return v
		}
	}
	return 0
}

// procCPU is the user and system CPU time of a process (/proc/PID/stat).
func procCPU(t *testing.T, pid int) time.Duration {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		t.Fatal(err)
	}
	// Fields after the command name (which is in parentheses): utime is the
	// 14th field of the line, stime the 15th, in clock ticks (100 a second).
	rest := string(data[strings.LastIndexByte(string(data), ')')+2:])
	f := strings.Fields(rest)
	ut, _ := strconv.Atoi(f[11])
	st, _ := strconv.Atoi(f[12])
	return time.Duration(ut+st) * 10 * time.Millisecond
}
