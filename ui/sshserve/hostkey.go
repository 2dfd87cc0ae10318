package sshserve

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	gossh "golang.org/x/crypto/ssh"
)

// LoadOrCreateHostKey reads the server's private host key from path, or,
// when there is none, generates an ed25519 key and writes it there (mode
// 0600, its directory 0700) so every later start presents the same key.
// created says which happened. A key file that others may read is refused,
// as OpenSSH refuses it: a leaked host key lets anyone impersonate the server.
func LoadOrCreateHostKey(path string) (signer gossh.Signer, created bool, err error) {
	data, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		data, err = writeNewHostKey(path)
		if errors.Is(err, fs.ErrExist) {
			// Another konto created it between our read and our write.
			data, err = os.ReadFile(path)
		} else if err == nil {
			created = true
		}
		if err != nil {
			return nil, false, fmt.Errorf("host key %s: %w", path, err)
		}
	case err != nil:
		return nil, false, fmt.Errorf("host key: %w", err)
	default:
		info, statErr := os.Stat(path)
		if statErr != nil {
			return nil, false, fmt.Errorf("host key: %w", statErr)
		}
		if info.Mode().Perm()&0o077 != 0 {
			return nil, false, fmt.Errorf("host key %s is readable by others (mode %04o): run chmod 600 on it", path, info.Mode().Perm())
		}
	}
	signer, err = gossh.ParsePrivateKey(data)
	if err != nil {
		return nil, false, fmt.Errorf("host key %s: %w", path, err)
	}
	return signer, created, nil
}

// writeNewHostKey generates an ed25519 key and writes it in OpenSSH format,
// failing with fs.ErrExist rather than replacing a key that appeared.
func writeNewHostKey(path string) ([]byte, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generate: %w", err)
	}
	block, err := gossh.MarshalPrivateKey(priv, "konto serve host key")
	if err != nil {
		return nil, fmt.Errorf("encode: %w", err)
	}
	data := pem.EncodeToMemory(block)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("create directory: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(path)
		return nil, fmt.Errorf("write: %w", err)
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return nil, fmt.Errorf("write: %w", err)
	}
	return data, nil
}

// Fingerprint is the SHA256 fingerprint of a public key as ssh prints it
// ("SHA256:…").
func Fingerprint(key gossh.PublicKey) string { return gossh.FingerprintSHA256(key) }
