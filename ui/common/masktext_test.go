package common

import "testing"

func TestMaskText(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"new money: +3.200,00 € from Acme", "new money: •••,•• € from Acme"},
		{"balance −12,50 €, below 100,00 €", "balance •••,•• €, below •••,•• €"},
		{"IBAN DE89 3704 0044 0532 0130 00 copied", "IBAN DE•• •••• •••• •••• •••• •• copied"},
		{"to DE89370400440532013000 on 01.12.2026", "to DE•••••••••••••••••••• on 01.12.2026"},
		{"from DE89 …3000", "from DE•• …••••"},
		{"3 payments being checked", "3 payments being checked"},
	} {
		if got := MaskText(tc.in); got != tc.want {
			t.Errorf("MaskText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
