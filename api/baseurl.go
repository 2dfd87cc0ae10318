package api

import (
	"net"
	"net/url"
	"strings"
)

// SameBank reports whether the base URLs a and b name the same API: the
// same scheme, host, port and path, compared as a server sees them (the
// scheme's and host's case, a default port written out, a trailing slash
// and surrounding space make no difference; a path's case does). A URL that
// cannot be read, or carries credentials, is the same as nothing: a stored
// session must only ever go where it surely came from.
func SameBank(a, b string) bool {
	na, okA := bankKey(a)
	nb, okB := bankKey(b)
	return okA && okB && na == nb
}

// bankKey is raw reduced to what names an API: scheme://host[:port]/path.
func bankKey(raw string) (string, bool) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.User != nil || u.Host == "" || u.Opaque != "" {
		return "", false
	}
	scheme := strings.ToLower(u.Scheme)
	if scheme != "https" && scheme != "http" {
		return "", false
	}
	host := strings.ToLower(u.Hostname())
	port := u.Port()
	if (scheme == "https" && port == "443") || (scheme == "http" && port == "80") {
		port = ""
	}
	if port != "" {
		host = net.JoinHostPort(host, port)
	} else if strings.Contains(host, ":") {
		host = "[" + host + "]" // an IPv6 address
	}
	return scheme + "://" + host + strings.TrimRight(u.Path, "/"), true
}
