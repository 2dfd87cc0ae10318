package sshserve

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	gossh "golang.org/x/crypto/ssh"

	"konto/ui/sshserve/sshtest"
)

func TestHostKeyCreatedOnceThenReused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "ssh_host_ed25519_key")
	first, created, err := LoadOrCreateHostKey(path)
	if err != nil || !created {
		t.Fatalf("first start: created=%v err=%v", created, err)
	}
	if first.PublicKey().Type() != gossh.KeyAlgoED25519 {
		t.Errorf("key type %s, want ed25519", first.PublicKey().Type())
	}
	info, err := os.Stat(path)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %v (%v), want 0600", info.Mode().Perm(), err)
	}
	if dir, _ := os.Stat(filepath.Dir(path)); dir.Mode().Perm() != 0o700 {
		t.Errorf("key directory mode %v, want 0700", dir.Mode().Perm())
	}
	again, created, err := LoadOrCreateHostKey(path)
	if err != nil || created {
		t.Fatalf("second start: created=%v err=%v", created, err)
	}
	if Fingerprint(again.PublicKey()) != Fingerprint(first.PublicKey()) {
		t.Fatal("the host key changed between starts")
	}
	if !strings.HasPrefix(Fingerprint(first.PublicKey()), "SHA256:") {
		t.Errorf("fingerprint %q", Fingerprint(first.PublicKey()))
	}
}

func TestHostKeyReadableByOthersRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "key")
	if _, _, err := LoadOrCreateHostKey(path); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := LoadOrCreateHostKey(path); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Fatalf("err = %v, want a refusal saying chmod 600", err)
	}
}

func TestParseAuthorizedKeys(t *testing.T) {
	work, home, bare := sshtest.NewKey(t), sshtest.NewKey(t), sshtest.NewKey(t)
	text := strings.Join([]string{
		"# comment",
		"",
		sshtest.AuthorizedLine(work, "work", "me@laptop"),
		"  " + sshtest.AuthorizedLine(home, "home.2", ""),
		sshtest.AuthorizedLine(bare, "", "no profile"),
		sshtest.AuthorizedLine(work, "work", "listed twice, same profile"),
	}, "\n")
	keys, err := ParseAuthorizedKeys("ak", []byte(text), nil)
	if err != nil {
		t.Fatal(err)
	}
	if keys.Len() != 3 {
		t.Fatalf("%d keys, want 3", keys.Len())
	}
	for key, want := range map[gossh.Signer]AuthorizedKey{
		work: {Profile: "work", Comment: "me@laptop", Line: 3},
		home: {Profile: "home.2", Line: 4},
		bare: {Comment: "no profile", Line: 5},
	} {
		got, ok := keys.Lookup(key.PublicKey())
		if !ok || got.Profile != want.Profile || got.Comment != want.Comment || got.Line != want.Line {
			t.Errorf("lookup: %+v %v, want %+v", got, ok, want)
		}
	}
	if _, ok := keys.Lookup(sshtest.NewKey(t).PublicKey()); ok {
		t.Error("an unlisted key was found")
	}
}

func TestParseAuthorizedKeysErrors(t *testing.T) {
	errNoSuchName := errors.New("no such name")
	key := sshtest.NewKey(t)
	plain := sshtest.AuthorizedLine(key, "", "")
	for name, tc := range map[string]struct{ text, want string }{
		"garbage":          {"# ok\nnot a key", "ak:2: not a public key line"},
		"other option":     {`from="10.0.0.0/8" ` + plain, `ak:1: option "from" is not supported`},
		"empty profile":    {`konto-profile="" ` + plain, "ak:1: konto-profile needs a profile name"},
		"bad profile":      {`konto-profile="../x" ` + plain, "ak:1: konto-profile: no such name"},
		"two profiles":     {sshtest.AuthorizedLine(key, "a", "") + "\n" + sshtest.AuthorizedLine(key, "b", ""), "ak:2: this key is already on line 1 with another profile"},
		"profile no quote": {"konto-profile " + plain, "ak:1: konto-profile needs a profile name"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := ParseAuthorizedKeys("ak", []byte(tc.text), func(p string) error {
				if strings.Contains(p, "/") {
					return errNoSuchName
				}
				return nil
			})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
		})
	}
}

func TestAuthorizedKeysFileFollowsEdits(t *testing.T) {
	first, second := sshtest.NewKey(t), sshtest.NewKey(t)
	path := writeKeys(t, sshtest.AuthorizedLine(first, "work", ""))
	f := &authorizedKeysFile{path: path}
	if err := f.load(); err != nil {
		t.Fatal(err)
	}
	keys, _ := f.current()
	if _, ok := keys.Lookup(first.PublicKey()); !ok {
		t.Fatal("first key not loaded")
	}
	// Revoke the first key, add the second (a different size, so the
	// change is seen even within the file system's time granularity).
	if err := os.WriteFile(path, []byte("# rotated\n"+sshtest.AuthorizedLine(second, "work", "")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	keys, err := f.current()
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := keys.Lookup(first.PublicKey()); ok {
		t.Error("a revoked key is still accepted")
	}
	if _, ok := keys.Lookup(second.PublicKey()); !ok {
		t.Error("an added key is not accepted")
	}
	// A broken file authorizes nobody.
	if err := os.WriteFile(path, []byte("broken line that is not a key at all\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if keys, err := f.current(); err == nil || keys != nil {
		t.Fatalf("broken file: keys=%v err=%v", keys, err)
	}
}

// konto-readonly marks a key's sessions read-only for good; it takes no
// value, and the same key may not be listed with and without it.
func TestParseAuthorizedKeysReadOnly(t *testing.T) {
	phone, laptop := sshtest.NewKey(t), sshtest.NewKey(t)
	text := "konto-readonly," + sshtest.AuthorizedLine(phone, "work", "phone") + "\n" + sshtest.AuthorizedLine(laptop, "work", "laptop")
	keys, err := ParseAuthorizedKeys("ak", []byte(text), nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := keys.Lookup(phone.PublicKey()); !got.ReadOnly || got.Profile != "work" {
		t.Errorf("phone: %+v", got)
	}
	if got, _ := keys.Lookup(laptop.PublicKey()); got.ReadOnly {
		t.Errorf("laptop: %+v", got)
	}
	plain := sshtest.AuthorizedLine(phone, "", "")
	for text, want := range map[string]string{
		"konto-readonly=yes " + plain:       "ak:1: konto-readonly takes no value",
		plain + "\nkonto-readonly " + plain: "ak:2: this key is already on line 1",
		`konto-readonly,from="x" ` + plain:  `option "from" is not supported`,
	} {
		if _, err := ParseAuthorizedKeys("ak", []byte(text), nil); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: err = %v, want %q", text, err, want)
		}
	}
}

// konto-privacy starts a key's sessions masked; like konto-readonly it
// takes no value, goes with the other options, and a key is listed with
// it or without it, not both.
func TestParseAuthorizedKeysPrivacy(t *testing.T) {
	beamer, laptop := sshtest.NewKey(t), sshtest.NewKey(t)
	text := "konto-privacy,KONTO-READONLY," + sshtest.AuthorizedLine(beamer, "work", "beamer") + "\n" + sshtest.AuthorizedLine(laptop, "work", "laptop")
	keys, err := ParseAuthorizedKeys("ak", []byte(text), nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := keys.Lookup(beamer.PublicKey()); !got.Privacy || !got.ReadOnly || got.Profile != "work" {
		t.Errorf("beamer: %+v", got)
	}
	if got, _ := keys.Lookup(laptop.PublicKey()); got.Privacy || got.ReadOnly {
		t.Errorf("laptop: %+v", got)
	}
	plain := sshtest.AuthorizedLine(beamer, "", "")
	for text, want := range map[string]string{
		`konto-privacy="yes" ` + plain:     "ak:1: konto-privacy takes no value",
		plain + "\nkonto-privacy " + plain: "ak:2: this key is already on line 1",
		`no-pty ` + plain:                  `only konto-profile="PROFILE", konto-readonly and konto-privacy`,
	} {
		if _, err := ParseAuthorizedKeys("ak", []byte(text), nil); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: err = %v, want %q", text, err, want)
		}
	}
}
