package main

import (
	"bufio"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"io"
	"math"
	"os"
	"strings"
	"unicode/utf8"

	uv "github.com/charmbracelet/ultraviolet"
	"github.com/charmbracelet/x/ansi"
	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gomono"
	"golang.org/x/image/font/gofont/gomonobold"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

const (
	attrBold          = uv.AttrBold
	attrFaint         = uv.AttrFaint
	attrItalic        = uv.AttrItalic
	attrReverse       = uv.AttrReverse
	attrConceal       = uv.AttrConceal
	attrStrikethrough = uv.AttrStrikethrough
)

// screen is a snapshot of the emulator: w×h cells, row by row.
type screen struct {
	w, h  int
	bg    color.RGBA
	cells []cell
}

// cell is one terminal cell with its colours resolved. A wide character's
// second cell has width 0.
type cell struct {
	text                            string
	width                           int
	fg, bg                          color.RGBA
	bold, italic, underline, strike bool
}

func (tm *term) resolve(c color.Color) color.RGBA {
	switch v := c.(type) {
	case ansi.BasicColor:
		c = tm.emu.IndexedColor(int(v))
	case ansi.IndexedColor:
		c = tm.emu.IndexedColor(int(v))
	}
	return color.RGBAModel.Convert(c).(color.RGBA)
}

func mix(a, b color.RGBA, t float64) color.RGBA {
	f := func(x, y uint8) uint8 { return uint8(math.Round(float64(x)*(1-t) + float64(y)*t)) }
	return color.RGBA{f(a.R, b.R), f(a.G, b.G), f(a.B, b.B), 0xff}
}

// renderer draws screens with Go Mono; glyphs Go Mono lacks come from
// DejaVu if the system has it, else a placeholder box.
type renderer struct {
	regular, bold font.Face
	fallback      []font.Face
	cw, ch        int // cell size in pixels
	ascent        int
	pad           int // margin around the screen
	fontSize      float64
}

func newRenderer(size float64) (*renderer, error) {
	opts := &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingFull}
	load := func(ttf []byte) (font.Face, error) {
		f, err := opentype.Parse(ttf)
		if err != nil {
			return nil, fmt.Errorf("parse font: %w", err)
		}
		return opentype.NewFace(f, opts)
	}
	r := &renderer{fontSize: size}
	var err error
	if r.regular, err = load(gomono.TTF); err != nil {
		return nil, err
	}
	if r.bold, err = load(gomonobold.TTF); err != nil {
		return nil, err
	}
	for _, path := range []string{
		"/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf",
		"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
		"/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc",
	} {
		if ttf, err := os.ReadFile(path); err == nil {
			if face, err := load(ttf); err == nil {
				r.fallback = append(r.fallback, face)
			}
		}
	}
	adv, _ := r.regular.GlyphAdvance('M')
	m := r.regular.Metrics()
	r.cw = int(math.Ceil(float64(adv) / 64))
	r.ascent = m.Ascent.Ceil()
	r.ch = int(math.Ceil(float64(m.Ascent+m.Descent)/64*1.15)) + 1
	r.pad = r.cw
	return r, nil
}

// faceFor picks the face that has ch's glyph, or nil. (An opentype face's
// GlyphAdvance reports ok only for a glyph the font really has.)
func (r *renderer) faceFor(ch rune, bold bool) font.Face {
	f := r.regular
	if bold {
		f = r.bold
	}
	if _, ok := f.GlyphAdvance(ch); ok {
		return f
	}
	for _, fb := range r.fallback {
		if _, ok := fb.GlyphAdvance(ch); ok {
			return fb
		}
	}
	return nil
}

// rect is a filled rectangle in pixels, with its colour's opacity.
type rect struct {
	x0, y0, x1, y1 int
	alpha          float64
}

// shapes returns the rectangles that draw a box-drawing or block character
// in a cell at (0,0), or false if ch is drawn as text.
func (r *renderer) shapes(ch rune, cells int) ([]rect, bool) {
	w, h := r.cw*cells, r.ch
	light := max(1, int(math.Round(float64(r.cw)/8)))
	if b, ok := boxArmsOf(ch); ok {
		return boxRects(b, w, h, light), true
	}
	full := func(x0, y0, x1, y1 int) []rect { return []rect{{x0, y0, x1, y1, 1}} }
	eighthY := func(n int) int { return int(math.Round(float64(h) * float64(n) / 8)) }
	eighthX := func(n int) int { return int(math.Round(float64(w) * float64(n) / 8)) }
	hw, hh := w/2, h/2
	switch {
	case ch == 0x2580: // ▀ upper half
		return full(0, 0, w, hh), true
	case ch >= 0x2581 && ch <= 0x2588: // ▁…█ lower eighths
		n := int(ch-0x2581) + 1
		return full(0, h-eighthY(n), w, h), true
	case ch >= 0x2589 && ch <= 0x258f: // ▉…▏ left eighths
		n := 8 - int(ch-0x2588)
		return full(0, 0, eighthX(n), h), true
	case ch == 0x2590: // ▐ right half
		return full(hw, 0, w, h), true
	case ch >= 0x2591 && ch <= 0x2593: // ░▒▓ shades
		return []rect{{0, 0, w, h, float64(ch-0x2590) * 0.25}}, true
	case ch == 0x2594: // ▔ upper eighth
		return full(0, 0, w, eighthY(1)), true
	case ch == 0x2595: // ▕ right eighth
		return full(w-eighthX(1), 0, w, h), true
	case ch >= 0x2596 && ch <= 0x259f: // quadrants
		ul, ur, ll, lr := rect{0, 0, hw, hh, 1}, rect{hw, 0, w, hh, 1}, rect{0, hh, hw, h, 1}, rect{hw, hh, w, h, 1}
		q := map[rune][]rect{
			0x2596: {ll}, 0x2597: {lr}, 0x2598: {ul}, 0x2599: {ul, ll, lr}, 0x259a: {ul, lr},
			0x259b: {ul, ur, ll}, 0x259c: {ul, ur, lr}, 0x259d: {ur}, 0x259e: {ur, ll}, 0x259f: {ur, ll, lr},
		}
		return q[ch], true
	}
	return nil, false
}

// box holds a box-drawing character's arms: up, right, down, left weights
// (0 none, 1 light, 2 heavy, 3 double) and whether the corner is rounded.
type box struct {
	up, right, down, left int
	arc                   bool
}

// boxRects draws arms from the cell's centre to its edges, each reaching a
// little past the centre so that corners, tees and crosses close, and placed
// on the same pixel columns and rows in every cell so neighbours join.
func boxRects(b box, w, h, light int) []rect {
	thick := func(weight int) int {
		if weight == 2 {
			return light * 2
		}
		return light
	}
	cx, cy := (w-light)/2, (h-light)/2 // top-left of a light line through the centre
	widest := 0
	for _, a := range []int{b.up, b.right, b.down, b.left} {
		switch a {
		case 1:
			widest = max(widest, light)
		case 2:
			widest = max(widest, 2*light)
		case 3:
			widest = max(widest, 3*light)
		}
	}
	// the span a line of thickness t covers, centred like a light line
	span := func(c, t int) (int, int) { lo := c - (t-light)/2; return lo, lo + t }
	var out []rect
	vertical := func(weight, y0, y1 int) {
		if weight == 3 {
			out = append(out, rect{cx - light, y0, cx, y1, 1}, rect{cx + light, y0, cx + 2*light, y1, 1})
			return
		}
		x0, x1 := span(cx, thick(weight))
		out = append(out, rect{x0, y0, x1, y1, 1})
	}
	horizontal := func(weight, x0, x1 int) {
		if weight == 3 {
			out = append(out, rect{x0, cy - light, x1, cy, 1}, rect{x0, cy + light, x1, cy + 2*light, 1})
			return
		}
		y0, y1 := span(cy, thick(weight))
		out = append(out, rect{x0, y0, x1, y1, 1})
	}
	lo, hi := span(cx, widest)
	vlo, vhi := span(cy, widest)
	if b.up > 0 {
		vertical(b.up, 0, vhi)
	}
	if b.down > 0 {
		vertical(b.down, vlo, h)
	}
	if b.left > 0 {
		horizontal(b.left, 0, hi)
	}
	if b.right > 0 {
		horizontal(b.right, lo, w)
	}
	return out
}

// png writes the screen as a PNG image.
func (r *renderer) png(w io.Writer, s screen) error {
	img := image.NewRGBA(image.Rect(0, 0, s.w*r.cw+2*r.pad, s.h*r.ch+2*r.pad))
	draw.Draw(img, img.Bounds(), image.NewUniform(s.bg), image.Point{}, draw.Src)
	for y := range s.h {
		for x := range s.w {
			c := s.cells[y*s.w+x]
			px, py := r.pad+x*r.cw, r.pad+y*r.ch
			cw := r.cw * max(c.width, 1)
			if c.width == 0 {
				continue
			}
			if c.bg != s.bg {
				draw.Draw(img, image.Rect(px, py, px+cw, py+r.ch), image.NewUniform(c.bg), image.Point{}, draw.Src)
			}
			r.drawCell(img, c, px, py)
		}
	}
	return png.Encode(w, img)
}

func (r *renderer) drawCell(img *image.RGBA, c cell, px, py int) {
	cells := max(c.width, 1)
	if c.text != "" && c.text != " " {
		ch, _ := utf8.DecodeRuneInString(c.text)
		if rects, ok := r.shapes(ch, cells); ok {
			for _, rc := range rects {
				col := c.fg
				if rc.alpha < 1 {
					col = mix(c.bg, c.fg, rc.alpha)
				}
				draw.Draw(img, image.Rect(px+rc.x0, py+rc.y0, px+rc.x1, py+rc.y1), image.NewUniform(col), image.Point{}, draw.Src)
			}
		} else if face := r.faceFor(ch, c.bold); face != nil {
			adv, _ := face.GlyphAdvance(ch)
			// centre the glyph in its cells (wide glyphs and fallbacks
			// have their own advance)
			off := (fixed.I(r.cw*cells) - adv) / 2
			d := &font.Drawer{Dst: img, Src: image.NewUniform(c.fg), Face: face,
				Dot: fixed.Point26_6{X: fixed.I(px) + off, Y: fixed.I(py + r.ascent + (r.ch-r.ascent-r.regular.Metrics().Descent.Ceil())/2)}}
			d.DrawString(c.text)
		} else {
			// no font has it: an outlined box, as terminals draw a missing glyph
			x0, y0, x1, y1 := px+2, py+3, px+r.cw*cells-2, py+r.ch-3
			for _, rc := range []image.Rectangle{
				image.Rect(x0, y0, x1, y0+1), image.Rect(x0, y1-1, x1, y1),
				image.Rect(x0, y0, x0+1, y1), image.Rect(x1-1, y0, x1, y1),
			} {
				draw.Draw(img, rc, image.NewUniform(c.fg), image.Point{}, draw.Src)
			}
		}
	}
	if c.underline {
		y := py + r.ch - 2
		draw.Draw(img, image.Rect(px, y, px+r.cw*cells, y+1), image.NewUniform(c.fg), image.Point{}, draw.Src)
	}
	if c.strike {
		y := py + r.ch/2
		draw.Draw(img, image.Rect(px, y, px+r.cw*cells, y+1), image.NewUniform(c.fg), image.Point{}, draw.Src)
	}
}

// svg writes the screen as an SVG image: background runs as rectangles,
// text runs positioned per cell, box and block characters as rectangles.
func (r *renderer) svg(out io.Writer, s screen) error {
	w := bufio.NewWriter(out)
	width, height := s.w*r.cw+2*r.pad, s.h*r.ch+2*r.pad
	fmt.Fprintf(w, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d">`+"\n", width, height, width, height)
	fmt.Fprintf(w, `<style>text{font-family:"Go Mono","DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:%gpx;white-space:pre}.b{font-weight:bold}.i{font-style:italic}</style>`+"\n", r.fontSize)
	fmt.Fprintf(w, `<rect width="100%%" height="100%%" fill="%s"/>`+"\n", hex(s.bg))
	baseline := r.ascent + (r.ch-r.ascent-r.regular.Metrics().Descent.Ceil())/2
	for y := range s.h {
		py := r.pad + y*r.ch
		row := s.cells[y*s.w : (y+1)*s.w]
		// backgrounds, merged into runs
		for x := 0; x < s.w; {
			bg := row[x].bg
			end := x + 1
			for end < s.w && row[end].bg == bg {
				end++
			}
			if bg != s.bg {
				fmt.Fprintf(w, `<rect x="%d" y="%d" width="%d" height="%d" fill="%s"/>`+"\n", r.pad+x*r.cw, py, (end-x)*r.cw, r.ch, hex(bg))
			}
			x = end
		}
		// text runs of one style; every glyph placed on its cell
		for x := 0; x < s.w; {
			c := row[x]
			if c.width == 0 || c.text == "" || c.text == " " {
				x++
				continue
			}
			ch, _ := utf8.DecodeRuneInString(c.text)
			if rects, ok := r.shapes(ch, max(c.width, 1)); ok {
				for _, rc := range rects {
					fmt.Fprintf(w, `<rect x="%d" y="%d" width="%d" height="%d" fill="%s"%s/>`+"\n",
						r.pad+x*r.cw+rc.x0, py+rc.y0, rc.x1-rc.x0, rc.y1-rc.y0, hex(c.fg), opacity(rc.alpha))
				}
				x += max(c.width, 1)
				continue
			}
			// A run holds cells of one style with one rune each, so SVG's
			// per-character x list puts every glyph on its cell; a wide or
			// multi-rune cell (CJK, emoji, combining marks) is a run of its own.
			var text strings.Builder
			var xs []string
			end := x
			for end < s.w {
				d := row[end]
				if d.width == 0 {
					end++
					continue
				}
				single := d.width == 1 && utf8.RuneCountInString(d.text) == 1
				if end > x && (!single || d.fg != c.fg || d.bold != c.bold || d.italic != c.italic ||
					d.underline != c.underline || d.text == "" || d.text == " ") {
					break
				}
				if dr, _ := utf8.DecodeRuneInString(d.text); isShape(dr) {
					break
				}
				xs = append(xs, fmt.Sprint(r.pad+end*r.cw))
				text.WriteString(xmlEscape(d.text))
				end++
				if !single {
					break
				}
			}
			class := ""
			switch {
			case c.bold && c.italic:
				class = ` class="b i"`
			case c.bold:
				class = ` class="b"`
			case c.italic:
				class = ` class="i"`
			}
			deco := ""
			if c.underline {
				deco = ` text-decoration="underline"`
			}
			fmt.Fprintf(w, `<text x="%s" y="%d" fill="%s"%s%s>%s</text>`+"\n",
				strings.Join(xs, " "), py+baseline, hex(c.fg), class, deco, text.String())
			x = end
		}
	}
	fmt.Fprintln(w, "</svg>")
	return w.Flush()
}

func isShape(r rune) bool {
	return r >= 0x2500 && r <= 0x259f && r != 0x2571 && r != 0x2572 && r != 0x2573
}

func hex(c color.RGBA) string { return fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B) }

func opacity(a float64) string {
	if a >= 1 {
		return ""
	}
	return fmt.Sprintf(` fill-opacity="%.2f"`, a)
}

func xmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}
