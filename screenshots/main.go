// Command screenshots runs konto in a pseudo-terminal of a given size, types a
// key script, waits for text and renders the terminal emulator's cells (with
// colours and bold) to PNG and SVG, for the README.
//
//	go run . -bin ../konto -size 120x40 -out dashboard -args "--demo" \
//	    -script 'wait Transactions; key j j enter; wait Details'
//
// Script steps, separated by ";": "wait TEXT" (until the screen shows TEXT),
// "gone TEXT" (until it no longer does), "key K…" (key names such as j, enter,
// esc, down, ctrl+c, space, or text), "type TEXT" (literal text),
// "sleep DURATION", "resize WxH".
package main

import (
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "screenshots:", err)
		os.Exit(1)
	}
}

func run() error {
	bin := flag.String("bin", "../konto", "konto binary to run")
	size := flag.String("size", "120x40", "terminal size WxH")
	args := flag.String("args", "--demo", "arguments for konto, space separated")
	script := flag.String("script", "", `steps separated by ";": wait TEXT | gone TEXT | key K… | type TEXT | sleep D | resize WxH`)
	out := flag.String("out", "screen", "output name without extension: writes NAME.png and NAME.svg")
	timeout := flag.Duration("timeout", 20*time.Second, "longest wait for one step")
	fontSize := flag.Float64("font-size", 16, "font size in pixels")
	flag.Parse()

	w, h, err := parseSize(*size)
	if err != nil {
		return err
	}
	tm, err := start(*bin, w, h, strings.Fields(*args))
	if err != nil {
		return err
	}
	defer tm.close()
	for _, step := range strings.Split(*script, ";") {
		if err := tm.do(strings.TrimSpace(step), *timeout); err != nil {
			return fmt.Errorf("step %q: %w\nscreen:\n%s", step, err, tm.text())
		}
	}
	// Let the last frame land: wait until the screen has not changed for a
	// moment.
	tm.settle(300*time.Millisecond, *timeout)
	shot := tm.snapshot()

	r, err := newRenderer(*fontSize)
	if err != nil {
		return err
	}
	if err := writeFile(*out+".png", func(f *os.File) error { return r.png(f, shot) }); err != nil {
		return err
	}
	return writeFile(*out+".svg", func(f *os.File) error { return r.svg(f, shot) })
}

func writeFile(name string, write func(*os.File) error) error {
	f, err := os.Create(name)
	if err != nil {
		return fmt.Errorf("create %s: %w", name, err)
	}
	if err := write(f); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", name, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("close %s: %w", name, err)
	}
	return nil
}

func parseSize(s string) (w, h int, err error) {
	ws, hs, ok := strings.Cut(s, "x")
	w, err1 := strconv.Atoi(ws)
	h, err2 := strconv.Atoi(hs)
	if !ok || err1 != nil || err2 != nil || w < 10 || h < 5 || w > 500 || h > 200 {
		return 0, 0, fmt.Errorf("size %q: want WxH such as 120x40", s)
	}
	return w, h, nil
}

// do runs one script step.
func (tm *term) do(step string, timeout time.Duration) error {
	if step == "" {
		return nil
	}
	verb, rest, _ := strings.Cut(step, " ")
	switch verb {
	case "wait":
		return tm.waitFor(timeout, func(s string) bool { return strings.Contains(s, rest) })
	case "gone":
		return tm.waitFor(timeout, func(s string) bool { return !strings.Contains(s, rest) })
	case "key":
		for _, k := range strings.Fields(rest) {
			tm.send(k)
		}
	case "type":
		tm.sendText(rest)
	case "sleep":
		d, err := time.ParseDuration(rest)
		if err != nil {
			return err
		}
		time.Sleep(d)
	case "resize":
		w, h, err := parseSize(rest)
		if err != nil {
			return err
		}
		tm.resize(w, h)
	default:
		return fmt.Errorf("unknown step %q", verb)
	}
	return nil
}
