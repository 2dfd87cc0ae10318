// Package insight hands the dashboard what it knows of bookings beyond the
// bank's fields: the profile's rules from the config file (and a way to
// add one to it), the offline cache as the store of the user's labels, the
// privacy setting, and whether links can be opened on this machine.
package insight

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"

	"konto/store"
	"konto/store/offline"
	"konto/store/rules"
	"konto/ui/common"
)

// Options say where the dashboard runs.
type Options struct {
	// WriteConfig lets "apply to similar bookings" write rules to the
	// config file; without it (the demo) a new rule lasts for the run.
	WriteConfig bool
	// Remote is an SSH session (or konto serve): links are copied, never
	// opened on a desktop konto cannot see.
	Remote bool
	// Privacy starts the session masked whatever the profile says (an SSH
	// key marked konto-privacy).
	Privacy bool
}

// Attach sets c's rules, label store, privacy and opener for profile of
// cfg. c.Bank is the session's offline.Mirror when there is one: its cache keeps the
// labels; without a cache they are kept for the run.
func Attach(c *common.Common, cfg *store.Config, profile store.Profile, opt Options) {
	if set, err := profile.RuleSet(); err == nil {
		c.Rules = set // the config parser checked them: this does not fail
	}
	c.Privacy = c.Privacy || profile.Privacy || opt.Privacy
	c.Labels = &common.MemoryLabels{}
	if b, ok := c.Bank.(*offline.Mirror); ok && b.Cache() != nil {
		c.Labels = b
	}
	if opt.WriteConfig && cfg != nil && cfg.Path != "" {
		c.WriteRule = ruleWriter(cfg.Path, profile.Name)
	}
	if !opt.Remote {
		c.Open = openerFor(runtime.GOOS)
	}
}

// ruleWriter appends a rule to the config file at path and reads the file
// again, so the rules in force are the file's.
func ruleWriter(path, profile string) common.RuleWriter {
	return func(r rules.Rule) (*rules.Set, string, error) {
		cfg, err := store.LoadConfig(path)
		if err != nil {
			return nil, "", err
		}
		written, err := cfg.AppendRule(profile, r)
		if err != nil {
			return nil, "", err
		}
		cfg, err = store.LoadConfig(path)
		if err != nil {
			return nil, "", fmt.Errorf("read the config again: %w", err)
		}
		set, err := cfg.Profile(profile).RuleSet()
		if err != nil {
			return nil, "", err
		}
		return set, tilde(written.Source, os.Getenv("HOME")), nil
	}
}

// tilde writes a path under home as ~/… for a notice.
func tilde(path, home string) string {
	if home != "" && strings.HasPrefix(path, home+string(os.PathSeparator)) {
		return "~" + path[len(home):]
	}
	return path
}

// errNoOpener says the machine has no program konto knows to open links.
var errNoOpener = errors.New("no program to open links with (xdg-open)")

// openerFor opens a link with the desktop's opener: xdg-open, open (macOS)
// or start (Windows). The program is started, not waited for.
func openerFor(goos string) func(string) error {
	return func(url string) error {
		var cmd *exec.Cmd
		switch goos {
		case "darwin":
			cmd = exec.Command("open", url)
		case "windows":
			cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", url)
		default:
			if _, err := exec.LookPath("xdg-open"); err != nil {
				return errNoOpener
			}
			cmd = exec.Command("xdg-open", url)
		}
		cmd.Stdout, cmd.Stderr = nil, nil
		cmd.Stdin = nil
		if err := cmd.Start(); err != nil {
			return fmt.Errorf("open the link: %w", err)
		}
		go func() { _ = cmd.Wait() }() // reaped, so no zombie is left
		return nil
	}
}
