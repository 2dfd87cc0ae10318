package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"time"
	_ "time/tzdata" // dates are shown in Europe/Berlin on any machine

	tea "charm.land/bubbletea/v2"

	"konto/api"
	"konto/api/sandbox"
	"konto/theme"
	"konto/ui"
	"konto/ui/common"
)

const dashboardUsage = `
Dashboard flags:
  --demo              open the dashboard against an in-process sandbox bank
  --api-url URL       a Kontist-compatible server (session from KONTO_REFRESH_TOKEN)
  --theme MODE        dark, light or auto (default auto: follows the terminal)
  --seed N            demo: the sandbox's seed
  --transactions N    demo: bookings on the main account
  --hostile           demo: add bookings with hostile text (escape sequences, bidi…)
  --faults SPEC       demo: inject faults (see konto sandbox --help)
`

// demoLogin is the sandbox's default user, the doc's own Basic example.
var demoLogin = api.Credentials{Email: "Aladdin", Password: "OpenSesame"}

// runDashboard runs konto's dashboard (the default command).
func runDashboard(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("konto", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stdout, usage+dashboardUsage) }
	demo := fs.Bool("demo", false, "")
	apiURL := fs.String("api-url", "", "")
	themeFlag := fs.String("theme", "auto", "")
	seed := fs.Int64("seed", 0, "")
	txCount := fs.Int("transactions", 0, "")
	hostile := fs.Bool("hostile", false, "")
	faults := fs.String("faults", "", "")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "konto: unexpected argument %q (see konto --help)\n", fs.Arg(0))
		return 2
	}
	mode, err := theme.ParseMode(*themeFlag)
	if err != nil {
		fmt.Fprintln(stderr, "konto:", err)
		return 2
	}
	if !*demo && (*seed != 0 || *txCount != 0 || *hostile || *faults != "") {
		fmt.Fprintln(stderr, "konto: --seed, --transactions, --hostile and --faults only apply with --demo")
		return 2
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	var (
		baseURL    string
		connection string
	)
	switch {
	case *demo:
		bank, err := sandbox.New(sandbox.Options{Seed: *seed, Transactions: *txCount, Hostile: *hostile, Faults: *faults})
		if err != nil {
			fmt.Fprintln(stderr, "konto: start the sandbox:", err)
			return 1
		}
		url, stop, err := serveLoopback(bank)
		if err != nil {
			fmt.Fprintln(stderr, "konto:", err)
			return 1
		}
		defer stop()
		baseURL, connection = url, "Sandbox (demo)"
	case *apiURL != "":
		baseURL, connection = *apiURL, *apiURL
	default:
		fmt.Fprint(stdout, usage+dashboardUsage)
		return 2
	}

	refresh := os.Getenv("KONTO_REFRESH_TOKEN")
	if *demo {
		refresh, err = demoRefreshToken(ctx, baseURL)
		if err != nil {
			fmt.Fprintln(stderr, "konto: log in to the sandbox:", err)
			return 1
		}
	}
	if refresh == "" {
		fmt.Fprintln(stderr, "konto: no session: set KONTO_REFRESH_TOKEN to a refresh token (create one with POST /api/user/refresh-token), or try konto --demo")
		return 1
	}
	src, err := api.NewJWTSource(baseURL, refresh)
	if err != nil {
		fmt.Fprintln(stderr, "konto:", err)
		return 1
	}
	defer src.Close()
	src.Start(ctx)
	client, err := api.New(baseURL, src, api.WithUserAgent("konto/"+version))
	if err != nil {
		fmt.Fprintln(stderr, "konto:", err)
		return 1
	}

	c := common.New(ctx, client)
	c.Connection = connection
	c.ThemeMode = mode
	_, c.NoColor = os.LookupEnv("NO_COLOR")
	c.Styles = theme.ForMode(mode, c.NoColor)
	c.TokenEvents = src.Events()

	p := tea.NewProgram(ui.New(c), tea.WithContext(ctx))
	if _, err := p.Run(); err != nil && !errors.Is(err, tea.ErrProgramKilled) {
		fmt.Fprintln(stderr, "konto:", err)
		return 1
	}
	return 0
}

// serveLoopback serves h on a free 127.0.0.1 port and returns its base URL
// and a function that stops the server.
func serveLoopback(h http.Handler) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, fmt.Errorf("listen on loopback: %w", err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ErrorLog: nil}
	go func() { _ = srv.Serve(ln) }() // ends with Close
	return "http://" + ln.Addr().String(), func() { _ = srv.Close() }, nil
}

// demoRefreshToken logs in to the sandbox over real HTTP, as a user would
// with a real bank, and returns a refresh token.
func demoRefreshToken(ctx context.Context, baseURL string) (string, error) {
	c, err := api.New(baseURL, nil)
	if err != nil {
		return "", fmt.Errorf("client: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	tok, err := c.CreateRefreshToken(ctx, demoLogin)
	if err != nil {
		return "", fmt.Errorf("create refresh token: %w", err)
	}
	return tok, nil
}
