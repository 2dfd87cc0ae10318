package api

import "testing"

func TestSameBank(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		same bool
	}{
		{"http://127.0.0.1:8080", "http://127.0.0.1:8080/", true},
		{"https://api.kontist.com", "HTTPS://API.Kontist.COM:443/", true},
		{"https://api.kontist.com", " https://api.kontist.com ", true},
		{"http://localhost:80/api/", "http://LOCALHOST/api", true},
		{"http://[::1]:80", "http://[::1]", true},
		{"https://bank.example/v1?x=1#y", "https://bank.example/v1", true},
		{"http://127.0.0.1:8080", "http://127.0.0.1:8081", false},
		{"http://127.0.0.1:8080", "http://localhost:8080", false},
		{"https://api.kontist.com", "http://api.kontist.com", false},
		{"https://api.kontist.com:8443", "https://api.kontist.com", false},
		{"https://bank.example/v1", "https://bank.example/V1", false},
		{"https://bank.example/v1", "https://bank.example", false},
		{"https://user:pw@bank.example", "https://user:pw@bank.example", false},
		{"", "", false},
		{"not a url", "not a url", false},
		{"ftp://bank.example", "ftp://bank.example", false},
	} {
		if got := SameBank(tc.a, tc.b); got != tc.same {
			t.Errorf("SameBank(%q, %q) = %v, want %v", tc.a, tc.b, got, tc.same)
		}
		if got := SameBank(tc.b, tc.a); got != tc.same {
			t.Errorf("SameBank(%q, %q) = %v, want %v", tc.b, tc.a, got, tc.same)
		}
	}
}
