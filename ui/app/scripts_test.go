package app

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"konto/api"
	"konto/api/apitest"
	"konto/api/sandbox"
	"konto/ui/sshserve/sshtest"
)

// scriptNow is the sandbox's start in these tests (never the wall clock).
const scriptNow = "2026-12-03T17:42:00+01:00"

func scriptStart(t *testing.T) time.Time {
	t.Helper()
	at, err := time.Parse(time.RFC3339, scriptNow)
	if err != nil {
		t.Fatal(err)
	}
	return at
}

// runBinary runs the built konto with args and a home of its own; env adds
// variables. It returns the exit status, stdout and stderr.
func runBinary(t *testing.T, home string, env []string, args ...string) (int, string, string) {
	t.Helper()
	if testing.Short() {
		t.Skip("e2e tests skipped in -short mode")
	}
	bin, err := kontoBinary()
	if err != nil {
		t.Skipf("konto does not build, e2e test skipped: %v", err)
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = append(cleanEnv(), "HOME="+home,
		"XDG_CONFIG_HOME="+filepath.Join(home, "config"),
		"XDG_CACHE_HOME="+filepath.Join(home, "cache"),
		"XDG_DATA_HOME="+filepath.Join(home, "data"),
		"DBUS_SESSION_BUS_ADDRESS=disabled:", "TZ=Europe/Berlin")
	cmd.Env = append(cmd.Env, env...)
	cmd.Dir = home
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	return exitCode(err), stdout.String(), stderr.String()
}

// referenceBank is the sandbox konto --demo --now scriptNow starts, with a
// client of its demo user.
func referenceBank(t *testing.T) (*sandbox.Bank, *api.Client, string) {
	t.Helper()
	start := scriptStart(t)
	bank, err := sandbox.New(sandbox.Options{Now: func() time.Time { return start }, BasicPerMinute: -1})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(bank)
	t.Cleanup(srv.Close)
	client, err := api.New(srv.URL, apitest.BasicAuth(sandbox.DefaultLogin, sandbox.DefaultPassword))
	if err != nil {
		t.Fatal(err)
	}
	return bank, client, srv.URL
}

func TestScriptCommandsAsTheBinary(t *testing.T) {
	t.Parallel()
	_, client, _ := referenceBank(t)
	ctx := context.Background()
	accs, err := client.Accounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	txs, err := client.SyncTransactions(ctx, accs[0].ID, api.SyncOptions{})
	if err != nil {
		t.Fatal(err)
	}
	home := t.TempDir()
	demo := []string{"--demo", "--now", scriptNow}

	code, out, errOut := runBinary(t, home, nil, append([]string{"balance", "--json"}, demo...)...)
	var gotAccs []api.Account
	if code != 0 || errOut != "" || json.Unmarshal([]byte(out), &gotAccs) != nil || !reflect.DeepEqual(gotAccs, accs) {
		t.Errorf("konto balance --demo --json: status %d, stderr %q, stdout %.200q; the bank has %+v", code, errOut, out, accs)
	}
	// KONTO_SANDBOX_NOW is the same as --now.
	code, out, _ = runBinary(t, home, []string{"KONTO_SANDBOX_NOW=" + scriptNow}, "tx", "--demo", "--json")
	var gotTx []api.Transaction
	if code != 0 || json.Unmarshal([]byte(out), &gotTx) != nil || len(gotTx) != len(txs) {
		t.Fatalf("konto tx --demo --json: status %d, %d bookings, the bank has %d", code, len(gotTx), len(txs))
	}
	byID := map[int64]api.Transaction{}
	for _, tx := range txs {
		byID[tx.ID] = tx
	}
	for _, tx := range gotTx {
		if want, ok := byID[tx.ID]; !ok || want.Amount != tx.Amount || !want.BookingDate.Equal(tx.BookingDate.Time) {
			t.Fatalf("booking %d differs from the bank's", tx.ID)
		}
	}
	code, out, _ = runBinary(t, home, nil, append([]string{"export", "--format", "hledger"}, demo...)...)
	if code != 0 || !strings.Contains(out, "konto-id:") {
		t.Fatalf("konto export --format hledger: status %d", code)
	}
	if _, err := exec.LookPath("hledger"); err != nil {
		t.Logf("hledger not installed (apt-get install hledger): the journal is not read back")
	} else {
		journal := filepath.Join(home, "j")
		if err := os.WriteFile(journal, []byte(out), 0o600); err != nil {
			t.Fatal(err)
		}
		bal, err := exec.Command("hledger", "-f", journal, "bal", "assets:bank:kontist:main", "-N", "--layout=bare").Output()
		if err != nil {
			t.Fatalf("hledger bal: %v", err)
		}
		if fields := strings.Fields(string(bal)); len(fields) != 3 || fields[0] != centsText(accs[0].Balance) || fields[1] != "EUR" {
			t.Errorf("hledger bal says %q, the bank %s EUR", bal, centsText(accs[0].Balance))
		}
	}
	code, out, errOut = runBinary(t, home, nil, append([]string{"tx", "amt:>abc"}, demo...)...)
	if code != 2 || out != "" || !strings.Contains(errOut, "amt:>abc") {
		t.Errorf("an invalid query token: status %d, stdout %q, stderr %q", code, out, errOut)
	}
}

// centsText writes cents as hledger does: 52070.32, -9.78.
func centsText(cents int64) string {
	sign := ""
	if cents < 0 {
		sign, cents = "-", -cents
	}
	return fmt.Sprintf("%s%d.%02d", sign, cents/100, cents%100)
}

func TestScriptCommandWithoutSessionSaysLogIn(t *testing.T) {
	t.Parallel()
	code, out, errOut := runBinary(t, t.TempDir(), nil, "balance", "--json")
	if code != 4 || out != "" || !strings.Contains(errOut, "konto login") || strings.Count(errOut, "\n") != 1 {
		t.Errorf("status %d, stdout %q, stderr %q: want 4 and one line saying to run konto login", code, out, errOut)
	}
}

func TestScriptCommandOfflineAnswersFromTheCache(t *testing.T) {
	t.Parallel()
	start := scriptStart(t)
	bank, err := sandbox.New(sandbox.Options{Now: func() time.Time { return start }, BasicPerMinute: -1})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(bank)
	defer srv.Close()
	refresh, err := sandboxRefreshToken(context.Background(), srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	home := t.TempDir()
	env := []string{"KONTO_REFRESH_TOKEN=" + refresh}
	args := []string{"tx", "--limit", "20", "--csv", "--profile", "p", "--api-url", srv.URL}
	code, online, errOut := runBinary(t, home, env, args...)
	if code != 0 || errOut != "" || strings.Count(online, "\n") != 21 {
		t.Fatalf("online: status %d, stderr %q, %d lines", code, errOut, strings.Count(online, "\n"))
	}
	srv.Close()
	code, offline, errOut := runBinary(t, home, env, args...)
	if code != 0 || offline != online || !strings.HasPrefix(errOut, "offline: data as of ") || strings.Count(errOut, "\n") != 1 {
		t.Errorf("offline: status %d, stderr %q, same output as online: %v", code, errOut, offline == online)
	}
}

// sshRun runs command on the server without a PTY (or with one) and
// returns the exit status, stdout and stderr.
func sshRun(t *testing.T, h *serveHarness, key gossh.Signer, command string, pty bool) (int, string, string) {
	t.Helper()
	client, err := sshtest.Dial(h.addr, key, h.hostKey)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	defer client.Close()
	sess, err := client.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	if pty {
		if err := sess.RequestPty("xterm", 24, 80, gossh.TerminalModes{}); err != nil {
			t.Fatal(err)
		}
	}
	var stdout, stderr bytes.Buffer
	sess.Stdout, sess.Stderr = &stdout, &stderr
	err = sess.Run(command)
	var exit *gossh.ExitError
	switch {
	case err == nil:
		return 0, stdout.String(), stderr.String()
	case errors.As(err, &exit):
		return exit.ExitStatus(), stdout.String(), stderr.String()
	}
	t.Fatalf("ssh %s: %v", command, err)
	return 0, "", ""
}

func TestServeRunsReadCommandsWithoutPTY(t *testing.T) {
	t.Setenv("KONTO_SANDBOX_NOW", scriptNow)
	_, client, _ := referenceBank(t)
	accs, err := client.Accounts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	h := startServe(t, ServeOptions{Demo: true})
	key := sshtest.NewKey(t)

	code, out, errOut := sshRun(t, h, key, "balance --json", false)
	var got []api.Account
	if code != 0 || errOut != "" || json.Unmarshal([]byte(out), &got) != nil || !reflect.DeepEqual(got, accs) {
		t.Errorf("ssh balance --json: status %d, stderr %q, stdout %.200q", code, errOut, out)
	}
	code, out, _ = sshRun(t, h, key, "tx 'amt:>100' --csv", false)
	if lines := strings.Split(strings.TrimSpace(out), "\n"); code != 0 || len(lines) < 10 || !strings.HasPrefix(lines[0], "date,id,amount") {
		t.Errorf("ssh tx amt:>100 --csv: status %d, %d lines", code, len(lines))
	}
	for _, refused := range []string{"transfer", "login", "serve", "balance --profile other", "rm -rf /"} {
		code, out, errOut := sshRun(t, h, key, refused, false)
		if code != 2 || out != "" || strings.Count(errOut, "\n") != 1 {
			t.Errorf("ssh %s: status %d, stdout %q, stderr %q: want status 2 and one line", refused, code, out, errOut)
		}
	}
	if code, _, errOut := sshRun(t, h, key, "balance", true); code != 2 || !strings.Contains(errOut, "without a terminal") {
		t.Errorf("ssh -t balance: status %d, stderr %q", code, errOut)
	}
}

func TestServeRunsReadCommandsUnderTheKeysProfile(t *testing.T) {
	env := profileEnv(t)
	alice := sshtest.NewKey(t)
	keysPath := filepath.Join(t.TempDir(), "authorized_keys")
	writeFile(t, keysPath, sshtest.AuthorizedLine(alice, "alice", "alice@desk")+"\n"+sshtest.AuthorizedLine(sshtest.NewKey(t), "carol", ""))
	h := startServe(t, ServeOptions{AuthorizedKeys: keysPath})
	code, out, errOut := sshRun(t, h, alice, "accounts --tsv", false)
	if code != 0 || !strings.Contains(out, strings.ReplaceAll(env.aliceAccount, " ", "")) || strings.Contains(out, strings.ReplaceAll(env.bobAccount, " ", "")) {
		t.Errorf("alice's accounts: status %d, stderr %q, stdout %q", code, errOut, out)
	}
	if strings.Contains(h.logs.String(), env.secret) {
		t.Error("the log holds a refresh token")
	}
}

// sandboxRefreshToken logs in to the sandbox at baseURL as its demo user.
func sandboxRefreshToken(ctx context.Context, baseURL string) (string, error) {
	c, err := api.New(baseURL, nil)
	if err != nil {
		return "", err
	}
	return c.CreateRefreshToken(ctx, api.Credentials{Email: sandbox.DefaultLogin, Password: sandbox.DefaultPassword})
}
