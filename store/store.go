// Package store keeps what konto remembers between runs: the session of each
// profile (a TokenStore: the KONTO_REFRESH_TOKEN override, the OS keyring, a
// consented 0600 file, or memory only), the TOML config with its profiles and
// key bindings and the settings in force for one run (Resolve), and the
// offline cache of each profile (one bbolt file, opened and claimed by
// OpenProfileCache). It knows the API's wire types and nothing of the UI.
package store

import (
	"fmt"
	"os"
	"path/filepath"
)

// appDir is the directory name konto uses under each XDG base directory.
const appDir = "konto"

// DefaultProfile is the profile used when --profile is not given.
const DefaultProfile = "default"

// ValidProfileName reports whether name can name a profile. Profile names
// become file names (cache, credentials), so they are restricted to letters,
// digits, '.', '_' and '-', must not start with '.', and are at most 64 bytes.
func ValidProfileName(name string) bool {
	if name == "" || len(name) > 64 || name[0] == '.' {
		return false
	}
	for _, r := range name {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '_', r == '-':
		default:
			return false
		}
	}
	return true
}

func checkProfile(name string) error {
	if !ValidProfileName(name) {
		return fmt.Errorf("invalid profile name %q: use letters, digits, '.', '_' and '-'", name)
	}
	return nil
}

// baseDir resolves an XDG base directory: the environment variable when it
// holds an absolute path (the spec says relative ones are to be ignored),
// else the platform default.
func baseDir(getenv func(string) string, envVar string, fallback func() (string, error)) (string, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	if dir := getenv(envVar); dir != "" && filepath.IsAbs(dir) {
		return dir, nil
	}
	dir, err := fallback()
	if err != nil {
		return "", fmt.Errorf("find %s: %w", envVar, err)
	}
	return dir, nil
}

// ConfigDir is $XDG_CONFIG_HOME/konto (or the platform's config dir).
func ConfigDir(getenv func(string) string) (string, error) {
	dir, err := baseDir(getenv, "XDG_CONFIG_HOME", os.UserConfigDir)
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, appDir), nil
}

// ConfigPath is where the config file lives: $XDG_CONFIG_HOME/konto/config.toml.
func ConfigPath(getenv func(string) string) (string, error) {
	dir, err := ConfigDir(getenv)
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "config.toml"), nil
}

// SecretsDir is where consented file credentials live:
// $XDG_CONFIG_HOME/konto/credentials (a 0700 directory).
func SecretsDir(getenv func(string) string) (string, error) {
	dir, err := ConfigDir(getenv)
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "credentials"), nil
}

// CacheDir is $XDG_CACHE_HOME/konto (or the platform's cache dir).
func CacheDir(getenv func(string) string) (string, error) {
	dir, err := baseDir(getenv, "XDG_CACHE_HOME", os.UserCacheDir)
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, appDir), nil
}

// CachePath is the cache file of a profile: $XDG_CACHE_HOME/konto/<profile>.db.
func CachePath(getenv func(string) string, profile string) (string, error) {
	if err := checkProfile(profile); err != nil {
		return "", err
	}
	dir, err := CacheDir(getenv)
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, profile+".db"), nil
}

// ensurePrivateDir creates dir (and parents) and makes sure dir itself is
// 0700, repairing a looser mode left by an older version or a umask.
func ensurePrivateDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	info, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("check %s: %w", dir, err)
	}
	if info.Mode().Perm() != 0o700 {
		if err := os.Chmod(dir, 0o700); err != nil {
			return fmt.Errorf("make %s private: %w", dir, err)
		}
	}
	return nil
}
