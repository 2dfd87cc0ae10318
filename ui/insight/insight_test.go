package insight

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"konto/api"
	"konto/store"
	"konto/store/rules"
	"konto/ui/common"
	"konto/ui/uitest"
)

const configText = `privacy = false

[profiles.work]
privacy = true

[[profiles.work.rules]]
counterparty = "Rewe"
category = "food"
`

func TestAttachReadsRulesPrivacyAndWritesRules(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(path, []byte(configText), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := store.LoadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	c := common.New(context.Background(), uitest.NewBank(1))
	Attach(c, cfg, cfg.Profile("work"), Options{WriteConfig: true, Remote: true})
	if !c.Privacy {
		t.Error("privacy = true of the profile did not start masked")
	}
	if c.Open != nil {
		t.Error("a remote session can open links")
	}
	if _, ok := c.Labels.(*common.MemoryLabels); !ok {
		t.Errorf("without a cache the labels live in %T", c.Labels)
	}
	rewe := api.Transaction{Name: api.Ptr("REWE Markt"), Amount: -1200}
	if got := c.RuleSet().Apply(&rewe, rules.Label{}); got.Category != "food" {
		t.Fatalf("the profile's rule gives %+v", got)
	}
	bahn := api.Transaction{Name: api.Ptr("Deutsche Bahn"), Amount: -5000}
	set, where, err := c.WriteRule(rules.Propose(bahn, "travel"))
	if err != nil {
		t.Fatal(err)
	}
	if got := set.Apply(&bahn, rules.Label{}); got.Category != "travel" {
		t.Fatalf("after writing, the rules give %+v", got)
	}
	if got := set.Apply(&rewe, rules.Label{}); got.Category != "food" {
		t.Fatalf("after writing, the old rule gives %+v", got)
	}
	data, _ := os.ReadFile(path)
	if !strings.Contains(string(data), "[[profiles.work.rules]]\ncounterparty = 'Deutsche Bahn'") || !strings.HasPrefix(string(data), configText) {
		t.Fatalf("config file now:\n%s", data)
	}
	if !strings.HasSuffix(where, "config.toml:10") {
		t.Fatalf("where %q, want the file and line", where)
	}
}

func TestAttachWithoutWritingKeepsTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.toml")
	cfg, err := store.LoadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	c := common.New(context.Background(), uitest.NewBank(1))
	Attach(c, cfg, cfg.Profile(""), Options{})
	if c.WriteRule != nil {
		t.Fatal("the demo writes rules to the config file")
	}
	if c.Open == nil {
		t.Fatal("a local session cannot open links")
	}
	if c.Privacy {
		t.Fatal("privacy on by default")
	}
}

func TestTilde(t *testing.T) {
	if got := tilde("/home/a/.config/konto/config.toml:3", "/home/a"); got != "~/.config/konto/config.toml:3" {
		t.Fatal(got)
	}
	if got := tilde("/etc/konto.toml:3", "/home/a"); got != "/etc/konto.toml:3" {
		t.Fatal(got)
	}
}

// An SSH key marked konto-privacy starts its session masked even where
// the profile does not.
func TestAttachPrivacyOfTheKey(t *testing.T) {
	cfg, err := store.LoadConfig(filepath.Join(t.TempDir(), "config.toml"))
	if err != nil {
		t.Fatal(err)
	}
	c := common.New(context.Background(), uitest.NewBank(1))
	Attach(c, cfg, cfg.Profile(""), Options{Remote: true, Privacy: true})
	if !c.Privacy {
		t.Fatal("Options.Privacy did not start masked")
	}
}
