package export

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// extensions names each format's golden file.
var extensions = map[Format]string{Hledger: "journal", Beancount: "beancount", CSV: "csv", TSV: "tsv", JSON: "json", QIF: "qif"}

func fixtureOptions(f Format) Options { return Options{Format: f, Loc: berlin} }

func TestGolden(t *testing.T) {
	for _, f := range Formats {
		t.Run(string(f), func(t *testing.T) {
			var out bytes.Buffer
			n, err := Write(&out, fixtureAccount(), fixtureTxs(t), fixtureOptions(f))
			if err != nil {
				t.Fatal(err)
			}
			if n != len(fixtureTxs(t)) {
				t.Errorf("written %d, want %d", n, len(fixtureTxs(t)))
			}
			path := filepath.Join("testdata", "fixture."+extensions[f])
			if *update {
				if err := os.WriteFile(path, out.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to write it)", err)
			}
			if !bytes.Equal(out.Bytes(), want) {
				t.Errorf("output differs from %s (go test -update rewrites it):\n%s", path, out.Bytes())
			}
		})
	}
}
