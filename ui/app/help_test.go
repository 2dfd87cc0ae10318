package app

import (
	"bytes"
	"os/exec"
	"strings"
	"testing"
)

// Each command's help is its own, the same from konto help TOPIC and from
// konto TOPIC --help.
func TestEachCommandHasItsOwnHelp(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	for _, tc := range []struct {
		topic   string
		want    []string
		notWant []string
	}{
		{"sandbox", []string{"konto sandbox: run the sandbox bank", "--listen", "--now TIME", "KONTO_SANDBOX_NOW", "/sandbox/clock"}, []string{"Dashboard flags", "--profile"}},
		{"serve", []string{"konto serve: serve the dashboard over SSH", "--authorized-keys"}, []string{"Dashboard flags", "--transactions"}},
		{"login", []string{"konto login: log in", "--profile", "--api-url", "--insecure-storage"},
			[]string{"--read-only", "--no-cache", "--resync", "--demo", "--layout", "--theme", "Dashboard flags"}},
		{"logout", []string{"konto logout: end the session", "--profile"}, []string{"--read-only", "--resync", "--demo"}},
		{"config", []string{"konto config path", "konto config example"}, []string{"--demo"}},
		{"accounts", []string{"konto accounts", "--json", "--profile", "Exit status"}, []string{"Dashboard flags"}},
		{"balance", []string{"konto balance", "--demo", "--api-url"}, []string{"Dashboard flags"}},
		{"tx", []string{"konto tx", "--limit", "--profile"}, []string{"Dashboard flags"}},
		{"orders", []string{"konto orders", "--standing"}, []string{"Dashboard flags"}},
		{"export", []string{"konto export", "--format"}, []string{"Dashboard flags"}},
		{"forecast", []string{"konto forecast", "--days"}, []string{"Dashboard flags"}},
		{"watch", []string{"konto watch", "--exec", "--interval"}, []string{"Dashboard flags"}},
		{"report", []string{"konto report", "--profile"}, []string{"Dashboard flags"}},
	} {
		var helpOut, flagOut, errOut bytes.Buffer
		if code := run([]string{"help", tc.topic}, &helpOut, &errOut); code != 0 || errOut.Len() > 0 {
			t.Errorf("konto help %s: exit %d, stderr %q", tc.topic, code, errOut.String())
		}
		if code := run([]string{tc.topic, "--help"}, &flagOut, &errOut); code != 0 || errOut.Len() > 0 {
			t.Errorf("konto %s --help: exit %d, stderr %q", tc.topic, code, errOut.String())
		}
		if helpOut.String() != flagOut.String() {
			t.Errorf("konto help %s and konto %s --help differ:\n%s\n----\n%s", tc.topic, tc.topic, helpOut.String(), flagOut.String())
		}
		for _, w := range tc.want {
			if !strings.Contains(helpOut.String(), w) {
				t.Errorf("konto help %s lacks %q", tc.topic, w)
			}
		}
		for _, w := range tc.notWant {
			if strings.Contains(helpOut.String(), w) {
				t.Errorf("konto help %s shows %q, which is not its own", tc.topic, w)
			}
		}
	}
	var general, dashHelp, dash, errOut bytes.Buffer
	if run([]string{"help"}, &general, &errOut) != 0 || !strings.Contains(general.String(), "konto help COMMAND") ||
		strings.Contains(general.String(), "Dashboard flags") {
		t.Errorf("konto help: %q", general.String())
	}
	if run([]string{"help", "dashboard"}, &dashHelp, &errOut) != 0 || run([]string{"--help"}, &dash, &errOut) != 0 ||
		dashHelp.String() != dash.String() || !strings.Contains(dash.String(), "Dashboard flags") || !strings.Contains(dash.String(), "--read-only") {
		t.Errorf("konto help dashboard and konto --help: %q / %q", dashHelp.String(), dash.String())
	}
	if code := run([]string{"help", "nosuch"}, &general, &errOut); code != 2 || !strings.Contains(errOut.String(), "sandbox, serve, login") {
		t.Errorf("konto help nosuch: exit %d, stderr %q", code, errOut.String())
	}
}

// A mistake on the command line is one line that names it and says where
// the usage is, exit 2; a flag that does not apply is refused.
func TestCommandLineMistakesAreOneLine(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	t.Setenv("KONTO_SANDBOX_NOW", "")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--bogus"}, "unknown flag --bogus"},
		{[]string{"-bogus"}, "unknown flag --bogus"},
		{[]string{"--seed", "x"}, `--seed "x": want a whole number`},
		{[]string{"--demo", "--check-window", "soon"}, `--check-window "soon": want a duration`},
		{[]string{"--demo", "--check-window", "-1s"}, "--check-window must not be negative"},
		{[]string{"--demo", "--seed"}, "--seed needs a value"},
		{[]string{"--demo", "--api-url", "http://127.0.0.1:1"}, "--api-url does not apply to --demo"},
		{[]string{"--demo", "--insecure-storage"}, "--insecure-storage does not apply to --demo"},
		{[]string{"--demo", "--transactions", "0"}, "--transactions must be at least 1, got 0"},
		{[]string{"--demo", "--faults", "boom@1"}, `--faults: fault rule "boom@1"`},
		{[]string{"--demo", "--now", "tomorrow"}, `--now "tomorrow" is not an RFC 3339 time`},
		{[]string{"--transactions", "0"}, "--transactions only applies with --demo"},
		{[]string{"--hostile"}, "--hostile only applies with --demo"},
		{[]string{"--demo", "--layout", "grid"}, "--layout: unknown layout"},
		{[]string{"dashbord"}, `no command "dashbord"`},
		{[]string{"login", "--read-only"}, "konto login: unknown flag --read-only"},
		{[]string{"login", "--demo"}, "konto login: unknown flag --demo"},
		{[]string{"logout", "extra"}, `konto logout: unexpected argument "extra"`},
		{[]string{"serve", "--bogus"}, "konto serve: unknown flag --bogus"},
		{[]string{"serve", "--max-sessions", "many"}, `konto serve: --max-sessions "many": want a whole number`},
		{[]string{"sandbox", "--bogus"}, "konto sandbox: unknown flag --bogus"},
		{[]string{"sandbox", "--transactions", "0"}, "konto sandbox: --transactions must be at least 1, got 0"},
		{[]string{"config", "nope"}, `konto config: say path or example, not "nope"`},
		{[]string{"config", "--bogus"}, "konto config: unknown flag --bogus"},
		{[]string{"tx", "--bogus"}, "konto tx: unknown flag --bogus"},
		{[]string{"tx", "--limit", "x"}, `konto tx: --limit "x": want a whole number`},
		{[]string{"accounts", "--json", "--csv"}, "konto accounts: --json, --csv and --tsv exclude each other"},
		{[]string{"orders", "--standing", "--timed"}, "konto orders: --standing and --timed exclude each other"},
		{[]string{"export", "--demo"}, "konto export: --format is missing"},
		{[]string{"forecast", "--days", "0"}, "konto forecast: --days 0"},
		{[]string{"watch", "--interval", "1ms"}, "konto watch: --interval 1ms: at least"},
		{[]string{"watch", "--bogus"}, "konto watch: unknown flag --bogus"},
		{[]string{"report", "--bogus"}, "konto report: unknown flag --bogus"},
		{[]string{"balance", "--demo", "--api-url", "http://127.0.0.1:1"}, "konto balance: --api-url does not apply to --demo"},
		{[]string{"balance", "--demo", "--insecure-storage"}, "konto balance: --insecure-storage does not apply to --demo"},
		{[]string{"balance", "--hostile"}, "konto balance: --hostile only applies with --demo"},
		{[]string{"balance", "--demo", "--transactions", "0"}, "konto balance: --transactions must be at least 1, got 0"},
		{[]string{"balance", "--demo", "--faults", "boom@1"}, `konto balance: --faults: fault rule "boom@1"`},
	} {
		var out, errOut bytes.Buffer
		code := run(tc.args, &out, &errOut)
		msg := errOut.String()
		if code != 2 || strings.Count(msg, "\n") != 1 || !strings.Contains(msg, tc.want) || !strings.Contains(msg, `Run "konto help`) || out.Len() > 0 {
			t.Errorf("konto %s: exit %d, stdout %q, stderr %q; want 2 and one line with %q and Run \"konto help…",
				strings.Join(tc.args, " "), code, out.String(), msg, tc.want)
		}
	}
}

// --demo --transactions 0 and konto sandbox --transactions 0 are refused by
// one rule in one wording.
func TestDemoAndSandboxShareTheirRules(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	for _, args := range [][]string{{"--transactions", "0"}, {"--transactions", "-3"}, {"--faults", "503@2"}} {
		var demoErr, sandboxErr, out bytes.Buffer
		run(append([]string{"--demo"}, args...), &out, &demoErr)
		run(append([]string{"sandbox", "--listen", "127.0.0.1:0"}, args...), &out, &sandboxErr)
		demo, _, _ := strings.Cut(strings.TrimPrefix(demoErr.String(), "konto: "), ". Run")
		sb, _, _ := strings.Cut(strings.TrimPrefix(sandboxErr.String(), "konto sandbox: "), ". Run")
		if demo == "" || demo != sb {
			t.Errorf("%v: --demo says %q, konto sandbox says %q", args, demoErr.String(), sandboxErr.String())
		}
	}
}

// Without a terminal (cron, a pipe, </dev/null) konto says so in a sentence.
func TestDashboardWithoutATerminal(t *testing.T) {
	if testing.Short() {
		t.Skip("builds konto")
	}
	bin, err := kontoBinary()
	if err != nil {
		t.Skipf("konto does not build: %v", err)
	}
	home := t.TempDir()
	for _, args := range [][]string{{"--demo"}, {"--api-url", "http://127.0.0.1:1"}} {
		cmd := exec.Command(bin, args...) // stdin /dev/null, stdout and stderr pipes
		cmd.Env = append(cleanEnv(), "HOME="+home, "XDG_CONFIG_HOME="+home, "XDG_CACHE_HOME="+home, "XDG_DATA_HOME="+home,
			"DBUS_SESSION_BUS_ADDRESS=disabled:")
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		msg := stderr.String()
		if exitCode(err) != 1 || strings.Count(msg, "\n") != 1 || !strings.Contains(msg, "the dashboard needs a terminal") ||
			strings.Contains(msg, "TTY") || stdout.Len() > 0 {
			t.Errorf("konto %v without a terminal: exit %d, stdout %q, stderr %q", args, exitCode(err), stdout.String(), msg)
		}
	}
}
func TestSandboxBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"--nope"}, {"--user", "nocolon"}, {"--seed", "x"}, {"--transactions", "0"}, {"--token-ttl", "-1s"},
		{"--faults", "boom@1"}, {"extra"}, {"--user", "a:b", "--user", "a:c"},
	} {
		var out, errOut bytes.Buffer
		code := run(append([]string{"sandbox", "--listen", "127.0.0.1:0"}, args...), &out, &errOut)
		msg := errOut.String()
		if code != 2 || strings.Count(msg, "\n") != 1 || !strings.HasPrefix(msg, "konto sandbox: ") {
			t.Errorf("%v: exit %d, stderr %q; want 2 and one line", args, code, msg)
		}
	}
}
