package sepa

import (
	"errors"
	"strings"
	"testing"
)

// validIBANs are the example IBANs of the SWIFT IBAN registry and other
// published, checksum-valid examples, several per region.
var validIBANs = []string{
	"DE89370400440532013000",
	"DE33100110012626008537", // the doc's John Smith
	"GB82WEST12345698765432",
	"GB29NWBK60161331926819",
	"FR1420041010050500013M02606",
	"NL91ABNA0417164300",
	"AT611904300234573201",
	"CH9300762011623852957",
	"BE68539007547034",
	"NO9386011117947",
	"ES9121000418450200051332",
	"IT60X0542811101000000123456",
	"MT84MALT011000012345MTLCAST001S",
	"LC55HEMM000100010012001200023015",
	"AD1200012030200359100100",
	"AE070331234567890123456",
	"AL47212110090000000235698741",
	"BA391290079401028494",
	"BG80BNBG96611020345678",
	"BH67BMAG00001299123456",
	"CY17002001280000001200527600",
	"CZ6508000000192000145399",
	"DK5000400440116243",
	"EE382200221020145685",
	"FI2112345600000785",
	"FO6264600001631634",
	"GI75NWBK000000007099453",
	"GL8964710001000206",
	"GR1601101250000000012300695",
	"HR1210010051863000160",
	"HU42117730161111101800000000",
	"IE29AIBK93115212345678",
	"IL620108000000099999999",
	"IS140159260076545510730339",
	"KW81CBKU0000000000001234560101",
	"LI21088100002324013AA",
	"LT121000011101001000",
	"LU280019400644750000",
	"LV80BANK0000435195001",
	"MC5811222000010123456789030",
	"PL61109010140000071219812874",
	"PT50000201231234567890154",
	"RO49AAAA1B31007593840000",
	"SE4550000000058398257466",
	"SI56263300012039086",
	"SK3112000000198742637541",
	"SM86U0322509800000000270100",
	"TR330006100519786457841326",
	"UA213223130000026007233566001",
	"VA59001123000012345678",
	"XK051212012345678906",
	"SC18SSCB11010000000000001497USD",
}

func TestValidateIBANAcceptsValid(t *testing.T) {
	for _, iban := range validIBANs {
		for _, spelling := range []string{
			iban,
			FormatIBAN(iban),
			strings.ToLower(iban),
			"\t " + FormatIBAN(iban) + "\u00a0",
			strings.ReplaceAll(FormatIBAN(iban), " ", "\u00a0"),
			strings.ReplaceAll(FormatIBAN(iban), " ", "-"),
			strings.ReplaceAll(FormatIBAN(iban), " ", "."),
			strings.ReplaceAll(FormatIBAN(iban), " ", "/"),
		} {
			if err := ValidateIBAN(spelling); err != nil {
				t.Errorf("ValidateIBAN(%q) = %v, want nil", spelling, err)
			}
		}
	}
}

func TestValidateIBANRefuses(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		// The doc's own IBANs fail the checksum (DESIGN.md says so).
		{"DE06110101001000004444", "invalid IBAN: check digits do not match"},
		{"DE35120300001012765235", "invalid IBAN: check digits do not match"},
		{"DE88370400440532013000", "invalid IBAN: check digits do not match"},
		{"DE89370400440532013001", "invalid IBAN: check digits do not match"},
		{"DE89370400440523013000", "invalid IBAN: check digits do not match"}, // swapped digits
		{"GB82WEST12345698765433", "invalid IBAN: check digits do not match"},
		{"DE8937040044053201300", "invalid IBAN: DE IBANs have 22 characters, this has 21"},
		{"DE893704004405320130000", "invalid IBAN: DE IBANs have 22 characters, this has 23"},
		{"NL91ABNA041716430", "invalid IBAN: NL IBANs have 18 characters, this has 17"},
		{"XX89370400440532013000", `invalid IBAN: unknown country code "XX"`},
		{"US64SVBKUS6S3300958879", `invalid IBAN: unknown country code "US"`},
		{"1289370400440532013000", "invalid IBAN: it must start with a two-letter country code such as DE"},
		{"D", "invalid IBAN: it must start with a two-letter country code such as DE"},
		{"DEAB370400440532013000", "invalid IBAN: the third and fourth characters must be check digits"},
		{"DE89_3704_0044_0532_0130_00", "invalid IBAN: only letters and digits are allowed"},
		{"DE89+3704+0044+0532+0130+00", "invalid IBAN: only letters and digits are allowed"},
		// They pass mod 97, but check digits 00, 01 and 99 are never issued.
		{"NL0000NA041716R300", "invalid IBAN: check digits 00 are never issued"},
		{"DE00370400440532013050", "invalid IBAN: check digits 00 are never issued"},
		{"DE01370400440532013032", "invalid IBAN: check digits 01 are never issued"},
		{"DE99370400440532013014", "invalid IBAN: check digits 99 are never issued"},
		{"DE89370400440532013ÖÖ0", "invalid IBAN: only letters and digits are allowed"},
		{"DE89\x1b[31m370400440532013000", "invalid IBAN: only letters and digits are allowed"},
		{"DE89370400440532013000\xff", "invalid IBAN: only letters and digits are allowed"},
		// Look-alikes that strings.ToUpper would fold into ASCII must not pass.
		{"ıT60X0542811101000000123456", "invalid IBAN: only letters and digits are allowed"},
		{"", "invalid IBAN: empty"},
		{" \t\u00a0 ", "invalid IBAN: empty"},
	}
	for _, tt := range tests {
		err := ValidateIBAN(tt.in)
		if err == nil {
			t.Errorf("ValidateIBAN(%q) = nil, want %q", tt.in, tt.want)
			continue
		}
		if !errors.Is(err, ErrInvalidIBAN) {
			t.Errorf("ValidateIBAN(%q) = %v, does not match ErrInvalidIBAN", tt.in, err)
		}
		if err.Error() != tt.want {
			t.Errorf("ValidateIBAN(%q) = %q, want %q", tt.in, err, tt.want)
		}
	}
}

// Every single-character substitution of a valid IBAN must fail: mod 97 catches
// all of them, which is why the check exists.
func TestValidateIBANCatchesEverySingleTypo(t *testing.T) {
	const iban = "DE89370400440532013000"
	for i := 2; i < len(iban); i++ {
		for c := byte('0'); c <= '9'; c++ {
			if c == iban[i] {
				continue
			}
			typo := iban[:i] + string(c) + iban[i+1:]
			if err := ValidateIBAN(typo); err == nil {
				t.Errorf("ValidateIBAN(%q) = nil, want an error", typo)
			}
		}
	}
}

func TestNormalizeIBAN(t *testing.T) {
	tests := []struct{ in, want string }{
		{"de89 3704 0044 0532 0130 00", "DE89370400440532013000"},
		{"DE89\u00a03704\t0044\n0532\u202f0130\u200b00\ufeff", "DE89370400440532013000"},
		{"  gb82 west 1234 5698 7654 32  ", "GB82WEST12345698765432"},
		{"", ""},
		{"de89_ä", "DE89_ä"}, // junk is kept for ValidateIBAN to refuse
		// Separators other than spaces, as web pages, invoices and PDFs write them.
		{"DE89-3704-0044-0532-0130-00", "DE89370400440532013000"},
		{"DE89.3704.0044.0532.0130.00", "DE89370400440532013000"},
		{"DE89/3704/0044/0532/0130/00", "DE89370400440532013000"},
		{"DE89 - 3704 - 0044 - 0532 - 0130 - 00", "DE89370400440532013000"},
		{"DE89\u20103704\u20110044\u20130532\u20140130\u201200", "DE89370400440532013000"},
		{"\tDE89-3704\n0044.0532/0130 00\r\n", "DE89370400440532013000"},
		{"ıſ", "ıſ"}, // only ASCII is upper-cased
	}
	for _, tt := range tests {
		if got := NormalizeIBAN(tt.in); got != tt.want {
			t.Errorf("NormalizeIBAN(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFormatIBAN(t *testing.T) {
	tests := []struct{ in, want string }{
		{"DE89370400440532013000", "DE89 3704 0044 0532 0130 00"},
		{"de89 3704 0044 0532 0130 00", "DE89 3704 0044 0532 0130 00"},
		{"NO9386011117947", "NO93 8601 1117 947"},
		{"BE68539007547034", "BE68 5390 0754 7034"},
		// partial input, as typed
		{"", ""},
		{"d", "D"},
		{"de89", "DE89"},
		{"de893", "DE89 3"},
		{"DE89 37040", "DE89 3704 0"},
		{"DE89ÄÖÜ12", "DE89 ÄÖÜ1 2"}, // groups characters, not bytes
	}
	for _, tt := range tests {
		if got := FormatIBAN(tt.in); got != tt.want {
			t.Errorf("FormatIBAN(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestShortIBAN(t *testing.T) {
	tests := []struct{ in, want string }{
		{"DE06110101001000004444", "DE06 …4444"},
		{"de06 1101 0100 1000 0044 44", "DE06 …4444"},
		{"NO9386011117947", "NO93 …7947"},
		{"DE06ABCDE", "DE06 …BCDE"},
		{"DE064444", "DE06 4444"}, // nothing to hide
		{"DE06", "DE06"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := ShortIBAN(tt.in); got != tt.want {
			t.Errorf("ShortIBAN(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestMakeIBAN(t *testing.T) {
	tests := []struct{ country, bban, want string }{
		{"DE", "370400440532013000", "DE89370400440532013000"},
		{"de", "3704 0044 0532 0130 00", "DE89370400440532013000"},
		{"GB", "WEST12345698765432", "GB82WEST12345698765432"},
		{"FR", "20041010050500013M02606", "FR1420041010050500013M02606"},
		{"NO", "86011117947", "NO9386011117947"},
		{"BE", "539007547034", "BE68539007547034"},
		// Check digits below 10 keep their leading zero.
		{"DE", "110101001000004444", ""},
	}
	for _, tt := range tests {
		got, err := MakeIBAN(tt.country, tt.bban)
		if err != nil {
			t.Errorf("MakeIBAN(%q, %q) error %v", tt.country, tt.bban, err)
			continue
		}
		if tt.want != "" && got != tt.want {
			t.Errorf("MakeIBAN(%q, %q) = %q, want %q", tt.country, tt.bban, got, tt.want)
		}
		if err := ValidateIBAN(got); err != nil {
			t.Errorf("MakeIBAN(%q, %q) = %q, which does not validate: %v", tt.country, tt.bban, got, err)
		}
	}

	// Every registered country: a BBAN of the right length gives a valid IBAN,
	// including check digits that need a leading zero.
	sawLeadingZero := false
	for i := 0; i+5 <= len(ibanRegistry); i += 5 {
		country := ibanRegistry[i : i+2]
		n, ok := IBANLength(country)
		if !ok || n < 15 || n > 34 {
			t.Fatalf("IBANLength(%q) = %d, %v", country, n, ok)
		}
		for seed := 0; seed < 20; seed++ {
			bban := strings.Repeat(string(rune('0'+seed%10)), n-5) + string(rune('A'+seed))
			iban, err := MakeIBAN(country, bban)
			if err != nil {
				t.Fatalf("MakeIBAN(%q, %q): %v", country, bban, err)
			}
			if err := ValidateIBAN(iban); err != nil {
				t.Fatalf("MakeIBAN(%q, %q) = %q: %v", country, bban, iban, err)
			}
			sawLeadingZero = sawLeadingZero || iban[2] == '0'
		}
	}
	if !sawLeadingZero {
		t.Error("no generated IBAN had check digits below 10; the test lost its edge")
	}

	for _, bad := range []struct{ country, bban, want string }{
		{"XX", "370400440532013000", `invalid IBAN: unknown country code "XX"`},
		{"D", "370400440532013000", `invalid IBAN: unknown country code "D"`},
		{"DE", "37040044053201300", "invalid IBAN: DE IBANs have 22 characters, this has 21"},
		{"DE", "37040044053201300_", "invalid IBAN: only letters and digits are allowed"},
	} {
		_, err := MakeIBAN(bad.country, bad.bban)
		if err == nil || !errors.Is(err, ErrInvalidIBAN) || err.Error() != bad.want {
			t.Errorf("MakeIBAN(%q, %q) error = %v, want %q", bad.country, bad.bban, err, bad.want)
		}
	}
}

func TestIBANLength(t *testing.T) {
	tests := []struct {
		country string
		want    int
		ok      bool
	}{
		{"DE", 22, true}, {"de", 22, true}, {"NO", 15, true}, {"LC", 32, true},
		{"RU", 33, true}, {"MT", 31, true}, {"YE", 30, true},
		{"US", 0, false}, {"", 0, false}, {"D", 0, false}, {"DEU", 0, false},
		{"E2", 0, false}, {"22", 0, false}, // never match inside an entry
	}
	for _, tt := range tests {
		if got, ok := IBANLength(tt.country); got != tt.want || ok != tt.ok {
			t.Errorf("IBANLength(%q) = %d, %v; want %d, %v", tt.country, got, ok, tt.want, tt.ok)
		}
	}
	if n := strings.Count(ibanRegistry, " "); n != 89 || len(ibanRegistry) != 89*5 {
		t.Errorf("registry has %d entries in %d bytes, want 89 well-formed entries", n, len(ibanRegistry))
	}
}
